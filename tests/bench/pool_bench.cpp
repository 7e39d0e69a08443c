// Pools against general-purpose allocators for 64-byte objects: glibc (or mimalloc / jemalloc — the
// same source is linked into hone_bench_pool, hone_bench_pool_mimalloc and hone_bench_pool_jemalloc,
// which replace malloc and operator new process-wide, so each executable's "new_delete" rows are that
// allocator and every executable also carries the hone pools as the side-by-side baseline).
//
// The general-purpose baselines are `malloc`/`free` (rows "malloc") and `new`/`delete` (rows
// "new_delete", which add libstdc++'s operator new wrapper, ~4 ns a pair, to the same malloc): the
// honest ratio of a pool is against malloc.
//
// Patterns, each reported as items (objects) per second:
//   pair   allocate one object and free it again (the allocator's best case: always the hot block)
//   batch  allocate 1024 objects, then free them in allocation order (a container being filled and
//          cleared; exceeds glibc's per-thread tcache)
//   cross  two threads: this one allocates batches of 256, a consumer thread frees them (producer/
//          consumer queues, the case thread caches make hard)
//   mixed  1024 allocations of 16 to 256 bytes (a fixed pseudo-random sequence) that die together:
//          malloc/free each, or an Arena reset once per round (a request's or a frame's scratch memory)
// Run: hone_bench_pool --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include "hone/arena.h"
#include "hone/fixed_pool.h"
#include "hone/object_pool.h"

#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory_resource>
#include <thread>
#include <vector>

#ifndef HONE_BENCH_ALLOCATOR
#define HONE_BENCH_ALLOCATOR "glibc"
#endif

namespace {

struct Object64 {
  explicit Object64(int v) { std::memset(bytes, v, sizeof bytes); }
  unsigned char bytes[64];
};
static_assert(sizeof(Object64) == 64);

// ---- the allocators under test, behind one tiny interface ------------------------------------------
struct NewDelete {
  static constexpr bool k_thread_safe = true;
  Object64* make(int v) { return new Object64(v); }
  void free(Object64* p) { delete p; }
};

struct Malloc {
  static constexpr bool k_thread_safe = true;
  Object64* make(int v) { return new (std::malloc(sizeof(Object64))) Object64(v); }
  void free(Object64* p) { std::free(p); }
};

// (single-threaded resources have no k_thread_safe member, so cross<> rejects them at compile time)
struct PmrUnsynchronized {
  std::pmr::unsynchronized_pool_resource resource;
  Object64* make(int v) { return new (resource.allocate(64, alignof(Object64))) Object64(v); }
  void free(Object64* p) { resource.deallocate(p, 64, alignof(Object64)); }
};

struct PmrSynchronized {
  static constexpr bool k_thread_safe = true;
  std::pmr::synchronized_pool_resource resource;
  Object64* make(int v) { return new (resource.allocate(64, alignof(Object64))) Object64(v); }
  void free(Object64* p) { resource.deallocate(p, 64, alignof(Object64)); }
};

struct HoneFixedPool {
  hone::FixedPool pool{64, [] {
                         hone::FixedPoolOptions options;
                         options.debug_checks = false;
                         return options;
                       }()};
  Object64* make(int v) { return new (pool.allocate_block()) Object64(v); }
  void free(Object64* p) { pool.free_block(p); }
};

struct HoneObjectPool {
  static constexpr bool k_thread_safe = true;
  hone::ObjectPool<Object64> pool{[] {
    hone::ObjectPoolOptions<Object64> options;
    options.debug_checks = false;
    return options;
  }()};
  Object64* make(int v) { return pool.create(v); }
  void free(Object64* p) { pool.destroy(p); }
};

// ---- patterns ----------------------------------------------------------------------------------------------
template <class Allocator> void pair(benchmark::State& state) {
  Allocator allocator;
  int v = 0;
  for (auto _ : state) {
    Object64* p = allocator.make(v++);
    benchmark::DoNotOptimize(p);
    allocator.free(p);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(HONE_BENCH_ALLOCATOR);
}

void handle_pair(benchmark::State& state) {
  HoneObjectPool allocator;
  int v = 0;
  for (auto _ : state) {
    auto handle = allocator.pool.make(v++);
    benchmark::DoNotOptimize(handle.get());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(HONE_BENCH_ALLOCATOR);
}

constexpr std::size_t k_batch = 1024;

template <class Allocator> void batch(benchmark::State& state) {
  Allocator allocator;
  std::vector<Object64*> objects(k_batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < k_batch; ++i) {
      objects[i] = allocator.make(static_cast<int>(i));
    }
    benchmark::DoNotOptimize(objects.data());
    for (std::size_t i = 0; i < k_batch; ++i) {
      allocator.free(objects[i]);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k_batch));
  state.SetLabel(HONE_BENCH_ALLOCATOR);
}

// Single-producer single-consumer ring of batch indices.
class Ring {
public:
  bool push(int value) {
    unsigned tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == k_size) {
      return false;
    }
    slots_[tail % k_size] = value;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }
  bool pop(int& value) {
    unsigned head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) {
      return false;
    }
    value = slots_[head % k_size];
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

private:
  static constexpr unsigned k_size = 64;
  std::array<int, k_size> slots_{};
  alignas(64) std::atomic<unsigned> head_{0};
  alignas(64) std::atomic<unsigned> tail_{0};
};

constexpr std::size_t k_cross_batch = 256;
constexpr int k_buffers = 16;

template <class Allocator> void cross(benchmark::State& state) {
  static_assert(Allocator::k_thread_safe);
  Allocator allocator;
  std::vector<std::array<Object64*, k_cross_batch>> buffers(k_buffers);
  Ring full, empty;
  for (int b = 0; b < k_buffers; ++b) {
    empty.push(b);
  }
  std::thread consumer([&] {
    int b = 0;
    for (;;) {
      while (!full.pop(b)) {
        std::this_thread::yield();
      }
      if (b < 0) {
        return;
      }
      for (Object64* p : buffers[static_cast<std::size_t>(b)]) {
        allocator.free(p);
      }
      while (!empty.push(b)) {
        std::this_thread::yield();
      }
    }
  });
  int v = 0;
  for (auto _ : state) {
    int b = 0;
    while (!empty.pop(b)) {
      std::this_thread::yield();
    }
    for (Object64*& p : buffers[static_cast<std::size_t>(b)]) {
      p = allocator.make(v++);
    }
    while (!full.push(b)) {
      std::this_thread::yield();
    }
  }
  while (!full.push(-1)) {
    std::this_thread::yield();
  }
  consumer.join();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k_cross_batch));
  state.SetLabel(HONE_BENCH_ALLOCATOR);
}

// ---- mixed sizes that die together ------------------------------------------------------------------------
constexpr std::size_t k_mixed = 1024;

std::array<std::uint16_t, k_mixed> mixed_sizes() {
  std::array<std::uint16_t, k_mixed> sizes{};
  std::uint32_t seed = 12345;
  for (std::uint16_t& size : sizes) {
    seed = seed * 1664525u + 1013904223u;
    size = static_cast<std::uint16_t>(16 + (seed >> 8) % 241);  // 16..256 bytes
  }
  return sizes;
}

void mixed_malloc(benchmark::State& state) {
  const auto sizes = mixed_sizes();
  std::vector<void*> blocks(k_mixed);
  for (auto _ : state) {
    for (std::size_t i = 0; i < k_mixed; ++i) {
      blocks[i] = std::malloc(sizes[i]);
      std::memset(blocks[i], 1, 8);
    }
    benchmark::DoNotOptimize(blocks.data());
    for (void* block : blocks) {
      std::free(block);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k_mixed));
  state.SetLabel(HONE_BENCH_ALLOCATOR);
}

void mixed_arena(benchmark::State& state) {
  const auto sizes = mixed_sizes();
  std::vector<void*> blocks(k_mixed);
  hone::Arena arena;
  for (auto _ : state) {
    for (std::size_t i = 0; i < k_mixed; ++i) {
      blocks[i] = arena.allocate_bytes(sizes[i]);
      std::memset(blocks[i], 1, 8);
    }
    benchmark::DoNotOptimize(blocks.data());
    arena.reset();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k_mixed));
  state.SetLabel(HONE_BENCH_ALLOCATOR);
}

BENCHMARK(pair<Malloc>)->Name("pair/malloc");
BENCHMARK(pair<NewDelete>)->Name("pair/new_delete");
BENCHMARK(pair<PmrUnsynchronized>)->Name("pair/pmr_unsync_pool");
BENCHMARK(pair<HoneFixedPool>)->Name("pair/hone_fixed_pool");
BENCHMARK(pair<HoneObjectPool>)->Name("pair/hone_object_pool");
BENCHMARK(handle_pair)->Name("pair/hone_object_pool_handle");
BENCHMARK(batch<Malloc>)->Name("batch/malloc");
BENCHMARK(batch<NewDelete>)->Name("batch/new_delete");
BENCHMARK(batch<PmrUnsynchronized>)->Name("batch/pmr_unsync_pool");
BENCHMARK(batch<HoneFixedPool>)->Name("batch/hone_fixed_pool");
BENCHMARK(batch<HoneObjectPool>)->Name("batch/hone_object_pool");
BENCHMARK(cross<Malloc>)->Name("cross/malloc")->UseRealTime();
BENCHMARK(cross<NewDelete>)->Name("cross/new_delete")->UseRealTime();
BENCHMARK(cross<PmrSynchronized>)->Name("cross/pmr_sync_pool")->UseRealTime();
BENCHMARK(cross<HoneObjectPool>)->Name("cross/hone_object_pool")->UseRealTime();
BENCHMARK(mixed_malloc)->Name("mixed/malloc");
BENCHMARK(mixed_arena)->Name("mixed/hone_arena");

}  // namespace

BENCHMARK_MAIN();
