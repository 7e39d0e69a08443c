// Statistics for deciding whether a set of timings got slower: median, percent change and the
// two-sided Mann-Whitney U test (also called Wilcoxon rank-sum).
//
// Timings on a real machine are skewed and have outliers (a context switch, a cold cache), so a
// comparison of means with a t-test cries wolf. The Mann-Whitney U test only uses ranks: it asks
// whether a value drawn from one sample tends to be larger than one drawn from the other, which is
// what "it got slower" means. For small samples without ties the p-value comes from the exact
// distribution of U; otherwise from the normal approximation with the tie correction and a
// continuity correction. `hone bench compare` and hone::RegressionMonitor both decide with
// compare_samples(), so the command-line tool and the in-process monitor agree.
//
// No function here throws: invalid input (an empty sample, NaN) gives a result with valid == false.
#pragma once

#include <cstddef>
#include <span>

namespace hone::stats {

// Result of mann_whitney_u(first, second).
struct MannWhitneyResult {
  bool valid = false;    // false when a sample is empty or holds a NaN/infinity
  double u = 0.0;        // U of the first sample: pairs (x, y) with x > y, ties counted one half
  double p_value = 1.0;  // two-sided
  bool exact = false;    // true: exact distribution of U; false: normal approximation
};

// Largest sample size for which the exact distribution is used (when there are no ties).
inline constexpr std::size_t k_exact_max_sample = 50;

// Two-sided Mann-Whitney U test of "first and second come from the same distribution".
MannWhitneyResult mann_whitney_u(std::span<const double> first, std::span<const double> second) noexcept;

// Median (mean of the two middle values for an even count); NaN for an empty sample.
double median(std::span<const double> values) noexcept;

// 100 * (current - base) / base; NaN when base is 0 or either value is not finite.
double percent_change(double base, double current) noexcept;

// How a comparison is decided: a change counts only when it is both significant (p < alpha) and at
// least min_effect_percent large, so tiny-but-real and large-but-noisy changes are both "no change".
struct DecisionRule {
  double alpha = 0.05;
  double min_effect_percent = 5.0;
};

enum class Verdict { no_change, regression, improvement, invalid };

const char* verdict_name(Verdict verdict) noexcept;

struct Comparison {
  Verdict verdict = Verdict::invalid;
  double base_median = 0.0;
  double current_median = 0.0;
  double change_percent = 0.0;  // percent change of the medians, positive = slower
  double p_value = 1.0;
  double u = 0.0;  // U of the current sample against the base
  bool exact = false;
};

// Compares timings (larger = slower) of a base and a current sample under a decision rule.
Comparison compare_samples(std::span<const double> base, std::span<const double> current,
                           const DecisionRule& rule) noexcept;

}  // namespace hone::stats
