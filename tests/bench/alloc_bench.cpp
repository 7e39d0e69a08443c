// Allocation-heavy microbenchmarks for the cost of allocation tracking. The same source is built
// twice: alloc_bench with the C++ runtime's own operator new/delete (the baseline) and
// alloc_bench_tracked linked with hone::alloc_tracking. tests/bench/alloc_overhead.py runs the two
// (and the baseline under LD_PRELOAD=libhone_alloc_preload.so) interleaved and prints the ratios.
//
// Patterns: a bare new/delete pair of one small size (the worst case: nothing but allocation), a batch
// of mixed sizes freed in a scrambled order (allocator state less friendly than a LIFO pair), and two
// everyday container workloads (a std::map<std::string, int> and a vector of strings built and torn
// down) where allocation dominates but is not everything.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <new>
#include <string>
#include <vector>

#if defined(HONE_BENCH_TRACKED)
#include "hone/alloc_tracking.h"
#endif

namespace {

void BM_NewDeletePair(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    void* block = ::operator new(size);
    benchmark::DoNotOptimize(block);
    ::operator delete(block, size);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NewDeletePair)->Arg(32)->Arg(512);

// A fixed pseudo-random sequence (xorshift), the same in every executable.
std::uint32_t next_random(std::uint32_t& seed) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

void BM_MixedBatch(benchmark::State& state) {
  constexpr std::size_t k_batch = 1024;
  std::vector<std::size_t> sizes(k_batch);
  std::vector<std::size_t> order(k_batch);
  std::uint32_t seed = 12345;
  for (std::size_t i = 0; i < k_batch; ++i) {
    sizes[i] = 8 + next_random(seed) % 505;  // 8 .. 512 bytes
    order[i] = i;
  }
  for (std::size_t i = k_batch - 1; i > 0; --i) std::swap(order[i], order[next_random(seed) % (i + 1)]);
  std::vector<void*> blocks(k_batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < k_batch; ++i) blocks[i] = ::operator new(sizes[i]);
    benchmark::DoNotOptimize(blocks.data());
    for (std::size_t i = 0; i < k_batch; ++i) ::operator delete(blocks[order[i]]);
  }
  state.SetItemsProcessed(state.iterations() * k_batch);
}
BENCHMARK(BM_MixedBatch);

void BM_StringMap(benchmark::State& state) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("a key long enough to be on the heap #" + std::to_string(i));
  for (auto _ : state) {
    std::map<std::string, int> map;
    for (std::size_t i = 0; i < keys.size(); ++i) map.emplace(keys[i], static_cast<int>(i));
    benchmark::DoNotOptimize(map);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(keys.size()));
}
BENCHMARK(BM_StringMap);

void BM_VectorOfStrings(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<std::string> lines;
    for (int i = 0; i < 1000; ++i) lines.emplace_back(40 + i % 50, 'x');
    benchmark::DoNotOptimize(lines);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_VectorOfStrings);

}  // namespace

int main(int argc, char** argv) {
#if defined(HONE_BENCH_TRACKED)
  if (!hone::alloc_tracking_active()) return 1;  // the tracked build must really be tracking
  benchmark::AddCustomContext("alloc_tracking", hone::alloc_tracking_kind());
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
