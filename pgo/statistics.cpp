// MAD and a bootstrap confidence interval for a ratio of medians (see statistics.h); the median itself
// is the runtime's.
#include "pgo/statistics.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace hone::pgo {

double median_absolute_deviation(const std::vector<double>& values) {
  double centre = median(values);
  std::vector<double> deviations;
  for (double value : values) deviations.push_back(std::fabs(value - centre));
  return median(deviations);
}

SpeedupEstimate estimate_speedup(const std::vector<double>& baseline, const std::vector<double>& variant,
                                 int resamples) {
  SpeedupEstimate estimate;
  if (baseline.empty() || variant.empty() || median(variant) <= 0) {
    estimate.verdict = "not significant";
    return estimate;
  }
  estimate.speedup = median(baseline) / median(variant);
  std::mt19937_64 random(0x686f6e65);  // fixed: the same runs always give the same interval
  std::vector<double> ratios;
  ratios.reserve(static_cast<size_t>(resamples));
  std::vector<double> a(baseline.size()), b(variant.size());
  std::uniform_int_distribution<size_t> pick_a(0, baseline.size() - 1), pick_b(0, variant.size() - 1);
  for (int i = 0; i < resamples; ++i) {
    for (double& value : a) value = baseline[pick_a(random)];
    for (double& value : b) value = variant[pick_b(random)];
    double denominator = median(b);
    if (denominator > 0) ratios.push_back(median(a) / denominator);
  }
  std::sort(ratios.begin(), ratios.end());
  if (ratios.empty()) {
    estimate.verdict = "not significant";
    return estimate;
  }
  estimate.low = ratios[static_cast<size_t>(0.025 * static_cast<double>(ratios.size() - 1))];
  estimate.high = ratios[static_cast<size_t>(0.975 * static_cast<double>(ratios.size() - 1))];
  estimate.verdict = estimate.low > 1 ? "faster" : estimate.high < 1 ? "slower" : "not significant";
  return estimate;
}

}  // namespace hone::pgo
