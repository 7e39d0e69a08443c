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

SpeedupEstimate estimate_paired_speedup(const std::vector<double>& baseline, const std::vector<double>& variant,
                                        int resamples) {
  SpeedupEstimate estimate;
  std::vector<double> ratios;
  for (size_t i = 0; i < std::min(baseline.size(), variant.size()); ++i)
    if (variant[i] > 0 && baseline[i] > 0) ratios.push_back(baseline[i] / variant[i]);
  if (ratios.empty()) {
    estimate.verdict = "not significant";
    return estimate;
  }
  estimate.speedup = median(ratios);
  std::mt19937_64 random(0x686f6e65);  // fixed: the same runs always give the same interval
  std::uniform_int_distribution<size_t> pick(0, ratios.size() - 1);
  std::vector<double> resampled(ratios.size()), medians;
  medians.reserve(static_cast<size_t>(resamples));
  for (int i = 0; i < resamples; ++i) {
    for (double& value : resampled) value = ratios[pick(random)];
    medians.push_back(median(resampled));
  }
  std::sort(medians.begin(), medians.end());
  estimate.low = medians[static_cast<size_t>(0.025 * static_cast<double>(medians.size() - 1))];
  estimate.high = medians[static_cast<size_t>(0.975 * static_cast<double>(medians.size() - 1))];
  estimate.verdict = estimate.low > 1 ? "faster" : estimate.high < 1 ? "slower" : "not significant";
  return estimate;
}

TimeMetric choose_time_metric(const std::vector<double>& wall, const std::vector<double>& cpu, double threshold) {
  if (wall.empty() || cpu.empty()) return TimeMetric::wall;
  const double cpu_centre = median(cpu);
  return cpu_centre > 0 && median(wall) > threshold * cpu_centre ? TimeMetric::cpu : TimeMetric::wall;
}

}  // namespace hone::pgo
