// The RegressionMonitor of issue 8, kept only as the baseline of regression_bench (issue 14 asks for
// the new record() to be measured against the old one side by side). It is the old
// runtime/regression/regression_monitor.cpp and its header, renamed into hone_bench::v1: a map behind
// a shared_mutex, a mutex per operation, and a Mann-Whitney U test every check_every samples.
// Not used anywhere else; not part of the runtime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hone/stats.h"

namespace hone_bench::v1 {

struct RegressionReport {
  std::string operation;
  hone::stats::Comparison comparison;  // base = baseline, current = the window
  std::size_t baseline_samples = 0;
  std::size_t window_samples = 0;
  std::uint64_t check_number = 0;  // how many checks this operation had, this one included
};

struct RegressionMonitorOptions {
  std::size_t window = 50;           // most recent samples compared against the baseline
  std::size_t check_every = 50;      // new samples between two checks (0 means: window)
  std::size_t baseline_size = 100;   // samples learned as the baseline when none was set
  std::size_t max_operations = 256;  // distinct operation names tracked
  hone::stats::DecisionRule rule;    // alpha and minimum effect, as in `hone bench compare`
  bool report_improvements = false;  // also call back on significant speed-ups
};

class RegressionMonitor {
public:
  using Callback = std::function<void(const RegressionReport&)>;

  explicit RegressionMonitor(RegressionMonitorOptions options = {}, Callback callback = {}) noexcept;
  ~RegressionMonitor();
  RegressionMonitor(const RegressionMonitor&) = delete;
  RegressionMonitor& operator=(const RegressionMonitor&) = delete;

  // Records one timing (any unit, consistently; larger = slower). Non-finite values are ignored.
  void record(std::string_view operation, double value) noexcept;

  // Replaces the operation's baseline (at most baseline_size values are kept: the last ones) and
  // clears its window. False when the operation cannot be tracked or the samples are empty.
  bool set_baseline(std::string_view operation, std::span<const double> samples) noexcept;

  // Compares the current window with the baseline now, without calling the callback; nullopt when
  // the operation is unknown, has no complete baseline, or has fewer than 3 samples in the window.
  std::optional<RegressionReport> check(std::string_view operation) const noexcept;

  // Samples ignored because max_operations distinct operations were already tracked.
  std::uint64_t dropped_samples() const noexcept;

private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hone_bench::v1
