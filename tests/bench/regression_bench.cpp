// Costs of the regression statistics: one Mann-Whitney U test at the sizes `hone bench compare` uses
// (exact path for 10+10, 20+20 and 50+50, normal approximation for 100+100); and
// RegressionMonitor::record, the new one (per-thread rings, CUSUM) against the issue 8 one
// (regression_monitor_v1: two mutexes, a U test every 50 samples) side by side in one executable, on
// one and two threads recording the same operation, amortised over the folds and checks. Run directly
// for figures (docs/runtime.md); ctest only smoke-runs it. Instructions per record, which do not move
// with the machine's load: regression_instructions.py.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "hone/regression_monitor.h"
#include "hone/stats.h"
#include "regression_monitor_v1.h"

namespace {

std::vector<double> samples(int count, double centre, std::uint32_t seed) {
  std::vector<double> values;
  for (int i = 0; i < count; ++i) {
    seed = seed * 1664525u + 1013904223u;
    values.push_back(centre * (0.95 + 0.1 * static_cast<double>(seed >> 8) / static_cast<double>(1u << 24)));
  }
  return values;
}

void BM_MannWhitney(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<double> base = samples(n, 100.0, 1), current = samples(n, 105.0, 2);
  for (auto _ : state) benchmark::DoNotOptimize(hone::stats::mann_whitney_u(current, base));
}
BENCHMARK(BM_MannWhitney)->Arg(10)->Arg(20)->Arg(50)->Arg(100);

// Both monitors with their defaults; the callback never fires on these stationary values.
template <class Monitor, class Options, class Report> void record_loop(benchmark::State& state) {
  static Monitor* shared = nullptr;  // one monitor for all threads of the run
  if (state.thread_index() == 0) shared = new Monitor(Options{}, [](const Report&) {});
  const std::vector<double> values = samples(1024, 100.0, 3 + static_cast<std::uint32_t>(state.thread_index()));
  std::size_t i = 0;
  for (auto _ : state) shared->record("handle_request", values[i++ & 1023]);
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete shared;
    shared = nullptr;
  }
}

void BM_MonitorRecord_v1(benchmark::State& state) {
  record_loop<hone_bench::v1::RegressionMonitor, hone_bench::v1::RegressionMonitorOptions,
              hone_bench::v1::RegressionReport>(state);
}
void BM_MonitorRecord_new(benchmark::State& state) {
  record_loop<hone::RegressionMonitor, hone::RegressionMonitorOptions, hone::RegressionReport>(state);
}
BENCHMARK(BM_MonitorRecord_v1)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_MonitorRecord_new)->ThreadRange(1, 2)->UseRealTime();

void BM_MonitorTimer_new(benchmark::State& state) {
  hone::RegressionMonitor monitor;
  for (auto _ : state) hone::RegressionMonitor::Timer timer(monitor, "scope");
}
BENCHMARK(BM_MonitorTimer_new);

}  // namespace

BENCHMARK_MAIN();
