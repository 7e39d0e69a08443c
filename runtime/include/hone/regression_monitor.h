// hone::RegressionMonitor: catches a slowdown of a named operation inside a long-running service.
//
// Each operation (e.g. "handle_request") gets a sequential test (hone/sequential.h): its first
// `baseline_size` timings are the warm-up baseline, and from then on every timing updates a CUSUM on
// log-times tuned to a step of `detect_percent` %, with a threshold chosen for at most
// `false_alarm_rate` false alarms per sample. The callback runs ONCE per regression episode; the
// monitor re-arms when the mirrored test says the timings are back at the baseline. Measured error
// rates and detection delays per noise level are in docs/runtime.md.
//
// Recording is per thread and lock-free: record() appends to the calling thread's ring of samples for
// that operation (found through a small thread-local cache) and returns. Every `check_every` samples
// the thread tries to fold all threads' rings of the operation into its test (try_lock: if another
// thread is folding, it carries on). It waits for the operation's lock only when its ring is full.
// Samples left by a thread that exits are folded by the next flush, not lost.
//
// Memory is bounded: at most `max_operations` operations; each holds a test (~100 bytes), the last
// `window` samples and the warm-up (for the report), and a 2 KiB ring per recording thread (rings of
// exited threads are reused). Samples for further operations are counted as dropped.
// All member functions are thread-safe and noexcept (no exception crosses this API; allocation
// failure drops the sample). The callback runs on a recording thread outside the monitor's locks, so
// it may call back into the monitor.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hone/stats.h"

namespace hone {

struct RegressionReport {
  std::string operation;
  // Descriptive comparison of the warm-up baseline with the samples since the estimated change (at
  // most `window` of them) by the U test of `hone bench compare`. The verdict is the sequential
  // test's (regression, improvement, or no_change from check() outside an episode); the p-value is the
  // U test's on those samples and, chosen after the fact, is not a corrected significance level.
  stats::Comparison comparison;
  std::size_t baseline_samples = 0;
  std::size_t window_samples = 0;
  std::uint64_t check_number = 0;          // samples tested since the warm-up, this one included
  std::uint64_t episode = 0;               // 1 for the operation's first regression (or improvement) episode
  std::uint64_t samples_since_change = 0;  // the CUSUM's estimate of when the change began
  double statistic = 0.0;                  // the CUSUM statistic S when the test fired (in sd)
  double threshold = 0.0;                  // h
};

struct RegressionMonitorOptions {
  std::size_t window = 50;           // most recent samples kept for the report's comparison
  std::size_t check_every = 64;      // samples a thread buffers before folding them into the test
  std::size_t baseline_size = 500;   // warm-up: samples learned as the baseline when none was set
  std::size_t max_operations = 256;  // distinct operation names tracked
  double detect_percent = 10.0;      // the step the test is tuned for
  double false_alarm_rate = 3e-5;    // nominal false alarms per sample while nothing changes
  stats::DecisionRule rule;          // alpha and minimum effect of the report's descriptive comparison
  bool report_improvements = false;  // also test for (and call back on) speed-ups
};

class RegressionMonitor {
public:
  using Callback = std::function<void(const RegressionReport&)>;

  explicit RegressionMonitor(RegressionMonitorOptions options = {}, Callback callback = {}) noexcept;
  ~RegressionMonitor();
  RegressionMonitor(const RegressionMonitor&) = delete;
  RegressionMonitor& operator=(const RegressionMonitor&) = delete;

  // Records one timing (any unit, consistently; larger = slower). Values that are not finite and > 0
  // are ignored (the test works on logarithms).
  void record(std::string_view operation, double value) noexcept;

  // Replaces the operation's baseline (e.g. last release's timings), ends any open episode and clears
  // its window. False when the operation cannot be tracked or fewer than 2 usable samples are given.
  bool set_baseline(std::string_view operation, std::span<const double> samples) noexcept;

  // Folds every thread's buffered samples into the test and reports its state now, without calling
  // the callback; nullopt when the operation is unknown or still in its warm-up.
  std::optional<RegressionReport> check(std::string_view operation) const noexcept;

  // Samples ignored because max_operations distinct operations were already tracked.
  std::uint64_t dropped_samples() const noexcept;

  // Regression (and improvement) episodes reported for an operation so far.
  std::uint64_t episodes(std::string_view operation) const noexcept;

  // RAII: records the steady-clock nanoseconds between construction and destruction.
  //   { hone::RegressionMonitor::Timer timer(monitor, "handle_request"); handle(request); }
  // The name is not copied: it must outlive the timer (a literal does).
  class Timer {
  public:
    Timer(RegressionMonitor& monitor, std::string_view operation) noexcept
        : monitor_(monitor), operation_(operation), start_(std::chrono::steady_clock::now()) {}
    ~Timer() {
      const auto elapsed = std::chrono::steady_clock::now() - start_;
      monitor_.record(operation_, static_cast<double>(std::chrono::nanoseconds(elapsed).count()));
    }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

  private:
    RegressionMonitor& monitor_;
    std::string_view operation_;
    std::chrono::steady_clock::time_point start_;
  };

  struct State;  // public only so the implementation's thread-local cache can name it

private:
  void record_slowly(std::string_view operation, double value) noexcept;

  std::unique_ptr<State> state_;
};

}  // namespace hone
