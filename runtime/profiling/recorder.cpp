// The hot path of profiling zones (hone::Zone::begin/end) and the call-site registry behind HONE_ZONE.
//
// Entering a zone links it onto the thread's stack of open zones and reads the clock; leaving it
// reads the clock again, adds the duration to the parent's "time in children" (so the parent's self
// time excludes it) and updates this thread's accumulator for the site: count, total, self, min,
// max and one histogram bucket. Nothing is locked or allocated except the first time a thread enters
// a given site. The clock is the invariant TSC when CPUID says it has one (a few cycles to read,
// constant rate across cores and power states), else std::chrono::steady_clock in nanoseconds.
#include "recorder.h"
#include "trace.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

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

void print_report_at_exit() {
  const char* mode = std::getenv("HONE_PROFILE");
  const bool json = mode != nullptr && std::strcmp(mode, "json") == 0;
  const std::string report = json ? report_json() : report_text();
  std::fputs(report.c_str(), stderr);
  std::fflush(stderr);
}

Registry* create_registry() noexcept {
  auto* created = new (std::nothrow) Registry;
  if (created == nullptr) return nullptr;
  g_use_tsc = cpu_has_invariant_tsc() && std::getenv("HONE_PROFILE_CLOCK") == nullptr;
  created->use_tsc = g_use_tsc;
  created->start_steady_ns = steady_now_ns();
  created->start_ticks = now_ticks();
  const char* mode = std::getenv("HONE_PROFILE");
  if (mode != nullptr && (std::strcmp(mode, "1") == 0 || std::strcmp(mode, "json") == 0)) {
    std::atexit(print_report_at_exit);
  }
  start_trace_from_environment();
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
      state->trace_chunk = nullptr;
      state->trace_full = false;
    } else {
      state = new (std::nothrow) ThreadState;
      if (state == nullptr) return nullptr;
      state->index = static_cast<std::uint32_t>(reg.threads.size() + 1);
      try {
        reg.threads.push_back(state);
      } catch (...) {
        delete state;
        return nullptr;
      }
    }
  }
  static thread_local ThreadRelease release;
  release.state = state;
  t_state = state;
  return state;
}

void store_add(std::atomic<std::uint64_t>& value, std::uint64_t amount) noexcept {
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
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::uint64_t now_ticks() noexcept {
#if defined(HONE_PROFILING_HAVE_TSC)
  if (g_use_tsc) return __rdtsc();
#endif
  return static_cast<std::uint64_t>(steady_now_ns());
}

double ns_per_tick() noexcept {
  Registry& reg = registry();
  if (!reg.use_tsc) return 1.0;
  constexpr std::int64_t k_min_interval_ns = 20'000'000;
  std::int64_t steady = steady_now_ns();
  while (steady - reg.start_steady_ns < k_min_interval_ns) steady = steady_now_ns();
  const std::uint64_t ticks = now_ticks();
  if (ticks <= reg.start_ticks) return 1.0;
  return static_cast<double>(steady - reg.start_steady_ns) / static_cast<double>(ticks - reg.start_ticks);
}

std::uint32_t register_site(const char* name, const char* file, int line) noexcept {
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  if (reg.sites.size() >= k_max_sites) return k_invalid_site;
  try {
    reg.sites.push_back(Site{name, file, line});
  } catch (...) {
    return k_invalid_site;
  }
  return static_cast<std::uint32_t>(reg.sites.size() - 1);
}

}  // namespace hone::profiling::detail

namespace hone::profiling {

void set_enabled(bool on) noexcept { detail::g_enabled.store(on, std::memory_order_relaxed); }
void set_thread_name(const char* name) noexcept {
  detail::ThreadState* state = detail::current_thread_state();
  if (state == nullptr || name == nullptr) return;
  detail::Registry& reg = detail::registry();
  std::lock_guard lock(reg.mutex);
  std::snprintf(state->name, sizeof state->name, "%s", name);
}
bool enabled() noexcept { return detail::g_enabled.load(std::memory_order_relaxed); }
const char* clock_name() noexcept { return detail::registry().use_tsc ? "tsc" : "steady_clock"; }

}  // namespace hone::profiling

namespace hone {

using profiling::detail::Accumulator;
using profiling::detail::ThreadState;

void Zone::begin(std::uint32_t site) noexcept {
  if (site >= profiling::detail::k_max_sites) return;
  ThreadState* state = profiling::detail::t_state;
  if (state == nullptr) {
    state = profiling::detail::attach_thread();
    if (state == nullptr) return;
  }
  if (state->slots[site].load(std::memory_order_relaxed) == nullptr) {
    auto* created = new (std::nothrow) Accumulator;
    if (created == nullptr) return;
    state->slots[site].store(created, std::memory_order_release);
  }
  site_ = site;
  state_ = state;
  parent_ = state->current;
  state->current = this;
  active_ = true;
  start_ = profiling::detail::now_ticks();
}

void Zone::end() noexcept {
  const std::uint64_t stop = profiling::detail::now_ticks();
  const std::uint64_t duration = stop > start_ ? stop - start_ : 0;
  ThreadState* state = state_;
  state->current = parent_;
  if (parent_ != nullptr) parent_->child_ticks_ += duration;
  const std::uint64_t self = duration > child_ticks_ ? duration - child_ticks_ : 0;

  Accumulator& acc = *state->slots[site_].load(std::memory_order_relaxed);
  const std::uint64_t count = acc.count.load(std::memory_order_relaxed);
  if (count == 0 || duration < acc.min_ticks.load(std::memory_order_relaxed)) {
    acc.min_ticks.store(duration, std::memory_order_relaxed);
  }
  if (duration > acc.max_ticks.load(std::memory_order_relaxed)) {
    acc.max_ticks.store(duration, std::memory_order_relaxed);
  }
  profiling::detail::store_add(acc.total_ticks, duration);
  profiling::detail::store_add(acc.self_ticks, self);
  profiling::detail::store_add(acc.buckets[profiling::detail::bucket_index(duration)], 1);
  acc.count.store(count + 1, std::memory_order_relaxed);
  if (profiling::detail::g_tracing.load(std::memory_order_relaxed)) {
    profiling::detail::record_trace_event(*state, site_, start_, duration);
  }
}

}  // namespace hone
