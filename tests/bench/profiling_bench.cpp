// Cost of a profiling zone: enter+exit with recording on, with recording switched off at run time,
// and, as the baseline measured in the same run, a bare pair of std::chrono::steady_clock::now() calls
// (what a hand-rolled timer costs). Targets (issue 6): enabled <= 10 ns, disabled <= 1 ns.
#include "hone/profiling.h"

#include <benchmark/benchmark.h>

#include <chrono>

namespace {

void BM_SteadyClockPair(benchmark::State& state) {
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto stop = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(start);
    benchmark::DoNotOptimize(stop);
  }
}
BENCHMARK(BM_SteadyClockPair);

void BM_ZoneEnabled(benchmark::State& state) {
  hone::profiling::set_enabled(true);
  for (auto _ : state) {
    HONE_ZONE("bench.enabled");
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_ZoneEnabled);

void BM_ZoneEnabledNested(benchmark::State& state) {
  hone::profiling::set_enabled(true);
  HONE_ZONE("bench.parent");
  for (auto _ : state) {
    HONE_ZONE("bench.child");
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_ZoneEnabledNested);

void BM_ZoneDisabled(benchmark::State& state) {
  hone::profiling::set_enabled(false);
  for (auto _ : state) {
    HONE_ZONE("bench.disabled");
    benchmark::ClobberMemory();
  }
  hone::profiling::set_enabled(true);
}
BENCHMARK(BM_ZoneDisabled);

void BM_EmptyLoop(benchmark::State& state) {
  for (auto _ : state) benchmark::ClobberMemory();
}
BENCHMARK(BM_EmptyLoop);

}  // namespace

BENCHMARK_MAIN();
