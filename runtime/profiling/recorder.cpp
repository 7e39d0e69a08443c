// The hot path of profiling zones (hone::Zone::begin/end) and the call-site registry behind HONE_ZONE.
//
// Entering a zone links it onto the thread's stack of open zones and reads the clock; leaving it
// reads the clock again, adds the duration to the parent's "time in children" (so the parent's self
// time excludes it) and updates this thread's accumulator for the site: count, total, self, min,
// max and one histogram bucket. Nothing is locked or allocated except the first time a site is
// entered at all (registration) and the first time a thread enters a given site (its accumulator);
// both live in begin_first_time(), out of the hot path.
//
// What the hot path costs (measured with tests/bench/zone_instructions.py, callgrind, and
// profiling_bench; figures in docs/runtime.md): two TSC reads, which on this project's VMs are most of
// it (24 ns of 32 ns here), plus about 100 instructions of bookkeeping (call, stack link, counters, one
// histogram bucket, the "is a trace running?" check for allocation figures), all plain loads and
// stores to the calling thread's own cache lines. Choices:
//  - The clock is a bare RDTSC when CPUID reports an invariant TSC (constant rate across cores and
//    power states), else std::chrono::steady_clock in nanoseconds. Not RDTSCP and no LFENCE: those
//    wait for earlier instructions to retire, which orders the timestamp exactly against the zone's
//    code but costs more than RDTSC itself. Without them the CPU may start reading the counter a few
//    dozen cycles before or after the neighbouring instructions, an error of ~10 ns on one zone that
//    does not accumulate (it is as likely early as late) and is small against the zones worth
//    profiling; the cheaper read matters more, since every nested zone's overhead lands in its
//    parents' times. Ticks are converted to nanoseconds only when a report is made.
//  - The histogram bucket is computed on the spot (a BSR, two shifts, one increment). Deferring it
//    (buffering raw durations and binning them in batches) was considered: the buffer store, index
//    update and full-check cost as many instructions as the binning they save, and readers on other
//    threads would then need to see half-binned buffers.
//  - The registration, thread-state, clock and accumulator checks are four never-taken branches on
//    values already in cache; anything unusual tail-calls the cold begin_first_time().
#include "recorder.h"
#include "../alloc/provider.h"
#include "outputs.h"
#include "trace.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define HONE_PROFILING_HAVE_TSC 1
#endif

namespace hone::profiling::detail {

constinit std::atomic<bool> g_enabled{true};

namespace {

constinit thread_local ThreadState* t_state = nullptr;
bool g_use_tsc = false;  // written once while the registry is created, before any site id exists

bool cpu_has_invariant_tsc() noexcept {
#if defined(HONE_PROFILING_HAVE_TSC)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) == 0 || eax < 0x80000007u) return false;
  if (__get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (edx & (1u << 8)) != 0;
#else
  return false;
#endif
}

Registry* create_registry() noexcept {
  auto* created = new (std::nothrow) Registry;
  if (created == nullptr) return nullptr;
  g_use_tsc = cpu_has_invariant_tsc() && ::secure_getenv("HONE_PROFILE_CLOCK") == nullptr;
  created->use_tsc = g_use_tsc;
  created->sites.reserve(64);
  created->sites.push_back(Site{"", "", 0});  // id 0 means "not registered"; no zone has it
  created->start_steady_ns = steady_now_ns();
  created->start_ticks = now_ticks();
  // HONE_PROFILE / HONE_PROFILE_TRACE: the report and trace at exit or on SIGINT/SIGTERM (outputs.h).
  arrange_outputs_from_environment();
  return created;
}

// Returns a thread's state to the free list when the thread exits.
struct ThreadRelease {
  ThreadState* state = nullptr;
  ~ThreadRelease() {
    if (state == nullptr) return;
    t_state = nullptr;
    Registry& reg = registry();
    std::lock_guard lock(reg.mutex);
    if (state->name[0] != '\0') return;  // a named thread's figures stay under its name
    try {
      reg.free_states.push_back(state);
    } catch (...) {
      // The state stays in reg.threads, so its figures are still reported; it is just not reused.
    }
  }
};
thread_local ThreadRelease t_release;

// A new state, numbered and listed in the registry. The caller holds reg.mutex.
ThreadState* new_state_locked(Registry& reg) noexcept {
  auto* state = new (std::nothrow) ThreadState;
  if (state == nullptr) return nullptr;
  state->index = static_cast<std::uint32_t>(reg.threads.size() + 1);
  try {
    reg.threads.push_back(state);
  } catch (...) {
    delete state;
    return nullptr;
  }
  return state;
}

ThreadState* attach_thread() noexcept {
  Registry& reg = registry();
  ThreadState* state = nullptr;
  {
    std::lock_guard lock(reg.mutex);
    if (!reg.free_states.empty()) {
      state = reg.free_states.back();
      reg.free_states.pop_back();
      // This thread's trace events get a chunk (and so a thread id) of their own; the drop count of
      // the trace carries on.
      abandon_trace_chunk(*state);
      state->inherited = true;
    } else {
      state = new_state_locked(reg);
      if (state == nullptr) return nullptr;
    }
  }
  // Outside the lock: the first call looks for the provider (dlsym) and may attach the thread to
  // the counting library (mmap).
  state->alloc_totals = alloc::detail::current_thread_totals();
  state->next_held_sample = 0;
  t_release.state = state;
  t_state = state;
  return state;
}

// set_thread_name() on a state taken over from exited threads: the calling thread moves to a fresh
// state (with its open zones) and the inherited one goes back on the free list, so the name never
// covers figures or trace events of the threads before. Returns the state to name (the old one if
// memory runs out: then the name covers them, as before this existed).
ThreadState* detach_inherited_state(ThreadState* inherited) noexcept {
  Registry& reg = registry();
  ThreadState* fresh = nullptr;
  {
    std::lock_guard lock(reg.mutex);
    fresh = new_state_locked(reg);
  }
  if (fresh == nullptr || !move_open_zones(*inherited, *fresh)) return inherited;
  fresh->alloc_totals = inherited->alloc_totals;  // the same thread's
  t_release.state = fresh;
  t_state = fresh;
  std::lock_guard lock(reg.mutex);
  try {
    reg.free_states.push_back(inherited);
  } catch (...) {
    // Not reused, still reported (under "thread N").
  }
  return fresh;
}

// The clock of the hot path: RDTSC (see the file comment for why RDTSC alone) when g_use_tsc, which
// the hot path checks first and leaves to an out-of-line function when false, so the common case
// calls nothing and saves no registers.
[[gnu::always_inline]] inline bool fast_clock() noexcept {
#if defined(HONE_PROFILING_HAVE_TSC)
  return g_use_tsc;
#else
  return true;  // fast_ticks() is steady_clock here
#endif
}
[[gnu::always_inline]] inline std::uint64_t fast_ticks() noexcept {
#if defined(HONE_PROFILING_HAVE_TSC)
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(steady_now_ns());
#endif
}
[[gnu::always_inline]] inline void store_add(std::atomic<std::uint64_t>& value, std::uint64_t amount) noexcept {
  value.store(value.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

}  // namespace

ThreadState* current_thread_state() noexcept {
  ThreadState* state = t_state;
  return state != nullptr ? state : attach_thread();
}

Registry& registry() noexcept {
  // Never destroyed: zones may run in other threads' destructors and in atexit handlers.
  static Registry* const instance = create_registry();
  if (instance == nullptr) {
    std::fputs("hone: error: out of memory creating the profiler registry\n", stderr);
    std::abort();
  }
  return *instance;
}

std::int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::uint64_t now_ticks() noexcept {
  return fast_clock() ? fast_ticks() : static_cast<std::uint64_t>(steady_now_ns());
}

double ns_per_tick() noexcept {
  Registry& reg = registry();
  if (!reg.use_tsc) return 1.0;
  constexpr std::int64_t k_min_interval_ns = 20'000'000;
  std::int64_t steady = steady_now_ns();
  // A report asked for right after start-up waits (sleeping, not spinning) until the interval is long
  // enough for a precise ratio.
  while (steady - reg.start_steady_ns < k_min_interval_ns) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(k_min_interval_ns - (steady - reg.start_steady_ns)));
    steady = steady_now_ns();
  }
  const std::uint64_t ticks = now_ticks();
  if (ticks <= reg.start_ticks) return 1.0;
  return static_cast<double>(steady - reg.start_steady_ns) / static_cast<double>(ticks - reg.start_ticks);
}

std::uint32_t register_site(SiteInfo& site) noexcept {
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  // Another thread may have registered the site while this one waited for the lock.
  if (const std::uint32_t id = site.id.load(std::memory_order_relaxed); id != 0) return id;
  std::uint32_t id = k_invalid_site;
  if (reg.sites.size() < k_max_sites) {
    try {
      reg.sites.push_back(Site{site.name, site.file, site.line, site.kind});
      id = static_cast<std::uint32_t>(reg.sites.size() - 1);
    } catch (...) {
      // Left unregistered (id 0): the next entry tries again.
      return k_invalid_site;
    }
  }
  site.id.store(id, std::memory_order_relaxed);
  return id;
}

namespace {

// What intern_site() hands out when it cannot intern: id k_invalid_site, so zones skip it.
constinit SiteInfo g_unrecorded_site{"", "", 0, {k_invalid_site}};
// The pseudo-site of zone_value() events (the value's zone is found by its start time).
constinit SiteInfo g_value_site{"value", "", 0, {}, SiteKind::value};
// The pseudo-sites of a zone's allocations and of the threads' "bytes held" samples (Zone::end_traced).
constinit SiteInfo g_alloc_site{"allocations", "", 0, {}, SiteKind::alloc};
constinit SiteInfo g_held_site{"bytes held", "", 0, {}, SiteKind::held};

// Registers `site` on first use; false when it cannot be (too many sites, out of memory).
bool site_id(SiteInfo& site, std::uint32_t& id) noexcept {
  id = site.id.load(std::memory_order_relaxed);
  if (id == 0) id = register_site(site);
  return id != 0 && id < k_max_sites;
}

// Counter values travel in the 52-bit duration field of a trace event, two's complement.
constexpr std::uint64_t k_event_payload_mask = (std::uint64_t{1} << (64 - k_trace_site_bits)) - 1;

}  // namespace

SiteInfo& intern_site(std::string_view name, const char* file, int line) noexcept {
  Registry& reg = registry();
  if (file == nullptr) file = "";
  try {
    std::lock_guard lock(reg.mutex);
    if (const auto found = reg.interned.find(InternKey{name, file, line}); found != reg.interned.end()) {
      return found->second->site;
    }
    if (reg.sites.size() + 1 >= k_max_sites) return g_unrecorded_site;
    auto interned = std::make_unique<InternedSite>();
    interned->name.assign(name);
    interned->site.name = interned->name.c_str();
    interned->site.file = file;
    interned->site.line = line;
    InternedSite* kept = interned.get();
    reg.interned.emplace(InternKey{kept->name, file, line}, kept);
    interned.release();  // owned by the registry from here on, for the program's life
    return kept->site;
  } catch (...) {
    return g_unrecorded_site;
  }
}

void record_counter(SiteInfo& site, std::int64_t value) noexcept {
  if (!g_tracing.load(std::memory_order_relaxed)) return;
  std::uint32_t id = 0;
  ThreadState* state = current_thread_state();
  if (state == nullptr || !site_id(site, id)) return;
  record_trace_event(*state, id, now_ticks(), static_cast<std::uint64_t>(value) & k_event_payload_mask);
}

void record_frame(SiteInfo& site) noexcept {
  if (!g_tracing.load(std::memory_order_relaxed)) return;
  std::uint32_t id = 0;
  ThreadState* state = current_thread_state();
  if (state == nullptr || !site_id(site, id)) return;
  record_trace_event(*state, id, now_ticks(), 0);
}

}  // namespace hone::profiling::detail

namespace hone::profiling {

void zone_value(std::uint64_t value) noexcept {
  if (!detail::g_tracing.load(std::memory_order_relaxed)) return;
  detail::ThreadState* state = detail::t_state;
  std::uint32_t id = 0;
  if (state == nullptr || state->current == nullptr || !detail::site_id(detail::g_value_site, id)) return;
  // Values wider than the event's 52 bits are clamped, like durations.
  detail::record_trace_event(*state, id, state->current->start_, value);
}

void set_enabled(bool on) noexcept {
  detail::g_enabled.store(on, std::memory_order_relaxed);
}
void set_thread_name(const char* name) noexcept {
  detail::ThreadState* state = detail::current_thread_state();
  if (state == nullptr || name == nullptr) return;
  if (state->inherited) state = detail::detach_inherited_state(state);
  detail::Registry& reg = detail::registry();
  std::lock_guard lock(reg.mutex);
  std::snprintf(state->name, sizeof state->name, "%s", name);
}
bool enabled() noexcept {
  return detail::g_enabled.load(std::memory_order_relaxed);
}
const char* clock_name() noexcept {
  return detail::registry().use_tsc ? "tsc" : "steady_clock";
}

}  // namespace hone::profiling

namespace hone {

using profiling::detail::Accumulator;
using profiling::detail::ThreadState;

// Everything begin() does not do inline: registering the site, attaching the thread, creating the
// thread's accumulator for the site, and the steady_clock fallback. Then records the zone like begin().
[[gnu::cold, gnu::noinline]] void Zone::begin_first_time(profiling::detail::SiteInfo& site) noexcept {
  state_ = nullptr;
  std::uint32_t id = site.id.load(std::memory_order_relaxed);
  if (id == 0) id = profiling::detail::register_site(site);
  if (id == 0 || id >= profiling::detail::k_max_sites) return;
  ThreadState* state = profiling::detail::t_state;
  if (state == nullptr) {
    state = profiling::detail::attach_thread();
    if (state == nullptr) return;
  }
  Accumulator* acc = state->slots[id].load(std::memory_order_relaxed);
  if (acc == nullptr) {
    acc = new (std::nothrow) Accumulator;
    if (acc == nullptr) return;
    acc->site = id;
    state->slots[id].store(acc, std::memory_order_release);
  }
  state_ = state;
  accumulator_ = acc;
  parent_ = state->current;
  child_ticks_ = 0;
  state->current = this;
  start_ = profiling::detail::now_ticks();
  alloc_traced_ = false;
  if (profiling::detail::g_tracing.load(std::memory_order_relaxed)) [[unlikely]]
    begin_traced();
}

void Zone::begin(profiling::detail::SiteInfo& site) noexcept {
  const std::uint32_t id = site.id.load(std::memory_order_relaxed);
  ThreadState* const state = profiling::detail::t_state;
  // One test for "registered and valid" (id 0 and k_invalid_site both wrap to >= k_max_sites - 1).
  // The unusual cases are a tail call to the out-of-line, cold begin_first_time().
  if (id - 1 >= profiling::detail::k_max_sites - 1 || state == nullptr || !profiling::detail::fast_clock())
      [[unlikely]] {
    return begin_first_time(site);
  }
  Accumulator* const acc = state->slots[id].load(std::memory_order_relaxed);
  if (acc == nullptr) [[unlikely]]
    return begin_first_time(site);
  state_ = state;
  accumulator_ = acc;
  parent_ = state->current;
  child_ticks_ = 0;
  state->current = this;
  start_ = profiling::detail::fast_ticks();
  // The only addition of the allocation figures to the untraced hot path: one store, one load and
  // a never-taken branch (begin_traced() reads the counters only while a trace runs).
  alloc_traced_ = false;
  if (profiling::detail::g_tracing.load(std::memory_order_relaxed)) [[unlikely]]
    begin_traced();
}

[[gnu::always_inline]] inline void Zone::finish(std::uint64_t stop) noexcept {
  const std::uint64_t duration = stop > start_ ? stop - start_ : 0;
  state_->current = parent_;
  if (parent_ != nullptr) parent_->child_ticks_ += duration;
  const std::uint64_t self = duration > child_ticks_ ? duration - child_ticks_ : 0;

  // Only this thread writes `acc`: each update is a plain load and store (relaxed atomics, so
  // reports may read concurrently), no read-modify-write. min_ticks starts at UINT64_MAX.
  Accumulator& acc = *accumulator_;
  if (duration < acc.min_ticks.load(std::memory_order_relaxed))
    acc.min_ticks.store(duration, std::memory_order_relaxed);
  if (duration > acc.max_ticks.load(std::memory_order_relaxed))
    acc.max_ticks.store(duration, std::memory_order_relaxed);
  profiling::detail::store_add(acc.total_ticks, duration);
  profiling::detail::store_add(acc.self_ticks, self);
  profiling::detail::store_add(acc.buckets[profiling::detail::bucket_index(duration)], 1);
  profiling::detail::store_add(acc.count, 1);
  if (profiling::detail::g_tracing.load(std::memory_order_relaxed)) [[unlikely]] {
    end_traced(stop, duration);
  }
}

// While a trace runs (and tracking is present): the thread's counters at entry. Two relaxed loads
// through the pointer cached in the thread's state.
[[gnu::noinline]] void Zone::begin_traced() noexcept {
  const alloc::detail::ThreadTotals* totals = state_->alloc_totals;
  if (totals == nullptr) return;
  alloc_count_start_ = totals->allocations.load(std::memory_order_relaxed);
  alloc_bytes_start_ = totals->bytes_allocated.load(std::memory_order_relaxed);
  alloc_traced_ = true;
}

// A closed zone's trace events. With allocation figures taken at entry, the zone's allocations go
// into an `alloc` event recorded just before the zone's own event (the trace writer attaches it to
// the next zone event of the thread; recorded first so that a full buffer never keeps the
// allocations of a zone whose event it dropped), and only when the zone allocated: a zone without
// one is written with zeros, so zones that do not allocate cost no buffer space.
//
// The thread's bytes held (allocated minus freed by this thread, so negative when it frees what
// others allocated) is sampled as a counter at a zone's end at most once per k_held_sample_ticks per
// thread: a counter event per zone end would double the events of a trace full of short zones and
// so halve what the fixed buffer holds, while 2^20 ticks (0.3-0.5 ms of a 2-3 GHz TSC, 1 ms with
// steady_clock) bounds the counter track to a few thousand samples per thread per second however
// many zones close, still fine enough to see a heap grow and shrink. A thread's first zone end
// always samples.
[[gnu::noinline]] void Zone::end_traced(std::uint64_t stop, std::uint64_t duration) noexcept {
  constexpr std::uint64_t k_held_sample_ticks = std::uint64_t{1} << 20;
  ThreadState& state = *state_;
  const alloc::detail::ThreadTotals* totals = alloc_traced_ ? state.alloc_totals : nullptr;
  std::uint64_t bytes_allocated = 0;
  if (totals != nullptr) {
    const std::uint64_t allocations = totals->allocations.load(std::memory_order_relaxed) - alloc_count_start_;
    bytes_allocated = totals->bytes_allocated.load(std::memory_order_relaxed);
    std::uint32_t id = 0;
    if (allocations != 0 && profiling::detail::site_id(profiling::detail::g_alloc_site, id)) {
      // The event's start field carries the count, its 52-bit payload the bytes.
      profiling::detail::record_trace_event(state, id, allocations, bytes_allocated - alloc_bytes_start_);
    }
  }
  profiling::detail::record_trace_event(state, accumulator_->site, start_, duration);
  if (totals != nullptr && stop >= state.next_held_sample) {
    state.next_held_sample = stop + k_held_sample_ticks;
    std::uint32_t id = 0;
    if (profiling::detail::site_id(profiling::detail::g_held_site, id)) {
      const auto held =
          static_cast<std::int64_t>(bytes_allocated - totals->bytes_freed.load(std::memory_order_relaxed));
      profiling::detail::record_trace_event(state, id, stop,
                                            static_cast<std::uint64_t>(held) & profiling::detail::k_event_payload_mask);
    }
  }
}

void Zone::end_steady_clock() noexcept {
  finish(static_cast<std::uint64_t>(profiling::detail::steady_now_ns()));
}

void Zone::end() noexcept {
  if (!profiling::detail::fast_clock()) [[unlikely]]
    return end_steady_clock();
  finish(profiling::detail::fast_ticks());
}

}  // namespace hone

namespace hone::profiling::detail {

// Every open zone of the calling thread is on the chain from `from.current`; each is retargeted to
// `to` and to `to`'s accumulator for its site, so it closes into the new state and its nesting (parent
// links, time in children) is untouched. Accumulators are created first, so a failure changes nothing.
bool move_open_zones(ThreadState& from, ThreadState& to) noexcept {
  for (const Zone* zone = from.current; zone != nullptr; zone = zone->parent_) {
    const std::uint32_t site = zone->accumulator_->site;
    if (to.slots[site].load(std::memory_order_relaxed) != nullptr) continue;
    auto* acc = new (std::nothrow) Accumulator;
    if (acc == nullptr) return false;
    acc->site = site;
    to.slots[site].store(acc, std::memory_order_release);
  }
  for (Zone* zone = from.current; zone != nullptr; zone = zone->parent_) {
    zone->state_ = &to;
    zone->accumulator_ = to.slots[zone->accumulator_->site].load(std::memory_order_relaxed);
  }
  to.current = from.current;
  from.current = nullptr;
  return true;
}

}  // namespace hone::profiling::detail
