// Units of runtime/stats: the U statistic and its p-values against published values, the median,
// percent change and the decision rule used by `hone bench compare` and hone::RegressionMonitor.
//
// Sources of the expected values:
//  - Hollander & Wolfe, "Nonparametric Statistical Methods" (1973), p. 69, the example reproduced in
//    R's ?wilcox.test: W = 35, one-sided p = 0.1272 (so two-sided 0.2544), exact distribution.
//  - Critical values of U for a two-sided test at alpha = 0.05 from the standard tables (Mann &
//    Whitney 1947; e.g. Siegel & Castellan, "Nonparametric Statistics", 1988, Table J): n1 = n2 = 5
//    -> 2, n1 = n2 = 10 -> 23, n1 = n2 = 20 -> 127, i.e. P(U <= crit) <= 0.05 < P(U <= crit + 1).
//  - P(U = 0) = 1 / C(m + n, m) (every arrangement of the pooled ranks is equally likely), so the
//    two-sided p of complete separation is 2 / C(m + n, m): 0.1 for 3 + 3, 2/70 for 4 + 4.
//  - Normal approximation with ties: the variance formula of Siegel & Castellan (1988), eq. 6.13,
//    worked by hand below.
#include "hone/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using hone::stats::compare_samples;
using hone::stats::DecisionRule;
using hone::stats::mann_whitney_u;
using hone::stats::Verdict;

// n values whose ranks are 1..n in the first sample and n+1..2n in the second, except that the
// first sample's largest `swaps` values are exchanged with the second's smallest ones: U = swaps^2.
std::vector<double> separated(int count, int offset) {
  std::vector<double> values;
  for (int i = 0; i < count; ++i) values.push_back(offset + i);
  return values;
}

double two_sided_p_for_u(int n, int u) {
  // Build samples of size n with exactly U = u: a second sample 0..n-1 and a first sample whose
  // i-th value beats the first k_i values of the second. Ranks are distinct, so the exact path runs.
  std::vector<double> second = separated(n, 0);
  std::vector<double> first;
  int remaining = u;
  for (int i = 0; i < n; ++i) {
    const int beats = remaining >= n ? n : remaining;
    remaining -= beats;
    first.push_back(beats - 0.5 + 0.001 * i);
  }
  const auto result = mann_whitney_u(first, second);
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, u);
  return result.p_value;
}

TEST(StatsMannWhitney, HollanderWolfeExampleExact) {
  const std::vector<double> x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> y = {1.15, 0.88, 0.90, 0.74, 1.21};
  const auto result = mann_whitney_u(x, y);
  ASSERT_TRUE(result.valid);
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 35.0);
  EXPECT_NEAR(result.p_value, 0.2544, 0.0001);
  // The test is symmetric: swapping the samples gives U' = n1 n2 - U and the same p-value.
  const auto swapped = mann_whitney_u(y, x);
  EXPECT_DOUBLE_EQ(swapped.u, 15.0);
  EXPECT_NEAR(swapped.p_value, result.p_value, 1e-12);
}

TEST(StatsMannWhitney, CriticalValuesFromTables) {
  struct Row {
    int n;
    int critical;
  };
  for (const Row row : {Row{5, 2}, Row{10, 23}, Row{20, 127}}) {
    SCOPED_TRACE(row.n);
    EXPECT_LE(two_sided_p_for_u(row.n, row.critical), 0.05);
    EXPECT_GT(two_sided_p_for_u(row.n, row.critical + 1), 0.05);
  }
  EXPECT_NEAR(two_sided_p_for_u(10, 23), 0.043257, 1e-6);
  EXPECT_NEAR(two_sided_p_for_u(20, 127), 0.049090, 1e-6);
}

TEST(StatsMannWhitney, CompleteSeparation) {
  EXPECT_NEAR(mann_whitney_u(separated(3, 0), separated(3, 10)).p_value, 0.1, 1e-12);
  EXPECT_NEAR(mann_whitney_u(separated(4, 10), separated(4, 0)).p_value, 2.0 / 70.0, 1e-12);
  EXPECT_DOUBLE_EQ(mann_whitney_u(separated(4, 10), separated(4, 0)).u, 16.0);
}

TEST(StatsMannWhitney, NormalApproximationWithTies) {
  // Pooled: 1 2 2 3 3 3 3 4 4 4 5 5 5 6 7 7 8 (N = 17). Tie groups of sizes 2, 4, 3, 3, 2 give
  // sum(t^3 - t) = 6 + 60 + 24 + 24 + 6 = 120. Rank sum of the first sample = 43.5, so
  // U = 43.5 - 36 = 7.5; var = 72/12 * (18 - 120/272) = 105.3529; z = (|7.5 - 36| - 0.5) / sqrt(var)
  // = 2.72794; two-sided p = erfc(z / sqrt 2) = 0.0063731.
  const std::vector<double> a = {1, 2, 2, 3, 3, 3, 4, 5};
  const std::vector<double> b = {3, 4, 4, 5, 5, 6, 7, 7, 8};
  const auto result = mann_whitney_u(a, b);
  ASSERT_TRUE(result.valid);
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 7.5);
  EXPECT_NEAR(result.p_value, 0.0063731, 1e-6);
}

TEST(StatsMannWhitney, LargeSamplesUseTheNormalApproximation) {
  // 60 + 60 distinct values, complete separation: z = (1800 - 0.5) / sqrt(3600 * 121 / 12) far out.
  const auto result = mann_whitney_u(separated(60, 0), separated(60, 100));
  EXPECT_FALSE(result.exact);
  EXPECT_LT(result.p_value, 1e-15);
  // Interleaved 0, 2, ... vs 1, 3, ...: U = 60 * 59 / 2 = 1770 against a mean of 1800, so
  // z = (30 - 0.5) / sqrt(3600 * 121 / 12) = 0.15484 and p = 0.87695.
  std::vector<double> even, odd;
  for (int i = 0; i < 120; ++i) (i % 2 ? odd : even).push_back(i);
  const auto interleaved = mann_whitney_u(even, odd);
  EXPECT_FALSE(interleaved.exact);
  EXPECT_DOUBLE_EQ(interleaved.u, 1770.0);
  EXPECT_NEAR(interleaved.p_value, 0.87695, 1e-5);
}

TEST(StatsMannWhitney, ExactAndApproximationAgreeAtTheBoundary) {
  // At 50 + 50 the exact and normal p-values should be close (the approximation is good there).
  std::vector<double> first, second;
  for (int i = 0; i < 50; ++i) {
    first.push_back(2.0 * i + (i % 7 == 0 ? 3.5 : 0.0));
    second.push_back(2.0 * i + 1.0);
  }
  const auto exact = mann_whitney_u(first, second);
  ASSERT_TRUE(exact.exact);
  first.push_back(1000.0);  // 51 values: approximation
  second.push_back(1000.5);
  const auto approximate = mann_whitney_u(first, second);
  ASSERT_FALSE(approximate.exact);
  EXPECT_NEAR(exact.p_value, approximate.p_value, 0.05);
}

TEST(StatsMannWhitney, AllTiedAndInvalidInput) {
  const std::vector<double> same = {3, 3, 3, 3};
  EXPECT_DOUBLE_EQ(mann_whitney_u(same, same).p_value, 1.0);
  const std::vector<double> empty;
  EXPECT_FALSE(mann_whitney_u(empty, same).valid);
  const std::vector<double> with_nan = {1.0, std::nan("")};
  EXPECT_FALSE(mann_whitney_u(with_nan, same).valid);
}

TEST(StatsSummary, MedianAndPercentChange) {
  EXPECT_DOUBLE_EQ(hone::stats::median(std::vector<double>{5, 1, 3}), 3.0);
  EXPECT_DOUBLE_EQ(hone::stats::median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(hone::stats::median(std::vector<double>{})));
  EXPECT_DOUBLE_EQ(hone::stats::percent_change(200.0, 210.0), 5.0);
  EXPECT_DOUBLE_EQ(hone::stats::percent_change(200.0, 150.0), -25.0);
  EXPECT_TRUE(std::isnan(hone::stats::percent_change(0.0, 1.0)));
}

TEST(StatsDecision, NeedsSignificanceAndEffect) {
  const DecisionRule rule;  // alpha 0.05, 5 %
  std::vector<double> base, slower, slightly_slower, noisy;
  for (int i = 0; i < 10; ++i) {
    base.push_back(100.0 + i * 0.1);
    slower.push_back(110.0 + i * 0.1);           // +10 %, complete separation
    slightly_slower.push_back(101.0 + i * 0.1);  // significant but only +1 %
  }
  EXPECT_EQ(compare_samples(base, slower, rule).verdict, Verdict::regression);
  EXPECT_EQ(compare_samples(slower, base, rule).verdict, Verdict::improvement);
  EXPECT_EQ(compare_samples(base, slightly_slower, rule).verdict, Verdict::no_change);
  EXPECT_LT(compare_samples(base, slightly_slower, rule).p_value, 0.05);
  // Large median shift but only three values each: p = 0.1 at best, so not significant.
  const std::vector<double> few_base = {100, 101, 102}, few_new = {150, 151, 152};
  const auto few = compare_samples(few_base, few_new, rule);
  EXPECT_EQ(few.verdict, Verdict::no_change);
  EXPECT_NEAR(few.change_percent, 49.5049, 1e-3);
  EXPECT_EQ(compare_samples(std::vector<double>{}, few_new, rule).verdict, Verdict::invalid);
}

}  // namespace
