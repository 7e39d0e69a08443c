// hone::stats::StepDetector: a sequential test for "this operation got slower (or faster) by about
// p %", fed one timing at a time, with a controlled false-alarm rate. hone::RegressionMonitor runs one
// per operation; it is public so a program can run the test on its own data, and so it can be tested
// without threads.
//
// Method: a one-sided CUSUM (Page 1954) on log-times, standardized against a warm-up baseline.
//   y = log(x); z = clamp((y - mean) / sd, -clip, +clip), mean and sd of the baseline's log-times
//   S = max(0, S + z - k), alarm when S >= h
// Logs because timings are skewed and multiplicative: a +10 % step is the same shift log(1.1) at any
// speed, and lognormal noise becomes normal. The reference value k is half the step the test is tuned
// for, in standard deviations: k = log(1 + detect_percent / 100) / (2 sd), which makes the CUSUM the
// sequential probability ratio test between "no change" and "that step" (the fastest detector for a
// given false-alarm rate, Lorden 1971). The threshold h is solved from Siegmund's approximation of the
// in-control average run length, ARL0 = (exp(2 k b) - 2 k b - 1) / (2 k^2), b = h + 1.166, with
// ARL0 = 1 / false_alarm_rate: a false alarm per sample at most that often. Clipping z bounds what one
// outlier (a preempted request) can add to S.
//
// Episodes and re-arm: after an alarm the detector is "in an episode" and raises nothing more; a mirror
// CUSUM, R = max(0, R + k - z), collects evidence that the level is back at the baseline and ends the
// episode at R >= h (same k and h, so recovery is declared with the same confidence as the alarm). A
// persistent step never recovers, so it gives exactly one alarm.
//
// The baseline is the warm-up, then frozen: a baseline that keeps learning absorbs a slow change
// before the test sees it (measured: a +10 % step at sd 0.3 was never detected in 17 % of runs when
// samples far from an alarm kept updating the mean). The warm-up's mean is an estimate, and a mean
// that came out low shifts every z up: the false-alarm rate then exceeds 1 / ARL0 (measured 2.6x at
// 500 samples). So h is solved for the drift k - baseline_margin / sqrt(n) instead of k, i.e. it holds
// ARL0 for a baseline mean that is up to baseline_margin standard errors low; with the defaults the
// measured false-alarm rate is below the nominal one (docs/runtime.md). A baseline given with
// set_baseline() replaces the warm-up.
//
// Not thread-safe (RegressionMonitor serializes it per operation); noexcept; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace hone::stats {

struct StepDetectorOptions {
  double detect_percent = 10.0;      // the step the test is tuned for (k = half of it, in sd)
  double false_alarm_rate = 3e-5;    // per sample while nothing changes (ARL0 = its inverse)
  std::size_t warm_up = 500;         // samples learned as the baseline before the test starts
  double clip = 4.0;                 // |z| is clipped here: one outlier adds at most clip - k
  double baseline_margin = 1.0;      // h holds ARL0 even if the baseline mean is this many standard errors low
  bool detect_improvements = false;  // also run the mirrored test for speed-ups
};

// What one sample did to the test.
enum class StepEvent : std::uint8_t { none, regression, improvement, recovered };

// CUSUM threshold h for a reference value k (in standard deviations) and an in-control average run
// length arl0 (samples between false alarms), by Siegmund's approximation; k > 0, arl0 > 1.
double cusum_threshold(double k, double arl0) noexcept;

class StepDetector {
public:
  explicit StepDetector(StepDetectorOptions options = {}) noexcept;

  // Feeds one timing (> 0 and finite; anything else is ignored and returns none).
  StepEvent add(double value) noexcept;

  // Replaces the baseline by these timings (non-positive and non-finite ones skipped) and ends any
  // episode. False (and nothing changed) with fewer than 2 usable values.
  bool set_baseline(std::span<const double> values) noexcept;

  bool warmed_up() const noexcept { return armed_; }
  bool in_episode() const noexcept { return episode_ != StepEvent::none; }
  StepEvent episode() const noexcept { return episode_; }  // regression, improvement or none
  std::uint64_t baseline_count() const noexcept { return count_; }
  double baseline_log_mean() const noexcept { return mean_; }
  double baseline_log_sd() const noexcept;
  double statistic() const noexcept { return upper_ > lower_ ? upper_ : lower_; }  // S of the larger side
  double threshold() const noexcept { return h_; }
  double reference() const noexcept { return k_; }
  // Samples since the statistic of the side that fired last left 0: the CUSUM's estimate of how long
  // ago the change happened (0 when no side is accumulating).
  std::uint64_t samples_since_change() const noexcept { return run_length_; }
  std::uint64_t samples_tested() const noexcept { return tested_; }  // after the warm-up

private:
  void learn(double log_value) noexcept;
  void derive_limits() noexcept;
  void reset_test() noexcept;

  StepDetectorOptions options_;
  std::uint64_t count_ = 0;  // baseline samples (Welford)
  double mean_ = 0.0;
  double m2_ = 0.0;
  double inv_sd_ = 0.0;
  double clip_ = 0.0;
  double k_ = 0.0;
  double h_ = 0.0;
  bool armed_ = false;  // the baseline is complete and the test runs
  double upper_ = 0.0;  // S for slowdowns
  double lower_ = 0.0;  // S for speed-ups
  double recovery_ = 0.0;
  std::uint64_t run_length_ = 0;
  std::uint64_t tested_ = 0;
  StepEvent episode_ = StepEvent::none;
};

}  // namespace hone::stats
