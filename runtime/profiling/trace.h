// Timeline capture for profiling zones, private to runtime/profiling (public API: start_trace() and
// friends in hone/profiling.h).
//
// One buffer of fixed-size chunks is allocated when a trace starts. A thread claims a whole chunk
// with one atomic increment and then fills it alone, so recording an event is two stores and a
// release store of the chunk's fill count: no lock, no allocation, and no cache line shared with
// another writer. When no chunk is left the thread counts its events as dropped; memory never grows.
//
// A streamed trace (trace_stream.cpp) uses the same buffer as a pool: chunks go round between the
// recording threads and the writer thread, which drains them into the file and hands back the ones
// their thread has moved on from. The recording side is the same code; only claiming a chunk differs.
#pragma once

#include "recorder.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hone::profiling::detail {

// An event packs the duration and the site id into one word: 12 bits of site, 52 of duration ticks
// (over a year at 100 GHz), so a chunk of 256 events is exactly 4 KiB of events.
inline constexpr unsigned k_trace_site_bits = 12;
static_assert((std::uint32_t{1} << k_trace_site_bits) == k_max_sites, "site ids must fit the event");
inline constexpr std::uint32_t k_trace_chunk_events = 256;

struct TraceEvent {
  std::uint64_t start_ticks;
  std::uint64_t duration_and_site;  // duration << k_trace_site_bits | site
};

struct TraceChunk {
  // Events written so far; stored with release by the owning thread after each event, so a reader
  // that loads it with acquire sees those events and the fields below.
  std::atomic<std::uint32_t> used{0};
  std::uint32_t thread_index = 0;  // ThreadState::index of the claiming thread
  std::int64_t os_thread_id = 0;   // gettid() of the claiming thread: the trace's "tid"
  // Streaming only. `released`: the owning thread has moved on to another chunk, so once drained the
  // chunk may go back to the pool (stored with release after the thread's last event). `in_use` and
  // `sequence` (claim order, which is each thread's recording order) are guarded by the pool mutex;
  // `drained` (events already written) belongs to the writer.
  std::atomic<bool> released{false};
  bool in_use = false;
  std::uint32_t drained = 0;
  std::uint64_t sequence = 0;
  TraceEvent events[k_trace_chunk_events];
};

struct TraceBuffer {
  TraceChunk* chunks = nullptr;
  std::size_t chunk_count = 0;
  std::atomic<std::size_t> next_chunk{0};  // chunks claimed so far (may run past chunk_count; not streaming)
  std::uint64_t generation = 0;
  // Ticks just after the trace started: zones that began earlier have no allocation figures.
  std::uint64_t start_ticks = 0;
  // Streaming: the chunks not in use, handed out under pool_mutex; free_count mirrors their number
  // so a thread finding none drops its event without taking the lock. The writer waits on
  // running_low, notified when fewer than a quarter of the chunks are left.
  bool streaming = false;
  std::mutex pool_mutex;
  std::condition_variable running_low;
  std::vector<TraceChunk*> free_chunks;
  std::atomic<std::size_t> free_count{0};
  std::uint64_t next_sequence = 0;  // guarded by pool_mutex
  bool low = false;                 // guarded by pool_mutex
};

extern constinit std::atomic<bool> g_tracing;
extern constinit std::mutex g_trace_mutex;  // serializes starting or replacing a trace with reading one
extern constinit std::atomic<TraceBuffer*> g_trace;

// Records one closed zone for `state`'s thread (called by Zone::end only while g_tracing is set).
void record_trace_event(ThreadState& state, std::uint32_t site, std::uint64_t start_ticks,
                        std::uint64_t duration_ticks) noexcept;

// HONE_PROFILE_TRACE=path: starts a trace to be written by write_trace_output() (outputs.h arranges
// when). True if a trace was asked for and started. Called once, while the registry is being created
// (so it must not call registry()).
bool start_trace_from_environment() noexcept;

// Stops the trace started by start_trace_from_environment() and writes it to its path, with one line
// on stderr saying how many events it holds (or why it could not be written).
void write_trace_output() noexcept;

// A thread taking over an exited thread's state (attach_thread) gives up that thread's chunk: in a
// streamed trace it goes back to the pool once written.
void abandon_trace_chunk(ThreadState& state) noexcept;

// Replaces the current trace buffer (freed) by `buffer` (may be null). Caller holds g_trace_mutex.
void replace_trace_buffer_locked(TraceBuffer* buffer) noexcept;
// A new buffer of `max_events` (rounded up to whole chunks), numbered, not yet published; null when
// out of memory. A streaming buffer starts with every chunk free.
TraceBuffer* new_trace_buffer(std::size_t max_events, bool streaming) noexcept;

// ---- Streaming (trace_stream.cpp) ----
// The state of a streamed trace for the exit message.
struct StreamTotals {
  std::uint64_t events = 0;     // written to the files
  std::uint64_t rotations = 0;  // files completed and renamed to <path>.1
  std::uint64_t dropped = 0;    // events the threads could not store (no free chunk)
};
bool streaming_trace() noexcept;
// Whether this process started the running stream (a child made by fork() has no writer thread and
// leaves the files alone).
bool stream_started_here() noexcept;
// Stops a streamed trace: the writer thread ends, what is left is written and the current file is
// completed and renamed to its path. False with errno set if a file could not be written; `totals`
// is filled either way. False with errno EINVAL when no stream runs.
bool end_trace_stream(StreamTotals& totals) noexcept;
// Events written so far by the running (or last) stream.
std::uint64_t stream_events_written() noexcept;

// ---- The Chrome JSON writer, shared by the whole-buffer and the streamed trace (trace.cpp) ----

// Output to a string or to a FILE*, with printf-style formatting; counts the bytes written.
class Sink {
public:
  explicit Sink(std::string* text) : text_(text) {}
  explicit Sink(std::FILE* file) : file_(file) {}

  void append(std::string_view data);
  void format(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void string(std::string_view text);
  bool failed() const { return failed_; }
  std::uint64_t bytes() const { return bytes_; }

private:
  std::string* text_ = nullptr;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  std::uint64_t bytes_ = 0;
};

struct Item {
  std::int64_t tid;
  std::uint64_t start;
  std::uint64_t duration;
  std::uint32_t site;
  bool has_alloc = false;  // an `alloc` event came with this zone
  bool has_value = false;  // a zone_value() came with this zone (else EmitContext::values is asked)
  std::uint64_t allocations = 0;
  std::uint64_t alloc_bytes = 0;
  std::uint64_t value = 0;
};

// What writing the events needs: the sites' kinds and quoted names, the clock, the zone values.
struct EmitContext {
  std::vector<Site> sites;
  std::vector<std::string> quoted_names;                                   // by site id
  std::map<std::pair<std::int64_t, std::uint64_t>, std::uint64_t> values;  // (tid, zone start) -> value
  std::map<std::int64_t, std::string> held_names;                          // tid -> quoted "bytes held: <thread>"
  // With tracking, zones that began after `trace_start_ticks` and have no `alloc` event allocated
  // nothing and are written with zeros.
  bool alloc_args = false;
  std::uint64_t trace_start_ticks = 0;
  std::uint64_t start_ticks = 0;
  double scale = 1.0;
  long pid = 0;
};

// One event (",\n{...}"); nothing for a zone value, which its zone carries.
void write_item(Sink& out, const Item& item, const EmitContext& context);
// A thread's "message" instant event.
void write_message(Sink& out, const EmitContext& context, std::uint64_t ticks, std::int64_t tid, std::string_view text);
// The thread names by ThreadState::index - 1 ("thread N" for unnamed ones). May throw.
std::vector<std::string> thread_names();
std::string process_name();
// Creates "<path>.tmp-<random>" exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) for writing; see trace.cpp.
std::FILE* create_exclusive_temporary(const char* path, std::string& temporary);

// Messages (message()) recorded so far, taken out of the trace's list (streaming).
struct Message {
  std::uint64_t ticks;
  std::int64_t tid;
  std::string text;
};
std::vector<Message> take_messages(std::uint64_t& dropped);

// Everything a whole-buffer trace holds, for the JSON and the Perfetto writer.
struct TraceContents {
  EmitContext context;
  std::vector<Item> items;                                      // by tid, then start (enclosing zone first)
  std::vector<std::pair<std::int64_t, std::uint32_t>> threads;  // (tid, ThreadState::index), one per tid
  std::vector<std::string> names;                               // thread names by ThreadState::index - 1
  std::vector<Message> messages;
  std::uint64_t dropped = 0;
  std::uint64_t dropped_messages = 0;
  std::size_t capacity = 0;  // events the buffer holds

  std::string thread_name(std::uint32_t index, std::int64_t tid) const {
    return index >= 1 && index <= names.size() ? names[index - 1] : "thread " + std::to_string(tid);
  }
};

// ---- Perfetto's protobuf trace format (trace_perfetto.cpp) ----
enum class TraceFormat { json, perfetto };
// Perfetto for a path ending in .pftrace or .perfetto-trace, else JSON.
TraceFormat trace_format_of(std::string_view path) noexcept;
// The whole trace as a Perfetto `Trace` message. May throw std::bad_alloc.
void write_perfetto(Sink& out, const TraceContents& contents);

}  // namespace hone::profiling::detail
