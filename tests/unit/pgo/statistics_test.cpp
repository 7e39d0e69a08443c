// Units for verify's statistics: medians, MAD, and bootstrap verdicts on clear and unclear cases.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "pgo/statistics.h"

namespace hone::pgo {
namespace {

// verify's median is the runtime's one definition; an empty sample has none (NaN), as documented there.
TEST(Statistics, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(median(std::vector<double>{})));
}

TEST(Statistics, MedianAbsoluteDeviationIgnoresOneOutlier) {
  EXPECT_DOUBLE_EQ(median_absolute_deviation({10, 10, 10, 10, 1000}), 0);
  EXPECT_DOUBLE_EQ(median_absolute_deviation({1, 2, 3, 4, 5}), 1);
  EXPECT_TRUE(std::isnan(median_absolute_deviation({})));
}

TEST(Statistics, EmptySamplesAreNotSignificant) {
  EXPECT_EQ(estimate_speedup({}, {1.0, 1.1}).verdict, "not significant");
  EXPECT_EQ(estimate_speedup({1.0, 1.1}, {}).verdict, "not significant");
}

TEST(Statistics, ClearSpeedupIsFaster) {
  SpeedupEstimate e = estimate_speedup({1.00, 1.02, 0.99, 1.01, 1.00}, {0.50, 0.51, 0.49, 0.50, 0.52});
  EXPECT_NEAR(e.speedup, 2.0, 0.05);
  EXPECT_GT(e.low, 1.0);
  EXPECT_LE(e.low, e.speedup);
  EXPECT_GE(e.high, e.speedup);
  EXPECT_EQ(e.verdict, "faster");
}

TEST(Statistics, ClearSlowdownIsSlower) {
  SpeedupEstimate e = estimate_speedup({1.0, 1.0, 1.01, 0.99}, {1.5, 1.52, 1.49, 1.51});
  EXPECT_LT(e.speedup, 1);
  EXPECT_EQ(e.verdict, "slower");
}

TEST(Statistics, OverlappingNoiseIsNotSignificant) {
  SpeedupEstimate e = estimate_speedup({1.0, 1.3, 0.8, 1.1, 0.9, 1.2}, {0.95, 1.25, 0.85, 1.05, 1.15, 0.9});
  EXPECT_EQ(e.verdict, "not significant");
  EXPECT_LE(e.low, 1.0);
  EXPECT_GE(e.high, 1.0);
}

TEST(Statistics, SameInputGivesSameInterval) {
  std::vector<double> a = {1.0, 1.1, 0.9, 1.05}, b = {0.8, 0.85, 0.9, 0.82};
  SpeedupEstimate first = estimate_speedup(a, b), second = estimate_speedup(a, b);
  EXPECT_DOUBLE_EQ(first.low, second.low);
  EXPECT_DOUBLE_EQ(first.high, second.high);
}

// Load that varies from round to round hits both runs of a round: each round's variant is 1.25x faster
// than its baseline, but the rounds differ by up to 3x. Unpaired, the spread hides the gain; paired,
// the per-round ratios are all about 1.25.
TEST(PairedStatistics, PairingCancelsLoadThatVariesBetweenRounds) {
  std::vector<double> baseline = {1.0, 2.0, 1.5, 3.0, 1.2, 2.6, 1.1, 2.2};
  std::vector<double> variant;
  for (size_t i = 0; i < baseline.size(); ++i) variant.push_back(baseline[i] / (i % 2 ? 1.27 : 1.23));
  EXPECT_EQ(estimate_speedup(baseline, variant).verdict, "not significant");
  SpeedupEstimate paired = estimate_paired_speedup(baseline, variant);
  EXPECT_EQ(paired.verdict, "faster");
  EXPECT_NEAR(paired.speedup, 1.25, 0.02);
  EXPECT_GE(paired.low, 1.23 - 1e-9);
  EXPECT_LE(paired.high, 1.27 + 1e-9);
}

TEST(PairedStatistics, SlowerAndUnclearAndEmpty) {
  EXPECT_EQ(estimate_paired_speedup({1.0, 1.0, 1.0, 1.0}, {1.2, 1.21, 1.19, 1.2}).verdict, "slower");
  EXPECT_EQ(estimate_paired_speedup({1.0, 1.0, 1.0, 1.0}, {0.9, 1.1, 0.95, 1.05}).verdict, "not significant");
  EXPECT_EQ(estimate_paired_speedup({}, {1.0}).verdict, "not significant");
  // Only whole rounds count: the extra baseline run has no partner.
  EXPECT_DOUBLE_EQ(estimate_paired_speedup({2.0, 2.0, 9.0}, {1.0, 1.0}).speedup, 2.0);
}

TEST(TimeMetric, CpuTimeDecidesWhenWallTimeIsWellAboveIt) {
  EXPECT_EQ(choose_time_metric({1.0, 1.1, 1.0}, {0.98, 1.0, 0.99}), TimeMetric::wall);
  EXPECT_EQ(choose_time_metric({1.6, 1.8, 1.5}, {1.0, 1.0, 0.99}), TimeMetric::cpu);
  // Threads: CPU time above wall time is no reason to leave wall time.
  EXPECT_EQ(choose_time_metric({1.0, 1.0}, {3.9, 4.0}), TimeMetric::wall);
  EXPECT_EQ(choose_time_metric({}, {}), TimeMetric::wall);
  EXPECT_EQ(choose_time_metric({1.0}, {0.0}), TimeMetric::wall);
}

}  // namespace
}  // namespace hone::pgo
