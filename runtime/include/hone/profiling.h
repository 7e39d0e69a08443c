// Profiling zones: cheap, always-available instrumentation for "where does the time go?".
//
//   void parse(...) {
//     HONE_FUNCTION_ZONE();              // a zone named after the enclosing function
//     for (...) { HONE_ZONE("token"); ... }
//   }
//
// Each HONE_ZONE call site is a constant-initialized function-local static that registers itself the
// first time it is entered; entering and leaving a zone then touches only the calling thread's own accumulator for that
// site: no lock, no allocation and no shared atomic read-modify-write on the hot path. Durations come from the CPU's
// invariant time-stamp counter where there is one (converted to nanoseconds when a report is made) and from
// std::chrono::steady_clock otherwise. Reports aggregate every thread's accumulators on read: count,
// total, self time (total minus time in zones nested inside), min, max, mean and p50/p95/p99 from a
// log-linear histogram (see hone/detail/log_linear_histogram.h).
//
// Run a program with HONE_PROFILE=1 to get the text table on stderr at exit (or when SIGINT/SIGTERM
// stops it), HONE_PROFILE_TRACE=file.json for a timeline of every zone (start_trace() below). Build with
// -DHONE_PROFILING_DISABLED to compile every zone out completely; set_enabled(false) switches them off
// at run time (a disabled zone costs one relaxed load, a branch and a store). No function here throws.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hone::profiling {

// One thread's share of a zone (JSON "per_thread"). Times are in nanoseconds.
struct ThreadShare {
  std::string thread;  // the name given with set_thread_name(), else "thread N"
  std::uint64_t count = 0;
  double total_ns = 0;
  double self_ns = 0;
};

// Aggregated figures of one zone call site over all threads. Times are in nanoseconds.
struct ZoneReport {
  std::string name;
  std::string file;
  int line = 0;
  std::uint64_t count = 0;
  std::uint64_t threads = 0;  // how many threads entered the zone at least once
  double total_ns = 0;
  double self_ns = 0;
  double min_ns = 0;
  double max_ns = 0;
  double mean_ns = 0;
  double p50_ns = 0;
  double p95_ns = 0;
  double p99_ns = 0;
  std::vector<ThreadShare> per_thread;
};

// Every zone entered at least once, sorted by total time, largest first. Empty on allocation failure.
std::vector<ZoneReport> snapshot() noexcept;

// A fixed-width table (one line per zone) and the same data as a JSON document:
// {"clock": "...", "zones": [{"name", "file", "line", "count", "threads", "total_ns", "self_ns",
//  "min_ns", "max_ns", "mean_ns", "p50_ns", "p95_ns", "p99_ns",
//  "per_thread": [{"thread", "count", "total_ns", "self_ns"}, ...]}, ...]}.
std::string report_text() noexcept;
std::string report_json() noexcept;

// Names the calling thread in reports and traces (at most 63 bytes are kept). A named thread's
// figures stay under its name after it exits; unnamed threads' recording states (and figures) are
// reused by later threads, but never by one that names itself: that one gets a state of its own.
void set_thread_name(const char* name) noexcept;

// Switches recording on or off for zones entered from now on (on by default).
void set_enabled(bool enabled) noexcept;
bool enabled() noexcept;

// Clears every accumulator. Call it only while no other thread is inside a zone; a zone that is open
// during the reset is recorded normally when it closes.
void reset() noexcept;

// Writes the outputs HONE_PROFILE (the report, on stderr) and HONE_PROFILE_TRACE (the trace file) ask
// for, now rather than at exit; once: later calls, exit and signals write nothing more. Both are also
// written when SIGINT or SIGTERM stops the program (if it has no handler of its own for them when
// the profiler starts), after which the signal ends the program as it would have. A program that
// handles those signals itself calls this from its shutdown path. Not async-signal-safe.
void flush_outputs() noexcept;

// Trace extras (recorded only while a trace runs, shown in the trace, not in the report; see also
// HONE_ZONE_DYNAMIC, HONE_COUNTER and HONE_FRAME_MARK below):
// zone_value() attaches a number to the calling thread's innermost open zone (the zone's "args" in
// the trace); ignored when no zone is open. message() records an instant event whose name is a copy
// of `text`; at most k_max_trace_messages per trace are kept, later ones are counted as dropped.
inline constexpr std::size_t k_max_trace_messages = 65536;
void zone_value(std::uint64_t value) noexcept;
void message(std::string_view text) noexcept;

// "tsc" or "steady_clock": where the durations come from.
const char* clock_name() noexcept;

// Timeline capture: while a trace is running, every zone that closes also writes one event (start,
// duration, site, thread) into a buffer allocated up front, so memory stays bounded: when the buffer
// is full, further events are counted as dropped instead of stored. trace_json() / write_trace()
// produce a Chrome trace event file (opens in https://ui.perfetto.dev and chrome://tracing) whose
// "otherData" says how many events were dropped. HONE_PROFILE_TRACE=path starts a trace at the first
// zone and writes it at exit (HONE_PROFILE_TRACE_EVENTS sets the buffer size).
inline constexpr std::size_t k_default_trace_events = std::size_t{1} << 20;  // 16 MiB

// Starts (or restarts, discarding the events held) a trace with room for `max_events` events (16
// bytes each). Call it, like reset(), while no other thread is inside a zone. False if the buffer
// cannot be allocated; recording of the zone figures is not affected either way.
bool start_trace(std::size_t max_events = k_default_trace_events) noexcept;
// Stops capturing; the events stay available to trace_json() / write_trace().
void stop_trace() noexcept;
bool tracing() noexcept;
std::uint64_t trace_event_count() noexcept;
std::uint64_t trace_dropped_events() noexcept;
// The Chrome trace as a string (large: about 120 bytes per event), or written to `path` through a
// temporary file renamed into place. write_trace returns false, with errno set, if it cannot.
std::string trace_json() noexcept;
bool write_trace(const char* path) noexcept;
// The same trace in Perfetto's binary protobuf format (a `Trace` message: track descriptors for the
// process, its threads and counters, slice begin/end, counter and instant TrackEvents with interned
// names; a third to a half of the JSON's size). write_trace() writes it when `path` ends in ".pftrace"
// or ".perfetto-trace", so HONE_PROFILE_TRACE=trace.pftrace does too.
std::string trace_perfetto() noexcept;

// Streaming a trace to a rotating file, for programs that run for days (HONE_PROFILE_TRACE_STREAM=1
// with HONE_PROFILE_TRACE=path). The buffer of `buffer_events` becomes a pool: a writer thread
// ("hone-trace") drains the threads' events every `interval_ms` (sooner when the pool runs low) and
// appends them to the current file, an exclusive temporary beside `path`. Once it holds
// `max_file_bytes` or more the file is completed (a valid trace on its own) and renamed to
// "<path>.1", the older ones moving to .2 ... .`keep_files` (the oldest removed); finishing renames
// the last one to `path`. So every file under its final name is complete. Events are lost only when
// the threads fill the pool faster than the writer empties it; they are counted, like a full buffer's.
struct TraceStreamOptions {
  std::size_t buffer_events = k_default_trace_events;
  std::uint64_t max_file_bytes = std::uint64_t{64} << 20;
  unsigned keep_files = 4;
  unsigned interval_ms = 100;
};
// Starts a streamed trace (ending any running trace first; call it while no other thread is inside a
// zone). Removes `path` and "<path>.1" ... "<path>.<keep_files>" left by an earlier run. False, with
// errno set, if the buffer, the first file or the writer thread cannot be had.
bool start_trace_stream(const char* path, const TraceStreamOptions& options = {}) noexcept;
// Writes what the threads have recorded so far now, rather than at the writer's next turn.
bool flush_trace_stream() noexcept;
// Stops the streamed trace: writes the rest and completes the current file as `path`. False, with
// errno set, if no stream runs or a file could not be written. trace_event_count() then says how
// many events were written in all, trace_dropped_events() how many were lost.
bool finish_trace_stream() noexcept;

namespace detail {

// Site ids run from 1 to k_max_sites - 1 (0 means "not registered yet"); sites beyond that are not
// recorded (k_invalid_site).
inline constexpr std::uint32_t k_max_sites = 4096;
inline constexpr std::uint32_t k_invalid_site = UINT32_MAX;

// One HONE_ZONE call site: a function-local static initialized at compile time (constinit), so the
// zone costs no "first time through?" guard. The site registers itself, once, the first time it is
// entered with recording on; `id` then holds its number.
// What a site records: a zone (report and trace), or a trace-only counter track, frame mark or zone
// value (zone_value()).
// `alloc` and `held` are the allocation figures of zones (a zone's allocations and bytes, the
// thread's bytes held), recorded while a trace runs in a process with allocation tracking.
enum class SiteKind : std::uint8_t { zone, counter, frame, value, alloc, held };

struct SiteInfo {
  const char* name;
  const char* file;
  int line;
  std::atomic<std::uint32_t> id{0};
  SiteKind kind = SiteKind::zone;
};

// Registers `site` if it is not registered yet and returns its id (k_invalid_site once k_max_sites
// are in use). Thread-safe: concurrent first entries of one site agree on one id.
std::uint32_t register_site(SiteInfo& site) noexcept;

// The site of a zone whose name is only known at run time (HONE_ZONE_DYNAMIC): one per distinct
// (name, file, line), created on first use with a copy of the name and kept for the program's life.
// Takes a lock and a hash lookup on every call. When k_max_sites are in use (or memory runs out) it
// returns a site that records nothing.
SiteInfo& intern_site(std::string_view name, const char* file, int line) noexcept;

// HONE_COUNTER and HONE_FRAME_MARK: one event in the running trace (nothing when no trace runs).
void record_counter(SiteInfo& site, std::int64_t value) noexcept;
void record_frame(SiteInfo& site) noexcept;

extern constinit std::atomic<bool> g_enabled;
struct ThreadState;
struct Accumulator;

// Moves the calling thread's open zones from one recording state to another (set_thread_name() on an
// inherited state); false, with nothing changed, when an accumulator cannot be allocated.
bool move_open_zones(ThreadState& from, ThreadState& to) noexcept;

}  // namespace detail
}  // namespace hone::profiling

namespace hone {

// The RAII zone under HONE_ZONE: records the time between construction and destruction against the
// call site. Zones must nest (destroyed in reverse order of construction on each thread), which
// scoped objects guarantee. The constructor and destructor are forced inline so a disabled zone is
// a load, a branch and a store in the caller; the recording halves (begin/end) are out of line in
// runtime/profiling/recorder.cpp.
class Zone {
public:
  [[gnu::always_inline]] explicit Zone(profiling::detail::SiteInfo& site) noexcept {
    if (profiling::detail::g_enabled.load(std::memory_order_relaxed)) {
      begin(site);
    } else {
      state_ = nullptr;
    }
  }
  [[gnu::always_inline]] ~Zone() {
    if (state_ != nullptr) end();
  }
  Zone(const Zone&) = delete;
  Zone& operator=(const Zone&) = delete;

private:
  friend void profiling::zone_value(std::uint64_t value) noexcept;
  friend bool profiling::detail::move_open_zones(profiling::detail::ThreadState& from,
                                                 profiling::detail::ThreadState& to) noexcept;

  void begin(profiling::detail::SiteInfo& site) noexcept;
  void begin_first_time(profiling::detail::SiteInfo& site) noexcept;
  void end() noexcept;
  void end_steady_clock() noexcept;
  void finish(std::uint64_t stop_ticks) noexcept;
  void begin_traced() noexcept;
  void end_traced(std::uint64_t stop_ticks, std::uint64_t duration_ticks) noexcept;

  // Set by begin() when the zone records (state_ == nullptr: it does not), left unset otherwise.
  profiling::detail::ThreadState* state_;  // the recording thread's, kept so end() skips TLS
  profiling::detail::Accumulator* accumulator_;
  Zone* parent_;
  std::uint64_t start_;
  std::uint64_t child_ticks_;
  // Set by begin() only while a trace runs and allocation tracking is present: the thread's
  // allocation count and bytes allocated at entry (alloc_traced_ says whether they were taken).
  bool alloc_traced_;
  std::uint64_t alloc_count_start_;
  std::uint64_t alloc_bytes_start_;
};

}  // namespace hone

#define HONE_PROFILING_CONCAT_INNER(a, b) a##b
#define HONE_PROFILING_CONCAT(a, b) HONE_PROFILING_CONCAT_INNER(a, b)

#if defined(HONE_PROFILING_DISABLED)
#define HONE_ZONE(name) static_cast<void>(0)
#define HONE_FUNCTION_ZONE() static_cast<void>(0)
// The operands sit in the body of a lambda that is never called: named (so no unused-variable
// warning in either compiler) but never evaluated, and nothing of them is emitted.
#define HONE_ZONE_DYNAMIC(name) static_cast<void>([&] { static_cast<void>(name); })
#define HONE_ZONE_VALUE(value) static_cast<void>([&] { static_cast<void>(value); })
#define HONE_COUNTER(name, value) static_cast<void>([&] { static_cast<void>(value); })
#define HONE_FRAME_MARK(name) static_cast<void>(0)
#define HONE_MESSAGE(text) static_cast<void>([&] { static_cast<void>(text); })
#else
// `id` is unique per expansion (__COUNTER__), so several zones may share a line.
#define HONE_ZONE_WITH_NAME(name_expr, id)                                                                             \
  static constinit ::hone::profiling::detail::SiteInfo HONE_PROFILING_CONCAT(hone_zone_site_, id){name_expr, __FILE__, \
                                                                                                  __LINE__};           \
  const ::hone::Zone HONE_PROFILING_CONCAT(hone_zone_, id)(HONE_PROFILING_CONCAT(hone_zone_site_, id))
// `name` must be a string literal: the profiler keeps the pointer, and "" "literal" only compiles
// for one.
#define HONE_ZONE(name) HONE_ZONE_WITH_NAME("" name, __COUNTER__)
#define HONE_FUNCTION_ZONE() HONE_ZONE_WITH_NAME(__func__, __COUNTER__)
// A zone named at run time (anything convertible to std::string_view), e.g. per request type or
// plugin. The name is interned: one report row per distinct name and call site, at most k_max_sites
// sites in all. Costs a lock and a hash lookup on entry on top of a zone; for a bounded set of names.
#define HONE_ZONE_DYNAMIC_WITH_ID(name_expr, id)                                                                       \
  const ::hone::Zone HONE_PROFILING_CONCAT(hone_zone_, id)(                                                            \
      ::hone::profiling::detail::intern_site((name_expr), __FILE__, __LINE__))
#define HONE_ZONE_DYNAMIC(name) HONE_ZONE_DYNAMIC_WITH_ID(name, __COUNTER__)
// A number for the innermost open zone (trace only): HONE_ZONE_VALUE(bytes).
#define HONE_ZONE_VALUE(value) ::hone::profiling::zone_value(static_cast<std::uint64_t>(value))
// A counter track in the trace (integers within +-2^51): HONE_COUNTER("queue depth", queue.size()).
#define HONE_COUNTER_WITH_ID(name, value, id)                                                                          \
  do {                                                                                                                 \
    static constinit ::hone::profiling::detail::SiteInfo HONE_PROFILING_CONCAT(hone_counter_site_, id){                \
        "" name, __FILE__, __LINE__, {}, ::hone::profiling::detail::SiteKind::counter};                                \
    ::hone::profiling::detail::record_counter(HONE_PROFILING_CONCAT(hone_counter_site_, id),                           \
                                              static_cast<std::int64_t>(value));                                       \
  } while (false)
#define HONE_COUNTER(name, value) HONE_COUNTER_WITH_ID(name, value, __COUNTER__)
// A frame mark (trace only): a global instant event, e.g. once per frame or per batch.
#define HONE_FRAME_MARK_WITH_ID(name, id)                                                                              \
  do {                                                                                                                 \
    static constinit ::hone::profiling::detail::SiteInfo HONE_PROFILING_CONCAT(hone_frame_site_, id){                  \
        "" name, __FILE__, __LINE__, {}, ::hone::profiling::detail::SiteKind::frame};                                  \
    ::hone::profiling::detail::record_frame(HONE_PROFILING_CONCAT(hone_frame_site_, id));                              \
  } while (false)
#define HONE_FRAME_MARK(name) HONE_FRAME_MARK_WITH_ID(name, __COUNTER__)
// A message (trace only): an instant event named by a copy of `text` (std::string_view).
#define HONE_MESSAGE(text) ::hone::profiling::message(text)
#endif
