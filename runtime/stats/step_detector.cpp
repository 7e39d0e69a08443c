// hone::stats::StepDetector, the CUSUM on log-times behind hone::RegressionMonitor (the method, its
// parameters and why are in hone/sequential.h; the measured error rates in docs/runtime.md).
//
// Each add() is a handful of floating-point operations and one log(); nothing allocates. The one
// costly step, solving for the threshold (80 bisection steps), runs once, when the baseline is complete.
#include "hone/sequential.h"

#include <algorithm>
#include <cmath>

namespace hone::stats {
namespace {

// Siegmund's approximation of the in-control average run length of a one-sided CUSUM with
// standard normal increments, reference k and threshold h (b = h + 1.166 corrects for the
// overshoot of the discrete walk over the threshold).
double siegmund_arl(double k, double h) {
  const double b = h + 1.166;
  const double two_kb = 2.0 * k * b;
  return (std::exp(two_kb) - two_kb - 1.0) / (2.0 * k * k);
}

// Below this many baseline samples no standard deviation is trusted; a warm-up is at least this long.
constexpr std::uint64_t k_min_baseline = 2;

}  // namespace

double cusum_threshold(double k, double arl0) noexcept {
  if (!(k > 0.0) || !(arl0 > 1.0)) return 0.0;
  // The ARL grows monotonically with h: bisect. 200 standard deviations is far beyond any useful h.
  double low = 0.0, high = 200.0;
  for (int i = 0; i < 80; ++i) {
    const double middle = 0.5 * (low + high);
    (siegmund_arl(k, middle) < arl0 ? low : high) = middle;
  }
  return high;
}

StepDetector::StepDetector(StepDetectorOptions options) noexcept : options_(options) {
  options_.warm_up = std::max<std::size_t>(options_.warm_up, k_min_baseline);
  if (!(options_.detect_percent > 0.0)) options_.detect_percent = 10.0;
  if (!(options_.false_alarm_rate > 0.0 && options_.false_alarm_rate < 1.0)) options_.false_alarm_rate = 1e-5;
  if (!(options_.clip > 0.0)) options_.clip = 4.0;
  if (!(options_.baseline_margin >= 0.0)) options_.baseline_margin = 0.0;
}

double StepDetector::baseline_log_sd() const noexcept {
  return count_ >= k_min_baseline ? std::sqrt(m2_ / static_cast<double>(count_ - 1)) : 0.0;
}

void StepDetector::learn(double log_value) noexcept {
  ++count_;
  const double delta = log_value - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (log_value - mean_);
  if (count_ >= options_.warm_up) derive_limits();
}

void StepDetector::reset_test() noexcept {
  upper_ = lower_ = recovery_ = 0.0;
  run_length_ = 0;
  episode_ = StepEvent::none;
}

void StepDetector::derive_limits() noexcept {
  double sd = baseline_log_sd();
  // Identical timings (a cached result, a coarse clock) have sd 0; a floor of 0.1 % keeps z finite
  // and treats any change far above that as significant, which is what identical timings mean.
  sd = std::max(sd, 1e-3);
  inv_sd_ = 1.0 / sd;
  k_ = std::log1p(options_.detect_percent / 100.0) / (2.0 * sd);
  // With both sides tested each gets half the false-alarm budget.
  const double rate = options_.detect_improvements ? options_.false_alarm_rate / 2.0 : options_.false_alarm_rate;
  // The warm-up's mean is an estimate: off by e (in sd) it shifts every z by e, the drift of S from -k
  // to e - k, and false alarms come far more often than 1 / ARL0 (measured: 3x for a 2.8-standard-error
  // miss at 500 samples). So h is chosen for the drift of a mean that is `baseline_margin` standard
  // errors (1 / sqrt(n) in sd) too low, not for the exact -k.
  const double margin = options_.baseline_margin / std::sqrt(static_cast<double>(count_));
  h_ = cusum_threshold(std::max(k_ - margin, k_ / 4.0), 1.0 / rate);
  // With almost no spread k can exceed the clip, and a clipped z could never pass k: keep room for 2k.
  clip_ = std::max(options_.clip, 4.0 * k_);
  armed_ = true;
}

bool StepDetector::set_baseline(std::span<const double> values) noexcept {
  std::uint64_t count = 0;
  double mean = 0.0, m2 = 0.0;
  for (double value : values) {
    if (!(value > 0.0) || !std::isfinite(value)) continue;
    const double y = std::log(value);
    ++count;
    const double delta = y - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (y - mean);
  }
  if (count < k_min_baseline) return false;
  count_ = count;
  mean_ = mean;
  m2_ = m2;
  derive_limits();
  reset_test();
  return true;
}

StepEvent StepDetector::add(double value) noexcept {
  if (!(value > 0.0) || !std::isfinite(value)) return StepEvent::none;
  const double y = std::log(value);
  if (!armed_) {
    learn(y);
    return StepEvent::none;
  }
  ++tested_;
  const double z = std::clamp((y - mean_) * inv_sd_, -clip_, clip_);
  if (episode_ != StepEvent::none) {
    // Evidence that the level is back: z near 0 instead of near +-2k.
    const double toward_baseline = episode_ == StepEvent::regression ? k_ - z : k_ + z;
    recovery_ = std::max(0.0, recovery_ + toward_baseline);
    if (recovery_ < h_) return StepEvent::none;
    reset_test();
    return StepEvent::recovered;
  }
  upper_ = std::max(0.0, upper_ + z - k_);
  if (options_.detect_improvements) lower_ = std::max(0.0, lower_ - z - k_);
  run_length_ = (upper_ > 0.0 || lower_ > 0.0) ? run_length_ + 1 : 0;
  if (upper_ >= h_ || lower_ >= h_) {
    episode_ = upper_ >= h_ ? StepEvent::regression : StepEvent::improvement;
    recovery_ = 0.0;
    return episode_;
  }
  return StepEvent::none;
}

}  // namespace hone::stats
