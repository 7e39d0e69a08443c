// Error rates of the issue 8 RegressionMonitor (regression_monitor_v1: a U test of the last 50 samples
// against a 100-sample baseline every 50 samples) and of the new one (CUSUM, hone/sequential.h) on the
// same seeded lognormal timings, both with default options: callbacks on stationary data per check and
// per 10,000 samples, and callbacks during a persistent +20 % step. For docs/runtime.md and
// docs/bench.md; the new monitor's rates are also asserted by stats_step_detector_test.
// usage: regression_error_rates
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>

#include "hone/regression_monitor.h"
#include "regression_monitor_v1.h"

namespace {

class Lognormal {
public:
  Lognormal(std::uint64_t seed, double sd) : engine_(seed), sd_(sd) {}
  double next(double median) {
    const double u1 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
    return median * std::exp(sd_ * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }

private:
  std::mt19937_64 engine_;
  double sd_;
};

// Callbacks of a default-constructed Monitor fed `warm_up` samples at 100 and then `count` at `median`.
template <class Monitor, class Options, class Report>
long callbacks(std::uint64_t seed, double sd, long warm_up, long count, double median) {
  long calls = 0;
  Monitor monitor(Options{}, [&calls](const Report&) { ++calls; });
  Lognormal timings(seed, sd);
  for (long i = 0; i < warm_up; ++i) monitor.record("op", timings.next(100.0));
  for (long i = 0; i < count; ++i) monitor.record("op", timings.next(median));
  monitor.check("op");  // the new monitor folds its last batch here
  return calls;
}

}  // namespace

int main() {
  using Old = hone_bench::v1::RegressionMonitor;
  using New = hone::RegressionMonitor;
  constexpr long k_samples = 100'000;  // per run after the warm-up
  constexpr int k_runs = 10;
  std::printf("%-22s %-8s %12s %16s %20s\n", "data", "monitor", "callbacks", "per 10k samples", "per check (v1: 50)");
  for (double sd : {0.2, 0.35, 0.5}) {
    long old_calls = 0, new_calls = 0;
    for (int run = 0; run < k_runs; ++run) {
      old_calls += callbacks<Old, hone_bench::v1::RegressionMonitorOptions, hone_bench::v1::RegressionReport>(
          1000 + run, sd, 100, k_samples, 100.0);
      new_calls +=
          callbacks<New, hone::RegressionMonitorOptions, hone::RegressionReport>(1000 + run, sd, 500, k_samples, 100.0);
    }
    const double samples = static_cast<double>(k_runs) * k_samples;
    std::printf("stationary sd %.2f      %-8s %12ld %16.2f %19.3f%%\n", sd, "v1", old_calls, 1e4 * old_calls / samples,
                100.0 * old_calls / (samples / 50));
    std::printf("stationary sd %.2f      %-8s %12ld %16.2f %19.4f%%\n", sd, "new", new_calls, 1e4 * new_calls / samples,
                100.0 * new_calls / samples);
  }
  const long old_step = callbacks<Old, hone_bench::v1::RegressionMonitorOptions, hone_bench::v1::RegressionReport>(
      7, 0.2, 100, 50 * 1000, 120.0);
  const long new_step =
      callbacks<New, hone::RegressionMonitorOptions, hone::RegressionReport>(7, 0.2, 500, 1000, 120.0);
  std::printf("+20 %% step, sd 0.2: v1 %ld callbacks in 1,000 checks (50,000 samples); new %ld in 1,000 checks\n",
              old_step, new_step);
  return 0;
}
