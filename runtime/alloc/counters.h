// Per-thread allocation counters, shared by the two counting libraries (the operator new/delete
// replacement and the LD_PRELOAD malloc replacement).
//
// The allocation functions call record_allocation() / record_free() after the real allocator has done
// its work. These two are inline, because they run on every allocation: a thread-local pointer, three
// counter updates on a cache line only this thread writes, and two compares (three on allocation: the
// byte countdown of the call-stack sampler, sampling.h). Everything else (attaching
// a thread, publishing to the shared peak, reading) is in counters.cpp, which explains the design.
//
// Nothing here may allocate from the heap: in the preload library this code runs inside malloc.
#pragma once

#include "hone/alloc_tracking.h"
#include "provider.h"
#include "sampling.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace hone::alloc::detail {

// A thread publishes its balance to the shared peak once it has moved by this much.
inline constexpr std::int64_t k_publish_bytes = 16 * 1024;
inline constexpr std::int64_t k_no_exact_high = INT64_MAX;

// The ThreadTotals base (provider.h: bytes allocated, bytes freed, allocations) and the rest are
// written by the owning thread only (relaxed load + store, no read-modify-write) and read by anyone.
// The allocation count equals the sum of the size classes; it is kept on its own as well so that a
// profiling zone reads one counter, not 42, at entry and exit.
struct alignas(64) ThreadCounters : ThreadTotals {
  std::atomic<std::uint64_t> frees{0};
  std::atomic<std::uint64_t> requested_bytes{0};
  // Touched by the owning thread only.
  std::int64_t scope_peak = 0;         // highest balance since the innermost AllocScope began
  std::int64_t published_balance = 0;  // the balance last added to the shared one
  std::int64_t exact_high = 0;         // highest balance below k_publish_bytes published so far,
                                       // k_no_exact_high once the thread has held k_publish_bytes
  // The balances at which to publish next (publish() keeps them), so each hot path has one compare:
  // 16 KiB away from the published balance, or a new high while the thread holds less than 16 KiB.
  std::int64_t publish_at_or_above = 1;
  std::int64_t publish_at_or_below = -k_publish_bytes;
  // The call-stack sampler's state (sampling.h), owning thread only. The countdown starts at 0, so the
  // thread's first allocation takes the sampled path, which arms the sampler.
  std::int64_t sample_countdown = 0;
  std::int64_t sample_interval = 0;  // the mean interval this thread draws with (0: off)
  std::uint64_t sample_random = 0;   // xorshift state
  bool sample_armed = false;
  bool in_sample = false;  // inside sample_allocation(): allocations made there are never sampled
  std::atomic<std::uint64_t> size_classes[k_alloc_size_classes] = {};
  // `next_all` is set before the block is published and never changes; `next_free` is guarded by the
  // registry mutex.
  ThreadCounters* next_all = nullptr;
  ThreadCounters* next_free = nullptr;
};

// initial-exec: the preload library is loaded at start-up, so its TLS is in the static block and
// reading it needs no __tls_get_addr call (which could itself allocate). constinit: no TLS wrapper.
extern constinit thread_local ThreadCounters* t_counters __attribute__((tls_model("initial-exec")));

ThreadCounters* attach_this_thread() noexcept;  // null only if mmap fails
void publish(ThreadCounters& counters, std::int64_t balance) noexcept;

inline void add_relaxed(std::atomic<std::uint64_t>& counter, std::uint64_t amount) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

// `requested` is the size asked for, `usable` the size of the block the allocator returned. Forced
// inline (at every optimization level, sanitizer builds' -O1 included): besides the cost, the sampler
// finds the allocation function as the frame that called sample_allocation(), so nothing of the
// tracking code may be a frame of its own between the two.
[[gnu::always_inline]] inline void record_allocation(std::size_t requested, std::size_t usable) noexcept {
  ThreadCounters* c = t_counters;
  if (__builtin_expect(c == nullptr, 0) && (c = attach_this_thread()) == nullptr) return;
  const std::uint64_t allocated = c->bytes_allocated.load(std::memory_order_relaxed) + usable;
  c->bytes_allocated.store(allocated, std::memory_order_relaxed);
  add_relaxed(c->requested_bytes, requested);
  add_relaxed(c->allocations, 1);
  add_relaxed(c->size_classes[alloc_size_class(requested)], 1);
  c->sample_countdown -= static_cast<std::int64_t>(requested);
  if (__builtin_expect(c->sample_countdown < 0, 0)) sample_allocation(*c, requested);
  const auto balance = static_cast<std::int64_t>(allocated - c->bytes_freed.load(std::memory_order_relaxed));
  if (balance > c->scope_peak) c->scope_peak = balance;
  // Publish every 16 KiB of growth, and every new high until the thread first holds 16 KiB: a program
  // (or thread) that never holds 16 KiB at once still gets its real peak, at the cost of a few hundred
  // atomics at most.
  if (__builtin_expect(balance >= c->publish_at_or_above, 0)) publish(*c, balance);
}

[[gnu::always_inline]] inline void record_free(std::size_t usable) noexcept {
  ThreadCounters* c = t_counters;
  if (__builtin_expect(c == nullptr, 0) && (c = attach_this_thread()) == nullptr) return;
  const std::uint64_t freed = c->bytes_freed.load(std::memory_order_relaxed) + usable;
  c->bytes_freed.store(freed, std::memory_order_relaxed);
  add_relaxed(c->frees, 1);
  const auto balance = static_cast<std::int64_t>(c->bytes_allocated.load(std::memory_order_relaxed) - freed);
  if (__builtin_expect(balance <= c->publish_at_or_below, 0)) publish(*c, balance);
}

// The entries of the provider table (provider.h) that each counting library exports.
void process_stats(AllocStats* out);
void thread_stats(AllocStats* out);
std::int64_t scope_begin();
void scope_end(std::int64_t saved);
const ThreadTotals* thread_totals();

}  // namespace hone::alloc::detail
