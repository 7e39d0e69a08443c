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

}  // namespace
}  // namespace hone::pgo
