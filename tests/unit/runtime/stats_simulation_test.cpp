// A deterministic (seeded) simulation of the decision rule as shipped (alpha = 0.05, minimum effect
// 5 %, hone::stats::compare_samples): how often it cries wolf when nothing changed, and how often
// it catches a real 10 % slowdown, at 5 % measurement noise and 20 repetitions per side.
//
// The random numbers come from std::mt19937_64 (its output sequence is fixed by the standard) and a
// hand-written Box-Muller transform, not std::normal_distribution, whose algorithm differs between
// standard libraries: the measured rates are the same with libstdc++ and libc++. The rates are
// printed so docs/bench.md can quote them.
#include "hone/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

constexpr int k_trials = 2000;
constexpr int k_repetitions = 20;
constexpr double k_noise = 0.05;  // standard deviation as a fraction of the true time
constexpr double k_pi = 3.14159265358979323846;

class Noise {
public:
  explicit Noise(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() {  // Box-Muller; one value per call keeps the code obvious
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * k_pi * uniform());
  }

private:
  std::mt19937_64 engine_;
};

// `count` timings of an operation whose true time is `truth`, with Gaussian noise and, when
// `outlier_rate` > 0, occasional +50 % outliers (a preempted repetition).
std::vector<double> timings(Noise& noise, double truth, int count, double outlier_rate = 0.0) {
  std::vector<double> values;
  for (int i = 0; i < count; ++i) {
    double value = truth * (1.0 + k_noise * noise.normal());
    if (outlier_rate > 0 && noise.uniform() < outlier_rate) value *= 1.5;
    values.push_back(value);
  }
  return values;
}

struct Rates {
  double flagged_by_rule = 0;   // verdict regression or improvement
  double regression = 0;        // verdict regression
  double significant_only = 0;  // p < alpha alone, without the minimum effect
};

Rates simulate(std::uint64_t seed, double slowdown, double outlier_rate) {
  Noise noise(seed);
  const hone::stats::DecisionRule rule;  // as shipped
  int flagged = 0, regressions = 0, significant = 0;
  for (int trial = 0; trial < k_trials; ++trial) {
    const std::vector<double> base = timings(noise, 100.0, k_repetitions, outlier_rate);
    const std::vector<double> current = timings(noise, 100.0 * (1.0 + slowdown), k_repetitions, outlier_rate);
    const hone::stats::Comparison c = hone::stats::compare_samples(base, current, rule);
    flagged += c.verdict == hone::stats::Verdict::regression || c.verdict == hone::stats::Verdict::improvement;
    regressions += c.verdict == hone::stats::Verdict::regression;
    significant += c.p_value < rule.alpha;
  }
  return {static_cast<double>(flagged) / k_trials, static_cast<double>(regressions) / k_trials,
          static_cast<double>(significant) / k_trials};
}

TEST(StatsSimulation, FalsePositivesAtMostAlphaOnIdenticalDistributions) {
  const Rates rates = simulate(20261125, 0.0, 0.0);
  std::printf("identical, 5%% noise, %d+%d repetitions, %d trials: rule flags %.2f%% (U test alone %.2f%%)\n",
              k_repetitions, k_repetitions, k_trials, 100 * rates.flagged_by_rule, 100 * rates.significant_only);
  EXPECT_LE(rates.flagged_by_rule, 0.05);
  // The exact U test itself holds its level (up to the sampling error of 2000 trials, sd 0.5 %).
  EXPECT_LE(rates.significant_only, 0.05 + 0.015);

  const Rates with_outliers = simulate(7, 0.0, 0.05);
  std::printf("identical with 5%% outliers of +50%%: rule flags %.2f%%\n", 100 * with_outliers.flagged_by_rule);
  EXPECT_LE(with_outliers.flagged_by_rule, 0.05);
}

TEST(StatsSimulation, DetectsTenPercentSlowdownAtFivePercentNoise) {
  const Rates rates = simulate(42, 0.10, 0.0);
  std::printf("10%% slowdown, 5%% noise, %d+%d repetitions, %d trials: detected %.2f%%\n", k_repetitions, k_repetitions,
              k_trials, 100 * rates.regression);
  EXPECT_GE(rates.regression, 0.95);

  const Rates with_outliers = simulate(43, 0.10, 0.05);
  std::printf("10%% slowdown with 5%% outliers of +50%%: detected %.2f%%\n", 100 * with_outliers.regression);
  EXPECT_GE(with_outliers.regression, 0.90);
}

TEST(StatsSimulation, SmallChangesAreNotFlagged) {
  // A real but 2 % change is below the minimum effect. The U test alone flags it often (it is real);
  // the rule flags it only when noise makes the medians differ by 5 % or more, a few % of the time.
  const Rates rates = simulate(99, 0.02, 0.0);
  std::printf("2%% slowdown: flagged %.2f%% (U test alone would flag %.2f%%)\n", 100 * rates.flagged_by_rule,
              100 * rates.significant_only);
  EXPECT_LE(rates.flagged_by_rule, 0.10);
  EXPECT_LT(rates.flagged_by_rule, rates.significant_only / 3);
}

}  // namespace
