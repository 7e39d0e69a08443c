// Seeded simulation of hone::stats::StepDetector (the CUSUM on log-times behind RegressionMonitor),
// at the defaults a RegressionMonitor uses: warm-up 500, tuned for +10 %, nominal false-alarm rate
// 1e-5 per sample. What issue 14 asks of it:
//   - at most 1 false alarm per 10,000 checks on stationary lognormal timings, sd 0.2 to 0.5;
//   - a +10 % step detected within 200 samples in at least 95 % of runs (at sd 0.2: at sd 0.5 no test
//     can, see docs/runtime.md, and the delays measured there are printed here);
//   - one alarm, not one per check, for a persistent step; a new alarm after a recovery.
// Random numbers: std::mt19937_64 (its sequence is fixed by the standard) and Box-Muller written out,
// so libstdc++ and libc++ give the same figures. The rates are printed for docs/runtime.md.
#include "hone/sequential.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

using hone::stats::StepDetector;
using hone::stats::StepDetectorOptions;
using hone::stats::StepEvent;

constexpr double k_pi = 3.14159265358979323846;

class Lognormal {
public:
  Lognormal(std::uint64_t seed, double sd) : engine_(seed), sd_(sd) {}
  double next(double median) { return median * std::exp(sd_ * normal()); }

private:
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  double normal() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * k_pi * uniform()); }
  std::mt19937_64 engine_;
  double sd_;
};

StepDetector warmed_up(Lognormal& timings, StepDetectorOptions options = {}) {
  StepDetector detector(options);
  while (!detector.warmed_up()) detector.add(timings.next(100.0));
  return detector;
}

TEST(CusumThreshold, MatchesSiegmundsApproximation) {
  // k = 0.5, h = 5 is the textbook design; Siegmund gives ARL0 = (e^6.166 - 7.166) / 0.5 = 938.5.
  EXPECT_NEAR(hone::stats::cusum_threshold(0.5, 938.5), 5.0, 0.01);
  // Small k: ARL0 ~ b^2, so ARL0 = 10,000 needs b ~ 100 (h ~ 99) when k -> 0.
  EXPECT_NEAR(hone::stats::cusum_threshold(1e-4, 1e4), 100.0 - 1.166, 1.0);
  EXPECT_LT(hone::stats::cusum_threshold(0.25, 1e4), hone::stats::cusum_threshold(0.25, 1e5));
  EXPECT_EQ(hone::stats::cusum_threshold(0.0, 1e4), 0.0);  // invalid input
}

TEST(StepDetector, FalseAlarmsOnStationaryLognormalTimings) {
  constexpr int k_runs = 20;
  constexpr int k_checks = 10'000;
  for (double sd : {0.2, 0.35, 0.5}) {
    std::uint64_t alarms = 0, checks = 0;
    for (int run = 0; run < k_runs; ++run) {
      Lognormal timings(1000 + static_cast<std::uint64_t>(run) + static_cast<std::uint64_t>(sd * 1e6), sd);
      StepDetector detector = warmed_up(timings);
      for (int i = 0; i < k_checks; ++i)
        if (detector.add(timings.next(100.0)) == StepEvent::regression) ++alarms;
      checks += detector.samples_tested();
    }
    std::printf("sd %.2f: %llu false alarms in %llu checks (%.1f per 10,000)\n", sd,
                static_cast<unsigned long long>(alarms), static_cast<unsigned long long>(checks),
                1e4 * static_cast<double>(alarms) / static_cast<double>(checks));
    EXPECT_EQ(checks, std::uint64_t{k_runs} * k_checks);
    EXPECT_LE(alarms * 10'000, checks) << "more than 1 false alarm per 10,000 checks at sd " << sd;
  }
}

// Samples after a step of `step` (0.1 = +10 %) until the alarm; 0 when none within `limit`.
int detection_delay(Lognormal& timings, double step, int limit) {
  StepDetector detector = warmed_up(timings);
  for (int i = 1; i <= limit; ++i)
    if (detector.add(timings.next(100.0 * (1.0 + step))) == StepEvent::regression) return i;
  return 0;
}

TEST(StepDetector, TenPercentStepFoundWithin200Samples) {
  constexpr int k_runs = 400;
  for (double sd : {0.1, 0.2, 0.3, 0.5}) {
    std::vector<int> delays;
    int within = 0;
    for (int run = 0; run < k_runs; ++run) {
      Lognormal timings(5000 + static_cast<std::uint64_t>(run) + static_cast<std::uint64_t>(sd * 1e6), sd);
      const int delay = detection_delay(timings, 0.10, 5000);
      delays.push_back(delay == 0 ? 5001 : delay);
      if (delay > 0 && delay <= 200) ++within;
    }
    std::sort(delays.begin(), delays.end());
    const double share = 100.0 * within / k_runs;
    std::printf("sd %.2f, +10 %%: detected within 200 samples in %.1f %% of runs; delay median %d, 95th %d\n", sd,
                share, delays[k_runs / 2], delays[k_runs * 95 / 100]);
    if (sd <= 0.2) {
      EXPECT_GE(share, 95.0) << "sd " << sd;
    }
  }
}

TEST(StepDetector, PersistentStepAlarmsOnce) {
  for (double sd : {0.2, 0.3}) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      Lognormal timings(seed * 7919 + static_cast<std::uint64_t>(sd * 100), sd);
      StepDetector detector = warmed_up(timings);
      int alarms = 0, recoveries = 0;
      for (int i = 0; i < 1000; ++i) {
        const StepEvent event = detector.add(timings.next(120.0));
        alarms += event == StepEvent::regression;
        recoveries += event == StepEvent::recovered;
      }
      EXPECT_EQ(alarms, 1) << "sd " << sd << " seed " << seed;
      EXPECT_EQ(recoveries, 0) << "sd " << sd << " seed " << seed;
      EXPECT_TRUE(detector.in_episode());
    }
  }
}

TEST(StepDetector, RecoveryRearmsTheTest) {
  Lognormal timings(42, 0.2);
  StepDetector detector = warmed_up(timings);
  std::vector<StepEvent> events;
  auto run = [&](double median, int count) {
    for (int i = 0; i < count; ++i) {
      const StepEvent event = detector.add(timings.next(median));
      if (event != StepEvent::none) events.push_back(event);
    }
  };
  run(130.0, 500);   // slower
  run(100.0, 1000);  // back
  run(130.0, 500);   // slower again
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], StepEvent::regression);
  EXPECT_EQ(events[1], StepEvent::recovered);
  EXPECT_EQ(events[2], StepEvent::regression);
}

TEST(StepDetector, RareOutliersDoNotTripIt) {
  Lognormal timings(7, 0.2);
  StepDetector detector = warmed_up(timings);
  for (int i = 0; i < 20'000; ++i) {
    const double value = i % 100 == 50 ? 1e6 : timings.next(100.0);  // 1 % of samples 10,000x slower
    ASSERT_EQ(detector.add(value), StepEvent::none) << "sample " << i;
  }
}

TEST(StepDetector, ImprovementsOnlyWhenAsked) {
  StepDetectorOptions options;
  options.detect_improvements = true;
  Lognormal timings(9, 0.2);
  StepDetector both = warmed_up(timings, options);
  Lognormal same(9, 0.2);
  StepDetector slower_only = warmed_up(same);
  int improvements = 0;
  for (int i = 0; i < 1000; ++i) {
    improvements += both.add(timings.next(80.0)) == StepEvent::improvement;
    EXPECT_EQ(slower_only.add(same.next(80.0)), StepEvent::none);
  }
  EXPECT_EQ(improvements, 1);
}

TEST(StepDetector, GivenBaselineAndBadInput) {
  StepDetector detector;
  EXPECT_FALSE(detector.set_baseline(std::vector<double>{1.0}));  // one value has no spread
  EXPECT_FALSE(detector.warmed_up());
  EXPECT_EQ(detector.add(-1.0), StepEvent::none);
  EXPECT_EQ(detector.add(std::nan("")), StepEvent::none);
  EXPECT_EQ(detector.baseline_count(), 0u);
  Lognormal timings(3, 0.2);
  std::vector<double> baseline;
  for (int i = 0; i < 300; ++i) baseline.push_back(timings.next(50.0));
  baseline.push_back(0.0);  // skipped
  ASSERT_TRUE(detector.set_baseline(baseline));
  EXPECT_TRUE(detector.warmed_up());
  EXPECT_EQ(detector.baseline_count(), 300u);
  EXPECT_NEAR(detector.baseline_log_mean(), std::log(50.0), 0.05);
  EXPECT_NEAR(detector.baseline_log_sd(), 0.2, 0.03);
  int alarms = 0;
  for (int i = 0; i < 400; ++i) alarms += detector.add(timings.next(60.0)) == StepEvent::regression;
  EXPECT_EQ(alarms, 1);
}

TEST(StepDetector, IdenticalTimingsStillDetectASlowdown) {
  StepDetector detector;
  for (int i = 0; i < 500; ++i) detector.add(1000.0);  // a coarse clock: no spread at all
  ASSERT_TRUE(detector.warmed_up());
  int i = 0;
  while (i < 100 && detector.add(1200.0) != StepEvent::regression) ++i;
  EXPECT_LT(i, 100);
}

}  // namespace
