// Sampled allocation call stacks: where the bytes are allocated, at a cost that does not grow with
// the number of allocations.
//
// Counting every allocation is cheap (counters.h); capturing a call stack is not (a few microseconds),
// so only a sample of allocations pays for it. The sample is taken over bytes, not calls, the way
// tcmalloc's heap sampler does: every thread carries a countdown of bytes, each allocation subtracts
// its requested size, and the allocation that takes the countdown below zero is sampled; the next
// countdown is drawn from an exponential distribution with mean `interval` bytes (a Poisson process
// over the stream of allocated bytes). An allocation of s bytes is therefore sampled with probability
// p = 1 - exp(-s / interval), independently of what came before, and a sample stands for s / p bytes
// and 1 / p allocations: summing those weights gives unbiased estimates, per stack, of the bytes and
// calls that were made. Large allocations are nearly always sampled; many small ones are represented
// in proportion to the bytes they add up to, so a hot 16-byte allocation is not invisible. Zero-byte
// requests add no bytes and are never sampled.
//
// The hot path is one subtraction and one compare in record_allocation(); everything else is here and
// in sampling.cpp. The sampled path captures the stack with the unwinder (_Unwind_Backtrace, which
// needs no frame pointers), with the thread's `in_sample` flag set so that anything the unwinder or
// the table allocates is counted but never sampled (no recursion), and adds the weights to a fixed
// open-addressing table of stacks shared by all threads (sampling.cpp explains its lock-free insert).
//
// Nothing here may call malloc: in the preload library this code runs inside malloc itself.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hone::alloc::detail {

struct ThreadCounters;

// Frames kept per sampled stack, innermost first, the allocation functions themselves left out.
inline constexpr std::size_t k_sample_frames = 16;
// The default mean number of bytes between samples (HONE_ALLOC_SAMPLE overrides it; 0 turns sampling
// off). At 512 KiB, a program allocating 1 GB/s takes ~2,000 samples a second.
inline constexpr std::int64_t k_default_sample_interval = 512 * 1024;

// One stack's share of the samples, as read from the table.
struct SampledSite {
  std::uint64_t samples = 0;
  std::uint64_t bytes = 0;        // estimated bytes requested from this stack (sum of s / p)
  std::uint64_t allocations = 0;  // estimated allocations from this stack (sum of 1 / p, rounded)
  std::uint32_t depth = 0;
  void* frames[k_sample_frames] = {};  // return addresses, innermost first
};

// The whole table's figures: every sample, including those of stacks that did not fit (`dropped`).
struct SamplingTotals {
  std::int64_t interval = 0;  // the mean bytes between samples now in force (0: off)
  std::uint64_t samples = 0;
  std::uint64_t bytes = 0;
  std::uint64_t allocations = 0;
  std::uint64_t stacks = 0;           // distinct stacks in the table
  std::uint64_t dropped_samples = 0;  // samples whose stack found no free slot (counted in the totals)
};

// The sampled path: called by record_allocation() when the thread's countdown went below zero, with
// the size that took it there. Arms a thread on its first call (or after configure_sampling()).
void sample_allocation(ThreadCounters& counters, std::size_t requested) noexcept;

// The mean interval in bytes (reads HONE_ALLOC_SAMPLE the first time; 0 when sampling is off).
std::int64_t sample_interval() noexcept;

// Copies up to `capacity` stacks with the most estimated bytes (largest first) into `out`, returns how
// many, and fills `totals` (when not null). Safe while other threads sample.
std::size_t top_sampled_sites(SampledSite* out, std::size_t capacity, SamplingTotals* totals) noexcept;

// For tests and benchmarks: sets the interval (0: off) and the random seed (0: seeded from the clock
// and the thread) for threads armed from now on; the calling thread re-arms at its next allocation.
// Other threads keep their current countdown until their next sample.
void configure_sampling(std::int64_t interval, std::uint64_t seed) noexcept;

// For tests: forgets every sample. Call it only while no other thread allocates.
void reset_samples() noexcept;

}  // namespace hone::alloc::detail
