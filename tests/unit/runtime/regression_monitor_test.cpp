// Units of runtime/regression: hone::RegressionMonitor learns or takes a baseline, compares its
// rolling window with the same rule as `hone bench compare`, reports through the callback, stays
// within its memory bounds, and is safe to use from many threads (this test also runs under TSan).
#include "hone/regression_monitor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using hone::RegressionMonitor;
using hone::RegressionMonitorOptions;
using hone::RegressionReport;

// Deterministic timings around `centre` with about +-3 % spread (a small LCG, not std::rand).
class Timings {
public:
  explicit Timings(std::uint32_t seed) : state_(seed) {}
  double next(double centre) {
    state_ = state_ * 1664525u + 1013904223u;
    const double unit = static_cast<double>(state_ >> 8) / static_cast<double>(1u << 24);  // [0, 1)
    return centre * (0.97 + 0.06 * unit);
  }

private:
  std::uint32_t state_;
};

RegressionMonitorOptions small_options() {
  RegressionMonitorOptions options;
  options.window = 20;
  options.check_every = 20;
  options.baseline_size = 40;
  return options;
}

TEST(RegressionMonitor, LearnsBaselineAndReportsASlowdown) {
  std::vector<RegressionReport> reports;
  RegressionMonitor monitor(small_options(), [&](const RegressionReport& r) { reports.push_back(r); });
  Timings timings(1);
  for (int i = 0; i < 40; ++i) monitor.record("parse", timings.next(100.0));  // baseline
  for (int i = 0; i < 60; ++i) monitor.record("parse", timings.next(100.0));  // three unchanged windows
  EXPECT_TRUE(reports.empty());
  for (int i = 0; i < 20; ++i) monitor.record("parse", timings.next(115.0));  // 15 % slower
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].operation, "parse");
  EXPECT_EQ(reports[0].comparison.verdict, hone::stats::Verdict::regression);
  EXPECT_GT(reports[0].comparison.change_percent, 10.0);
  EXPECT_LT(reports[0].comparison.p_value, 0.05);
  EXPECT_EQ(reports[0].baseline_samples, 40u);
  EXPECT_EQ(reports[0].window_samples, 20u);
  EXPECT_EQ(reports[0].check_number, 4u);
}

TEST(RegressionMonitor, OneOutlierDoesNotTripIt) {
  int calls = 0;
  RegressionMonitor monitor(small_options(), [&](const RegressionReport&) { ++calls; });
  Timings timings(2);
  for (int i = 0; i < 40; ++i) monitor.record("op", timings.next(100.0));
  for (int i = 0; i < 200; ++i) monitor.record("op", i % 20 == 5 ? 10000.0 : timings.next(100.0));
  EXPECT_EQ(calls, 0);  // a mean-over-baseline ratio would have fired on every window
}

TEST(RegressionMonitor, GivenBaselineAndImprovements) {
  RegressionMonitorOptions options = small_options();
  options.report_improvements = true;
  std::vector<hone::stats::Verdict> verdicts;
  RegressionMonitor monitor(options, [&](const RegressionReport& r) { verdicts.push_back(r.comparison.verdict); });
  Timings timings(3);
  std::vector<double> baseline;
  for (int i = 0; i < 30; ++i) baseline.push_back(timings.next(200.0));
  ASSERT_TRUE(monitor.set_baseline("query", baseline));
  for (int i = 0; i < 20; ++i) monitor.record("query", timings.next(150.0));  // 25 % faster
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0], hone::stats::Verdict::improvement);
  const auto report = monitor.check("query");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->baseline_samples, 30u);
  EXPECT_FALSE(monitor.set_baseline("query", std::vector<double>{}));
}

TEST(RegressionMonitor, CheckNeedsBaselineAndWindow) {
  RegressionMonitor monitor(small_options());
  EXPECT_FALSE(monitor.check("unknown").has_value());
  for (int i = 0; i < 10; ++i) monitor.record("young", 1.0 + i);
  EXPECT_FALSE(monitor.check("young").has_value());  // baseline still being learned
  monitor.record("young", std::nan(""));             // ignored
  for (int i = 0; i < 33; ++i) monitor.record("young", 1.0 + i);
  const auto report = monitor.check("young");
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->window_samples, 3u);
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
  EXPECT_EQ(report->baseline_samples, 40u);
  EXPECT_EQ(report->window_samples, 20u);
  EXPECT_FALSE(monitor.set_baseline("e", std::vector<double>{1.0, 2.0}));
}

TEST(RegressionMonitor, ThrowingCallbackDoesNotEscape) {
  RegressionMonitor monitor(small_options(), [](const RegressionReport&) { throw std::runtime_error("boom"); });
  for (int i = 0; i < 40; ++i) monitor.record("op", 100.0 + i % 5);
  for (int i = 0; i < 20; ++i) monitor.record("op", 200.0 + i % 5);  // regression -> callback throws
  EXPECT_TRUE(monitor.check("op").has_value());
}

TEST(RegressionMonitor, ManyThreadsAndReentrantCallback) {
  std::atomic<int> regressions{0};
  RegressionMonitor* self = nullptr;
  RegressionMonitor monitor(small_options(), [&](const RegressionReport& r) {
    if (self->check(r.operation).has_value()) regressions.fetch_add(1);  // calling back in is allowed
  });
  self = &monitor;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&monitor, t] {
      Timings timings(static_cast<std::uint32_t>(10 + t));
      const std::string name = t % 2 ? "odd" : "even";
      for (int i = 0; i < 2000; ++i) monitor.record(name, timings.next(i < 1000 ? 100.0 : 130.0));
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_GT(regressions.load(), 0);
  for (const char* name : {"odd", "even"}) {
    const auto report = monitor.check(name);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->comparison.verdict, hone::stats::Verdict::regression);
  }
}

}  // namespace
