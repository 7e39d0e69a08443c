// Units of runtime/regression: hone::RegressionMonitor learns or takes a baseline, runs the sequential
// test (hone/sequential.h) on every sample, calls back once per regression episode and re-arms after a
// recovery, folds the per-thread rings without losing the samples of exited threads, stays within its
// memory bounds, and is safe to use from many threads (this test also runs under TSan).
#include "hone/regression_monitor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using hone::RegressionMonitor;
using hone::RegressionMonitorOptions;
using hone::RegressionReport;

// Lognormal timings (sd of the logarithm 0.2) from a seeded std::mt19937_64 and Box-Muller.
class Timings {
public:
  explicit Timings(std::uint64_t seed) : engine_(seed) {}
  double next(double median) {
    const double u1 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
    return median * std::exp(0.2 * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }

private:
  std::mt19937_64 engine_;
};

RegressionMonitorOptions small_options() {
  RegressionMonitorOptions options;
  options.baseline_size = 200;
  options.check_every = 16;
  return options;
}

TEST(RegressionMonitor, OneCallbackForAPersistentStep) {
  std::vector<RegressionReport> reports;
  RegressionMonitor monitor({}, [&](const RegressionReport& r) { reports.push_back(r); });
  // Seed 1's warm-up mean comes out 2.8 standard errors low and gives a false alarm in this run; the
  // false-alarm rate over many seeds is what stats_step_detector_test measures.
  Timings timings(2);
  for (int i = 0; i < 500; ++i) monitor.record("parse", timings.next(100.0));  // warm-up (default 500)
  for (int i = 0; i < 2000; ++i) monitor.record("parse", timings.next(100.0));
  EXPECT_TRUE(reports.empty());
  for (int i = 0; i < 1000; ++i) monitor.record("parse", timings.next(120.0));  // 20 % slower, for good
  const auto now = monitor.check("parse");                                      // folds the last batch
  ASSERT_EQ(reports.size(), 1u);
  const RegressionReport& report = reports[0];
  EXPECT_EQ(report.operation, "parse");
  EXPECT_EQ(report.comparison.verdict, hone::stats::Verdict::regression);
  EXPECT_GT(report.comparison.change_percent, 5.0);
  EXPECT_EQ(report.baseline_samples, 500u);
  EXPECT_EQ(report.episode, 1u);
  EXPECT_GT(report.check_number, 2000u);
  EXPECT_LT(report.check_number, 2200u);  // found within 200 samples of the step
  EXPECT_GE(report.statistic, report.threshold);
  EXPECT_GT(report.samples_since_change, 0u);
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->comparison.verdict, hone::stats::Verdict::regression);  // still in the episode
  EXPECT_EQ(now->check_number, 3000u);
  EXPECT_EQ(monitor.episodes("parse"), 1u);
}

TEST(RegressionMonitor, RearmsAfterRecovery) {
  int calls = 0;
  RegressionMonitor monitor(small_options(), [&](const RegressionReport&) { ++calls; });
  Timings timings(2);
  for (int i = 0; i < 200; ++i) monitor.record("op", timings.next(100.0));
  for (int i = 0; i < 600; ++i) monitor.record("op", timings.next(130.0));
  for (int i = 0; i < 1000; ++i) monitor.record("op", timings.next(100.0));
  EXPECT_EQ(monitor.check("op")->comparison.verdict, hone::stats::Verdict::no_change);  // recovered
  for (int i = 0; i < 600; ++i) monitor.record("op", timings.next(130.0));
  monitor.check("op");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(monitor.episodes("op"), 2u);
}

TEST(RegressionMonitor, RareOutliersDoNotTripIt) {
  int calls = 0;
  RegressionMonitor monitor(small_options(), [&](const RegressionReport&) { ++calls; });
  Timings timings(3);
  for (int i = 0; i < 200; ++i) monitor.record("op", timings.next(100.0));
  for (int i = 0; i < 5000; ++i) monitor.record("op", i % 100 == 5 ? 10000.0 : timings.next(100.0));
  monitor.check("op");
  EXPECT_EQ(calls, 0);  // a mean-over-baseline ratio would fire on every window
}

TEST(RegressionMonitor, GivenBaselineAndImprovements) {
  RegressionMonitorOptions options = small_options();
  options.report_improvements = true;
  std::vector<hone::stats::Verdict> verdicts;
  RegressionMonitor monitor(options, [&](const RegressionReport& r) { verdicts.push_back(r.comparison.verdict); });
  Timings timings(4);
  std::vector<double> baseline;
  for (int i = 0; i < 300; ++i) baseline.push_back(timings.next(200.0));
  ASSERT_TRUE(monitor.set_baseline("query", baseline));
  for (int i = 0; i < 500; ++i) monitor.record("query", timings.next(150.0));  // 25 % faster
  const auto report = monitor.check("query");
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0], hone::stats::Verdict::improvement);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->baseline_samples, 200u);  // the last baseline_size of the given values
  EXPECT_LT(report->comparison.change_percent, -15.0);
  EXPECT_FALSE(monitor.set_baseline("query", std::vector<double>{}));
  EXPECT_FALSE(monitor.set_baseline("query", std::vector<double>{5.0}));
}

TEST(RegressionMonitor, CheckNeedsTheWarmUp) {
  RegressionMonitor monitor(small_options());
  EXPECT_FALSE(monitor.check("unknown").has_value());
  for (int i = 0; i < 150; ++i) monitor.record("young", 1.0 + i % 10);
  EXPECT_FALSE(monitor.check("young").has_value());  // still learning the baseline
  monitor.record("young", std::nan(""));             // ignored
  monitor.record("young", 0.0);                      // ignored: the test works on logarithms
  for (int i = 0; i < 53; ++i) monitor.record("young", 1.0 + i % 10);
  const auto report = monitor.check("young");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->check_number, 3u);
  EXPECT_EQ(report->baseline_samples, 200u);
  EXPECT_EQ(report->comparison.verdict, hone::stats::Verdict::no_change);
}

TEST(RegressionMonitor, MemoryIsBounded) {
  RegressionMonitorOptions options = small_options();
  options.max_operations = 2;
  RegressionMonitor monitor(options);
  for (int i = 0; i < 100000; ++i) monitor.record("a", 1.0 + (i % 7));
  monitor.record("b", 1.0);
  monitor.record("c", 1.0);
  monitor.record("d", 1.0);
  EXPECT_EQ(monitor.dropped_samples(), 2u);
  const auto report = monitor.check("a");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->baseline_samples, 200u);
  EXPECT_EQ(report->check_number, 100000u - 200u);
  EXPECT_FALSE(monitor.set_baseline("e", std::vector<double>{1.0, 2.0}));
}

TEST(RegressionMonitor, ThrowingCallbackDoesNotEscape) {
  RegressionMonitor monitor(small_options(), [](const RegressionReport&) { throw std::runtime_error("boom"); });
  Timings timings(5);
  for (int i = 0; i < 200; ++i) monitor.record("op", timings.next(100.0));
  for (int i = 0; i < 500; ++i) monitor.record("op", timings.next(200.0));  // regression -> callback throws
  EXPECT_TRUE(monitor.check("op").has_value());
  EXPECT_EQ(monitor.episodes("op"), 1u);
}

TEST(RegressionMonitor, SamplesOfAnExitedThreadAreFolded) {
  RegressionMonitorOptions options = small_options();
  options.baseline_size = 10;
  options.check_every = 128;  // nothing folded by the recording thread itself
  RegressionMonitor monitor(options);
  std::thread([&] {
    for (int i = 0; i < 25; ++i) monitor.record("job", 5.0 + i % 3);
  }).join();
  const auto report = monitor.check("job");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->check_number, 15u);
  std::thread([&] {  // the next thread adopts the abandoned ring
    for (int i = 0; i < 5; ++i) monitor.record("job", 5.0);
  })
      .join();
  EXPECT_EQ(monitor.check("job")->check_number, 20u);
}

TEST(RegressionMonitor, FullRingWaitsInsteadOfDropping) {
  RegressionMonitorOptions options = small_options();
  options.baseline_size = 10;
  options.check_every = 100000;  // clamped to half the ring
  RegressionMonitor monitor(options);
  for (int i = 0; i < 10000; ++i) monitor.record("op", 3.0 + i % 5);
  EXPECT_EQ(monitor.check("op")->check_number, 10000u - 10u);
}

TEST(RegressionMonitor, TimerRecordsElapsedTime) {
  RegressionMonitorOptions options = small_options();
  options.baseline_size = 2;
  RegressionMonitor monitor(options);
  for (int i = 0; i < 3; ++i) {
    RegressionMonitor::Timer timer(monitor, "scope");
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  const auto report = monitor.check("scope");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->check_number, 1u);
  EXPECT_GE(report->comparison.base_median, 50'000.0);  // nanoseconds
}

TEST(RegressionMonitor, ManyThreadsManyOperationsAndReentrantCallback) {
  std::atomic<int> regressions{0};
  RegressionMonitor* self = nullptr;
  RegressionMonitor monitor(small_options(), [&](const RegressionReport& r) {
    if (self->check(r.operation).has_value()) regressions.fetch_add(1);               // calling back in is allowed
    for (int i = 0; i < 20; ++i) self->record("callback_" + std::to_string(i), 1.0);  // evicts cache entries
  });
  self = &monitor;
  // Every thread ends its fast phase before any starts its slow one: unsynchronized phases made a mixture
  // of fast and slow samples whose episodes depended on the scheduler (3 under TSan on a loaded machine).
  std::barrier phase_change(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&monitor, &phase_change, t] {
      Timings timings(static_cast<std::uint64_t>(10 + t));
      const std::string name = t % 2 ? "odd" : "even";
      const std::string own = "thread_" + std::to_string(t);
      for (int i = 0; i < 3000; ++i) {
        if (i == 1000) phase_change.arrive_and_wait();
        monitor.record(name, timings.next(i < 1000 ? 100.0 : 150.0));
        if (i % 50 == 0) monitor.record(own, 1.0 + i % 3);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::uint64_t episodes = 0;
  for (const char* name : {"odd", "even"}) {
    const auto report = monitor.check(name);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->comparison.verdict, hone::stats::Verdict::regression);
    EXPECT_EQ(report->check_number, 6000u - 200u);  // no sample lost
    // One episode; two at most, when fast samples a thread had not yet handed over (its ring is folded
    // every 64 samples) are folded after the other thread's first slow ones.
    EXPECT_GE(monitor.episodes(name), 1u);
    EXPECT_LE(monitor.episodes(name), 2u);
    episodes += monitor.episodes(name);
  }
  EXPECT_EQ(static_cast<std::uint64_t>(regressions.load()), episodes);
}

}  // namespace
