// Median, percent change and the decision rule shared by `hone bench compare` and
// hone::RegressionMonitor (see hone/stats.h).
//
// The verdict compares medians, not means, because one preempted repetition can move a mean by far
// more than the effect being looked for; the U test supplies the significance.
#include "hone/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <vector>

namespace hone::stats {

double median(std::span<const double> values) noexcept {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  try {
    std::vector<double> sorted(values.begin(), values.end());
    const std::size_t middle = sorted.size() / 2;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(middle), sorted.end());
    const double upper = sorted[middle];
    if (sorted.size() % 2 == 1) return upper;
    const double lower = *std::max_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(middle));
    return (lower + upper) / 2.0;
  } catch (const std::bad_alloc&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

double percent_change(double base, double current) noexcept {
  if (!std::isfinite(base) || !std::isfinite(current) || base == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return 100.0 * (current - base) / base;
}

const char* verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::no_change: return "no change";
    case Verdict::regression: return "regression";
    case Verdict::improvement: return "improvement";
    case Verdict::invalid: return "invalid";
  }
  return "invalid";
}

Comparison compare_samples(std::span<const double> base, std::span<const double> current,
                           const DecisionRule& rule) noexcept {
  Comparison comparison;
  const MannWhitneyResult test = mann_whitney_u(current, base);
  comparison.base_median = median(base);
  comparison.current_median = median(current);
  comparison.change_percent = percent_change(comparison.base_median, comparison.current_median);
  if (!test.valid || std::isnan(comparison.change_percent)) return comparison;
  comparison.p_value = test.p_value;
  comparison.u = test.u;
  comparison.exact = test.exact;
  const bool significant = test.p_value < rule.alpha;
  const bool large_enough = std::fabs(comparison.change_percent) >= rule.min_effect_percent;
  if (!significant || !large_enough)
    comparison.verdict = Verdict::no_change;
  else
    comparison.verdict = comparison.change_percent > 0 ? Verdict::regression : Verdict::improvement;
  return comparison;
}

}  // namespace hone::stats
