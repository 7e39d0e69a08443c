// Cost of a profiling zone: enter+exit with recording on, with recording switched off at run time,
// and, as the baseline measured in the same run, a bare pair of std::chrono::steady_clock::now() calls
// (what a hand-rolled timer costs) and a bare pair of rdtsc reads (the floor of a TSC-timed zone). Targets (issue 6):
// enabled <= 10 ns, disabled <= 1 ns.
#include "hone/profiling.h"

#include <benchmark/benchmark.h>

#include <chrono>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

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

#if defined(__x86_64__)
// The floor of an enabled zone when the TSC is its clock: a zone reads the counter twice.
void BM_RdtscPair(benchmark::State& state) {
  for (auto _ : state) {
    auto start = __rdtsc();
    auto stop = __rdtsc();
    benchmark::DoNotOptimize(start);
    benchmark::DoNotOptimize(stop);
  }
}
BENCHMARK(BM_RdtscPair);
#endif

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
