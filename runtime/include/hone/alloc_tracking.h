// Allocation tracking: how many heap allocations a program (or one block of code) makes, and how much
// memory they hold.
//
//   #include "hone/alloc_tracking.h"
//
//   hone::AllocScope scope;                 // counts the calling thread's allocations from here on
//   process(batch);
//   EXPECT_EQ(scope.stats().allocations, 0u) << "process() must not allocate";
//
// The counting itself is opt-in, because it replaces the program's allocation functions: link the
// target hone::alloc_tracking (it replaces every form of the global operator new and delete), or run
// a program that cannot be relinked with LD_PRELOAD=libhone_alloc_preload.so (it replaces malloc,
// free, calloc, realloc, reallocarray, posix_memalign, aligned_alloc, memalign, valloc and pvalloc,
// which also covers operator new). The functions below are part of hone::runtime and work with
// either; without one of them alloc_tracking_active() is false and every figure is zero.
//
// Each thread counts into its own counters (no lock and no shared atomic per allocation); reads merge
// every thread's counters. Byte figures are the usable size of each block as the C library reports
// it (malloc_usable_size: what the block really occupies, at least what was asked for); the size
// classes count the sizes that were asked for. Nothing here throws.
//
// Where the memory is allocated comes from sampled call stacks: about one allocation per
// HONE_ALLOC_SAMPLE bytes (512 KiB unless set; 0 turns it off) has its stack recorded, chosen over the
// bytes allocated the way tcmalloc's heap sampler chooses, so that estimated bytes and counts per stack
// are unbiased (alloc_top_sites(), and the reports).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hone {

// Size classes of the requested-size histogram: class 0 counts zero-byte requests, class k (1..40)
// counts requests of [2^(k-1), 2^k) bytes, and the last class everything from 2^40 bytes up.
inline constexpr std::size_t k_alloc_size_classes = 42;

constexpr std::size_t alloc_size_class(std::uint64_t requested) noexcept {
  const auto bits = static_cast<std::size_t>(std::bit_width(requested));
  return bits < k_alloc_size_classes ? bits : k_alloc_size_classes - 1;
}

// Smallest request counted in `size_class` (0 for class 0, else 2^(class-1)).
constexpr std::uint64_t alloc_size_class_lower_bound(std::size_t size_class) noexcept {
  return size_class == 0 ? 0 : std::uint64_t{1} << (size_class - 1);
}

struct AllocStats {
  std::uint64_t allocations = 0;      // calls that returned memory (a moving or growing realloc counts
                                      // as one allocation and one free)
  std::uint64_t frees = 0;            // calls that released memory (freeing a null pointer is not one)
  std::uint64_t bytes_allocated = 0;  // usable bytes of every block handed out
  std::uint64_t bytes_freed = 0;      // usable bytes of every block released
  std::uint64_t requested_bytes = 0;  // bytes asked for, summed over the allocations
  std::int64_t current_bytes = 0;     // bytes_allocated - bytes_freed: what is held now
  std::uint64_t peak_bytes = 0;       // the most ever held at once (see alloc_stats())
  std::uint64_t size_classes[k_alloc_size_classes] = {};  // allocations per requested-size class
};

// True when this process is counting: hone::alloc_tracking is linked in, or libhone_alloc_preload.so
// is preloaded. Assert it in tests that rely on the counts, so a build without tracking cannot pass
// vacuously.
bool alloc_tracking_active() noexcept;

// "operator new" (hone::alloc_tracking), "malloc" (libhone_alloc_preload.so) or "none".
const char* alloc_tracking_kind() noexcept;

// Whole-process figures since start-up, every thread merged (threads that have exited included).
// peak_bytes is exact to within 16 KiB per thread that allocates: a thread publishes its balance to
// the shared peak only when it has moved by 16 KiB, so that no allocation touches a shared atomic.
AllocStats alloc_stats() noexcept;

// One call stack that allocated, estimated from the samples taken there: a sampled allocation of s
// bytes stands for s / p bytes and 1 / p allocations, p = 1 - exp(-s / interval) being the chance
// that it was sampled. Bytes are requested bytes, summed over the program's run (frees are not
// subtracted: this says where memory is allocated, not what is still held).
struct AllocSite {
  std::uint64_t bytes = 0;        // estimated bytes requested from this stack
  std::uint64_t allocations = 0;  // estimated allocations from this stack
  std::uint64_t samples = 0;      // samples behind the estimates (the more, the closer)
  // Innermost first, starting at the code that called the allocation function: "function
  // (module+0xoffset)", or "module+0xoffset" for a function without a symbol. At most 16 frames.
  std::vector<std::string> frames;
};

// The stacks with the most estimated bytes, largest first, at most `max_sites` of them. Empty
// without tracking, with sampling off, before the first sample, or on allocation failure.
std::vector<AllocSite> alloc_top_sites(std::size_t max_sites = 10) noexcept;

// The mean number of bytes between samples (HONE_ALLOC_SAMPLE, default 524288); 0 when sampling is
// off or there is no tracking.
std::uint64_t alloc_sample_interval() noexcept;

// The same figures as a short text table (non-empty size classes included, then the top sampled
// sites) or as one JSON object:
// {"tracking": "...", "allocations": N, "frees": N, "bytes_allocated": N, "bytes_freed": N,
//  "requested_bytes": N, "current_bytes": N, "peak_bytes": N,
//  "size_classes": [{"min_bytes": N, "max_bytes": N, "allocations": N}, ...],
//  "sampling": {"interval_bytes": N, "samples": N, "estimated_bytes": N, "estimated_allocations": N,
//               "stacks": N, "dropped_samples": N,
//               "sites": [{"bytes": N, "allocations": N, "samples": N, "frames": ["...", ...]}, ...]}}.
std::string alloc_report_text() noexcept;
std::string alloc_report_json() noexcept;

// Measures one block of code on the calling thread: every allocation and free the thread makes
// between construction and stats(), and the most memory the thread held on top of what it held at
// construction (peak_bytes, exact). Allocations made by other threads are not counted, so a test is
// not disturbed by a background thread. Scopes may nest; create and destroy a scope on one thread.
class AllocScope {
public:
  AllocScope() noexcept;
  ~AllocScope();
  AllocScope(const AllocScope&) = delete;
  AllocScope& operator=(const AllocScope&) = delete;

  // The calling thread's figures since construction. current_bytes is the net change (negative when
  // the block freed more than it allocated).
  AllocStats stats() const noexcept;

private:
  AllocStats start_{};
  std::int64_t saved_peak_ = 0;  // the enclosing scope's running peak, restored by the destructor
};

}  // namespace hone
