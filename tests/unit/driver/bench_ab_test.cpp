// Units of driver/bench/ab (the schedule behind `hone bench ab`): the order of executions alternates
// which side goes first, so with an even number of rounds each side holds the same positions on average
// (a linear drift of the machine cancels), warm-up rounds come first and are marked, and samples
// collected across executions keep every repetition and any error. tests/lit/bench/ab.test covers the
// command line on a simulated drifting machine and on a real benchmark.
#include "driver/bench/ab.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace hone::bench;

std::string order(const std::vector<AbStep>& steps) {
  std::string text;
  for (const AbStep& step : steps)
    text += std::string(step.warmup ? "w" : "") + (step.side == AbSide::base ? "A" : "B") + " ";
  return text;
}

TEST(BenchAbSchedule, AlternatesWhichSideGoesFirst) {
  EXPECT_EQ(order(ab_schedule(4, 1)), "wA wB A B B A A B B A ");
  EXPECT_EQ(order(ab_schedule(1, 0)), "A B ");
  EXPECT_EQ(order(ab_schedule(2, 2)), "wA wB wB wA A B B A ");
  EXPECT_TRUE(ab_schedule(0, 0).empty());
}

TEST(BenchAbSchedule, EvenRoundsGiveBothSidesTheSameMeanPosition) {
  for (int rounds : {2, 4, 10, 20}) {
    long base_positions = 0, new_positions = 0;
    const std::vector<AbStep> steps = ab_schedule(rounds, 1);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].warmup) continue;
      (steps[i].side == AbSide::base ? base_positions : new_positions) += static_cast<long>(i);
    }
    EXPECT_EQ(base_positions, new_positions) << rounds << " rounds";
  }
}

TEST(BenchAbSchedule, RoundsAreNumberedWithinTheirKind) {
  const std::vector<AbStep> steps = ab_schedule(2, 1);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[1].round, 0);
  EXPECT_FALSE(steps[2].warmup);
  EXPECT_EQ(steps[2].round, 0);
  EXPECT_EQ(steps[5].round, 1);
}

TEST(BenchAbSamples, AppendKeepsEveryRepetitionAndErrors) {
  ResultFile collected;
  ResultFile first;
  first.benchmarks["BM_A"] = BenchmarkSamples{{1.0, 2.0}, "ns", false};
  ResultFile second;
  second.benchmarks["BM_A"] = BenchmarkSamples{{3.0}, "us", true};
  second.benchmarks["BM_B"] = BenchmarkSamples{{4.0}, "ns", false};
  append_samples(collected, first);
  append_samples(collected, second);
  EXPECT_EQ(collected.benchmarks["BM_A"].nanoseconds, (std::vector<double>{1.0, 2.0, 3.0}));
  EXPECT_TRUE(collected.benchmarks["BM_A"].had_error);
  EXPECT_EQ(collected.benchmarks["BM_B"].nanoseconds, (std::vector<double>{4.0}));
  EXPECT_FALSE(collected.benchmarks["BM_B"].had_error);
}

}  // namespace
