// The interface between the public allocation-tracking API (in hone::runtime) and the library that
// actually counts (hone::alloc_tracking, linked into the program, or libhone_alloc_preload.so, loaded
// with LD_PRELOAD).
//
// The counting library exports one C function, hone_alloc_provider(), returning a table of plain
// function pointers. hone::runtime finds it through a weak reference (the linked library) or through
// dlsym (the preloaded one), so a program that links only hone::runtime still builds and simply reads
// zeros, and a program run under the preload library reads the preload library's counters. The table
// is versioned so that a runtime and a counting library from different hone releases refuse each
// other instead of misreading memory.
#pragma once

#include "hone/alloc_tracking.h"
#include "sampling.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace hone::alloc::detail {

// 2: sampled_sites added (and SampledSite / SamplingTotals, sampling.h, are part of the interface).
// 3: thread_totals added (and ThreadTotals below is part of the interface).
inline constexpr std::uint32_t k_provider_abi_version = 3;

// The running totals of one thread, the first part of the counting library's per-thread block
// (ThreadCounters, counters.h). Profiling zones read them at entry and exit while a trace runs, to
// put each zone's allocations in the trace; a pointer to them is handed out once per thread and then
// read directly (relaxed loads, no call, no lock), so the layout is part of the interface. The owning
// thread is the only writer.
struct ThreadTotals {
  std::atomic<std::uint64_t> bytes_allocated{0};  // usable bytes of every block handed out
  std::atomic<std::uint64_t> bytes_freed{0};      // usable bytes of every block released
  std::atomic<std::uint64_t> allocations{0};      // calls that returned memory
};

struct Provider {
  std::uint32_t abi_version;
  const char* kind;  // "operator new" or "malloc"
  // Every thread merged, as documented for hone::alloc_stats().
  void (*process_stats)(AllocStats* out);
  // The calling thread's own counters since it started; current_bytes is the thread's net balance
  // and peak_bytes the highest balance since the innermost open scope began (as a signed value
  // stored in the unsigned field; see AllocScope).
  void (*thread_stats)(AllocStats* out);
  // Starts a scope: returns the running scope peak to restore later and restarts it from the
  // thread's current balance.
  std::int64_t (*scope_begin)();
  // Ends a scope: the enclosing scope's peak becomes the larger of `saved` and this scope's peak.
  void (*scope_end)(std::int64_t saved);
  // The sampled allocation stacks with the most estimated bytes, largest first (top_sampled_sites()
  // in sampling.h): fills up to `capacity` sites and `totals`, returns how many sites it filled.
  std::size_t (*sampled_sites)(SampledSite* out, std::size_t capacity, SamplingTotals* totals);
  // The calling thread's totals (attaching the thread if it has not allocated yet): valid, and the
  // calling thread's, until the thread exits; null only if the counters cannot be set up.
  const ThreadTotals* (*thread_totals)();
};

// The calling thread's totals through the provider hone::runtime found (null without one); for the
// profiler, which calls it once per thread and keeps the pointer (alloc_stats.cpp).
const ThreadTotals* current_thread_totals() noexcept;

}  // namespace hone::alloc::detail

extern "C" const hone::alloc::detail::Provider* hone_alloc_provider() noexcept;
