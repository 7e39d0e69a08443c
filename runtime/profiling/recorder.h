// Shared state of the profiler, private to runtime/profiling: the call-site registry, the per-thread
// accumulators and the tick clock.
//
// Every thread that enters a zone owns one ThreadState: a fixed table of k_max_sites pointers to
// Accumulators, created the first time that thread enters that site. The owning thread is the only
// writer of its accumulators; it updates them with relaxed atomic loads and stores (plain moves on
// x86, no read-modify-write), so a report can read them from any thread at any time without a lock
// and without a data race. ThreadStates are never freed: when an unnamed thread exits its state is put
// on a free list and reused, figures intact, by the next new thread, so short-lived threads cost
// nothing extra and their measurements survive them (a named thread's state is retired instead, so
// its figures stay under its name). A thread that names itself while holding such an inherited state
// moves to a fresh one first (its open zones with it), so the earlier threads' figures and trace
// events never appear under its name.
#pragma once

#include "hone/detail/log_linear_histogram.h"
#include "hone/profiling.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hone::alloc::detail {
struct ThreadTotals;
}

namespace hone::profiling::detail {

struct Accumulator {
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> total_ticks{0};
  std::atomic<std::uint64_t> self_ticks{0};
  std::atomic<std::uint64_t> min_ticks{UINT64_MAX};  // so the first duration is always smaller
  std::atomic<std::uint64_t> max_ticks{0};
  std::uint32_t site = 0;  // the call site's id, for trace events (set before publication)
  std::atomic<std::uint64_t> buckets[k_bucket_count] = {};
};

struct TraceChunk;

struct ThreadState {
  std::atomic<Accumulator*> slots[k_max_sites] = {};
  Zone* current = nullptr;  // innermost open zone; touched by the owning thread only
  char name[64] = {};       // set_thread_name(); guarded by Registry::mutex
  std::uint32_t index = 0;  // creation order, for "thread N" in reports
  bool inherited = false;   // taken over from an exited thread (owning thread only)
  // Timeline capture (trace.h): the chunk this thread writes events into (owning thread only; cleared
  // when another thread takes the state over), the trace it belongs to and the events of that trace
  // this thread could not store because the buffer was full (owner writes, readers read).
  TraceChunk* trace_chunk = nullptr;
  bool trace_full = false;  // no chunk was left for this thread in this trace (owning thread only)
  std::atomic<std::uint64_t> trace_generation{0};
  std::atomic<std::uint64_t> trace_dropped{0};
  // The allocation-tracking library's totals of the thread that holds this state (null without
  // tracking), fetched through the provider when a thread takes the state, so zones read them
  // without a call or TLS access; and the tick count from which the next "bytes held" counter sample
  // may be taken (owning thread only).
  const alloc::detail::ThreadTotals* alloc_totals = nullptr;
  std::uint64_t next_held_sample = 0;
};

struct Site {
  const char* name;
  const char* file;
  int line;
  SiteKind kind = SiteKind::zone;
};

// A zone name interned by intern_site(): the copy of the name and the site pointing at it, kept for
// the program's life (sites are never unregistered).
struct InternedSite {
  std::string name;
  SiteInfo site{nullptr, nullptr, 0};
};

// The interning key: views only, so a lookup allocates nothing (a stored key views its
// InternedSite's own copy of the name). Files are compared by content: the same call site in a header
// has one __FILE__ text but may have one pointer per translation unit.
struct InternKey {
  std::string_view name;
  const char* file;
  int line;
  bool operator==(const InternKey& other) const noexcept {
    return line == other.line && name == other.name &&
           (file == other.file || std::string_view(file) == std::string_view(other.file));
  }
};
struct InternKeyHash {
  std::size_t operator()(const InternKey& key) const noexcept {
    return std::hash<std::string_view>{}(key.name) ^ (static_cast<std::size_t>(key.line) * 0x9e3779b97f4a7c15u);
  }
};

struct Registry {
  std::mutex mutex;
  std::vector<Site> sites;            // index = site id (sites[0] is a placeholder: id 0 = unregistered)
  std::vector<ThreadState*> threads;  // every state ever created (in use or free)
  std::vector<ThreadState*> free_states;
  std::unordered_map<InternKey, InternedSite*, InternKeyHash> interned;
  bool use_tsc = false;
  std::uint64_t start_ticks = 0;     // tick and steady_clock readings taken together at start-up,
  std::int64_t start_steady_ns = 0;  // the baseline for converting ticks to nanoseconds
};

Registry& registry() noexcept;
ThreadState* current_thread_state() noexcept;  // attaches the calling thread if needed; null on OOM
std::uint64_t now_ticks() noexcept;
std::int64_t steady_now_ns() noexcept;
// Nanoseconds per tick: 1 for steady_clock; for the TSC, measured against steady_clock over the time
// since start-up (waiting until at least 20 ms have passed, for precision).
double ns_per_tick() noexcept;

// Appends `text` as a JSON string literal (quoted and escaped). May throw std::bad_alloc.
void append_json_string(std::string& out, std::string_view text);

}  // namespace hone::profiling::detail
