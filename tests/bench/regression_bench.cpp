// Costs of the regression statistics, for docs/bench.md: one Mann-Whitney U test at the sizes
// `hone bench compare` and hone::RegressionMonitor use (exact path for 10+10 and 20+20 and 50+50,
// normal approximation for 100+100), and RegressionMonitor::record on its fast path (no check) and
// amortised over its checks. Run directly for figures; ctest only smoke-runs it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "hone/regression_monitor.h"
#include "hone/stats.h"

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

void BM_MonitorRecord(benchmark::State& state) {
  hone::RegressionMonitorOptions options;  // window 50, check every 50, baseline 100
  hone::RegressionMonitor monitor(options, [](const hone::RegressionReport&) {});
  const std::vector<double> values = samples(1024, 100.0, 3);
  std::size_t i = 0;
  for (auto _ : state) monitor.record("handle_request", values[i++ & 1023]);
}
BENCHMARK(BM_MonitorRecord)->ThreadRange(1, 2);

}  // namespace

BENCHMARK_MAIN();
