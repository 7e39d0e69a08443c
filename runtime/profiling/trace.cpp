// Timeline capture of profiling zones and the Chrome trace event file (see trace.h for the buffer).
//
// The file is the JSON object form of the Trace Event Format: one "X" (complete) event per zone with
// "ts" and "dur" in microseconds since the profiler started, "M" metadata naming the process and each
// thread, and an "otherData" object holding the clock, the event count and the number of dropped
// events. Perfetto UI and chrome://tracing open it directly. With allocation tracking in the process,
// each zone's "args" hold the allocations and bytes its thread allocated while it was open, and each
// thread has a counter track "bytes held: <thread>" (see Zone::end_traced in recorder.cpp). Events
// are sorted per thread by start time (parents before their children), because they are recorded
// when zones close.
//
// Starting a trace replaces the buffer; a generation number tells threads that still point into an
// old buffer to claim a chunk of the new one. That, like reset(), requires that no other thread is
// inside a zone at that moment, which is what makes freeing the old buffer safe.
//
// write_trace() writes through an exclusive temporary beside the target: a random name opened with
// O_CREAT|O_EXCL|O_NOFOLLOW, renamed over the target when complete. A predictable name (the former
// "<path>.tmp.<pid>", opened with fopen) let anyone who can write the folder plant a symlink there and
// have the program overwrite the file it points to. The runtime depends on nothing else in the
// repository, so this is its own small version of support/atomic_file's rule.
#include "trace.h"

#include "hone/alloc_tracking.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace hone::profiling::detail {

constinit std::atomic<bool> g_tracing{false};
constinit std::mutex g_trace_mutex;
constinit std::atomic<TraceBuffer*> g_trace{nullptr};

namespace {

constinit std::uint64_t g_last_generation = 0;  // guarded by g_trace_mutex
constinit const char* g_exit_path = nullptr;    // HONE_PROFILE_TRACE, written once at start-up

// message(): rare, variable-length events, kept apart from the fixed-size event chunks under their
// own lock, at most k_max_trace_messages per trace. The vector is allocated once and never freed
// (messages may come from threads still running at exit).
constinit std::mutex g_message_mutex;  // guards the two below
constinit std::vector<Message>* g_messages = nullptr;
constinit std::uint64_t g_dropped_messages = 0;

// A streamed trace's chunks go round: the thread gives its full chunk back (the writer returns it
// to the pool once written) and takes a free one. With none free it drops this event, and asks again
// at its next one: a relaxed load of the free count, no lock, while the pool stays empty.
TraceChunk* claim_streaming_chunk(TraceBuffer& buffer, ThreadState& state, bool same_trace) noexcept {
  TraceChunk* const previous = same_trace ? state.trace_chunk : nullptr;
  state.trace_chunk = nullptr;
  state.trace_full = false;
  if (previous == nullptr && buffer.free_count.load(std::memory_order_relaxed) == 0) return nullptr;
  const auto tid = static_cast<std::int64_t>(syscall(SYS_gettid));
  TraceChunk* chunk = nullptr;
  {
    std::lock_guard lock(buffer.pool_mutex);
    if (previous != nullptr) previous->released.store(true, std::memory_order_release);
    if (buffer.free_chunks.empty()) return nullptr;
    chunk = buffer.free_chunks.back();
    buffer.free_chunks.pop_back();
    buffer.free_count.store(buffer.free_chunks.size(), std::memory_order_relaxed);
    chunk->in_use = true;
    chunk->sequence = buffer.next_sequence++;
    chunk->thread_index = state.index;
    chunk->os_thread_id = tid;  // under the lock: the writer reads it once it sees the chunk in use
    if (!buffer.low && buffer.free_chunks.size() < buffer.chunk_count / 4) {
      buffer.low = true;
      buffer.running_low.notify_one();
    }
  }
  state.trace_chunk = chunk;
  return chunk;
}

// Called on a thread's first event of a trace (its generation differs) and when its chunk is full.
TraceChunk* claim_chunk(TraceBuffer& buffer, ThreadState& state) noexcept {
  const bool same_trace = state.trace_generation.load(std::memory_order_relaxed) == buffer.generation;
  if (!same_trace) {
    state.trace_dropped.store(0, std::memory_order_relaxed);
    state.trace_generation.store(buffer.generation, std::memory_order_relaxed);
  }
  if (buffer.streaming) return claim_streaming_chunk(buffer, state, same_trace);
  state.trace_chunk = nullptr;
  const std::size_t index = buffer.next_chunk.fetch_add(1, std::memory_order_relaxed);
  state.trace_full = index >= buffer.chunk_count;
  if (state.trace_full) return nullptr;  // this thread drops from now on, without asking again
  TraceChunk& chunk = buffer.chunks[index];
  chunk.thread_index = state.index;
  chunk.os_thread_id = static_cast<std::int64_t>(syscall(SYS_gettid));
  state.trace_chunk = &chunk;
  return &chunk;
}

// Events of the current trace that threads had to drop. The caller holds g_trace_mutex.
std::uint64_t dropped_events_locked() {
  const TraceBuffer* buffer = g_trace.load(std::memory_order_acquire);
  if (buffer == nullptr) return 0;
  std::uint64_t dropped = 0;
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  for (const ThreadState* thread : reg.threads) {
    if (thread->trace_generation.load(std::memory_order_relaxed) != buffer->generation) continue;
    dropped += thread->trace_dropped.load(std::memory_order_relaxed);
  }
  return dropped;
}

}  // namespace

void Sink::append(std::string_view data) {
  bytes_ += data.size();
  if (text_ != nullptr) {
    text_->append(data);
  } else if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    failed_ = true;
  }
}

void Sink::format(const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  const int written = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (written > 0)
    append(std::string_view(buffer, std::min<std::size_t>(static_cast<std::size_t>(written), sizeof buffer - 1)));
}

void Sink::string(std::string_view text) {
  std::string quoted;
  append_json_string(quoted, text);
  append(quoted);
}

std::string process_name() {
  char name[64] = {};
  if (std::FILE* comm = std::fopen("/proc/self/comm", "r"); comm != nullptr) {
    if (std::fgets(name, sizeof name, comm) == nullptr) name[0] = '\0';
    std::fclose(comm);
  }
  std::string result(name);
  if (!result.empty() && result.back() == '\n') result.pop_back();
  return result.empty() ? "program" : result;
}

std::vector<std::string> thread_names() {
  Registry& reg = registry();
  std::lock_guard lock(reg.mutex);
  std::vector<std::string> names(reg.threads.size());
  for (const ThreadState* thread : reg.threads) {
    names[thread->index - 1] =
        thread->name[0] != '\0' ? std::string(thread->name) : "thread " + std::to_string(thread->index);
  }
  return names;
}

std::vector<Message> take_messages(std::uint64_t& dropped) {
  std::vector<Message> taken;
  std::lock_guard lock(g_message_mutex);
  dropped = g_dropped_messages;
  if (g_messages != nullptr) taken.swap(*g_messages);
  return taken;
}

namespace {

// Everything of the trace buffer, one Item per recorded event (a zone's `alloc` event folded into the
// zone's Item), and the (tid, thread index) pairs that wrote them. The caller holds g_trace_mutex.
// May throw std::bad_alloc.
std::size_t collect_items(std::vector<Item>& items, std::vector<std::pair<std::int64_t, std::uint32_t>>& threads,
                          const std::vector<Site>& sites) {
  const TraceBuffer* buffer = g_trace.load(std::memory_order_acquire);
  if (buffer == nullptr) return 0;
  // A thread's chunks are claimed, and so visited here, in the order it wrote them, and an `alloc`
  // event is written right before its zone's event: it belongs to the thread's next zone event,
  // which may be in the thread's next chunk.
  std::map<std::int64_t, std::pair<std::uint64_t, std::uint64_t>> pending_alloc;  // tid -> (count, bytes)
  const std::size_t claimed = std::min(buffer->next_chunk.load(std::memory_order_relaxed), buffer->chunk_count);
  for (std::size_t c = 0; c < claimed; ++c) {
    const TraceChunk& chunk = buffer->chunks[c];
    const std::uint32_t used = chunk.used.load(std::memory_order_acquire);
    if (used == 0) continue;
    threads.emplace_back(chunk.os_thread_id, chunk.thread_index);
    for (std::uint32_t e = 0; e < used; ++e) {
      const TraceEvent& event = chunk.events[e];
      Item item{chunk.os_thread_id, event.start_ticks, event.duration_and_site >> k_trace_site_bits,
                static_cast<std::uint32_t>(event.duration_and_site & (k_max_sites - 1))};
      const SiteKind kind = item.site < sites.size() ? sites[item.site].kind : SiteKind::zone;
      if (kind == SiteKind::alloc) {
        pending_alloc[item.tid] = {item.start, item.duration};
        continue;
      }
      if (kind == SiteKind::zone) {
        if (const auto found = pending_alloc.find(item.tid); found != pending_alloc.end()) {
          item.has_alloc = true;
          item.allocations = found->second.first;
          item.alloc_bytes = found->second.second;
          pending_alloc.erase(found);
        }
      }
      items.push_back(item);
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.tid != b.tid) return a.tid < b.tid;
    if (a.start != b.start) return a.start < b.start;
    return a.duration > b.duration;  // the enclosing zone first
  });
  // A thread that named itself after inheriting a state wrote chunks under two states: the later
  // (higher index) one carries its name, so it sorts first and is the one kept for its tid.
  std::sort(threads.begin(), threads.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first < b.first : a.second > b.second; });
  threads.erase(
      std::unique(threads.begin(), threads.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
      threads.end());
  return buffer->chunk_count * k_trace_chunk_events;
}

// Counter values are two's complement in the event's 52-bit payload: shifted up and back down
// (arithmetically) to restore the sign.
std::int64_t counter_value(std::uint64_t payload) {
  return static_cast<std::int64_t>(payload << k_trace_site_bits) >> k_trace_site_bits;
}

}  // namespace

void write_item(Sink& out, const Item& item, const EmitContext& context) {
  if (item.site >= context.sites.size()) return;
  const SiteKind kind = context.sites[item.site].kind;
  if (kind == SiteKind::value) return;  // written as its zone's args
  const double start_us = static_cast<double>(item.start - context.start_ticks) * context.scale / 1000.0;
  out.append(",\n{\"name\": ");
  if (kind != SiteKind::held) out.append(context.quoted_names[item.site]);
  switch (kind) {
    case SiteKind::counter:
      out.format(", \"ph\": \"C\", \"ts\": %.3f, \"pid\": %ld, \"tid\": %" PRId64 ", \"args\": {\"value\": %" PRId64
                 "}}",
                 start_us, context.pid, item.tid, counter_value(item.duration));
      return;
    case SiteKind::held: {
      // One counter track per thread: trace viewers key counter tracks by name.
      const auto name = context.held_names.find(item.tid);
      out.append(name != context.held_names.end() ? std::string_view(name->second) : "\"bytes held\"");
      out.format(", \"cat\": \"alloc\", \"ph\": \"C\", \"ts\": %.3f, \"pid\": %ld, \"tid\": %" PRId64
                 ", \"args\": {\"value\": %" PRId64 "}}",
                 start_us, context.pid, item.tid, counter_value(item.duration));
      return;
    }
    case SiteKind::frame:
      out.format(", \"cat\": \"frame\", \"ph\": \"i\", \"s\": \"g\", \"ts\": %.3f, \"pid\": %ld, \"tid\": %" PRId64 "}",
                 start_us, context.pid, item.tid);
      return;
    default: break;
  }
  const double duration_us = static_cast<double>(item.duration) * context.scale / 1000.0;
  out.format(", \"cat\": \"zone\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, \"pid\": %ld, \"tid\": %" PRId64,
             start_us, duration_us, context.pid, item.tid);
  const auto found = item.has_value ? context.values.end() : context.values.find({item.tid, item.start});
  const bool has_value = item.has_value || found != context.values.end();
  const std::uint64_t value = item.has_value ? item.value : has_value ? found->second : 0;
  const bool has_alloc = item.has_alloc || (context.alloc_args && item.start >= context.trace_start_ticks);
  if (has_value || has_alloc) {
    out.append(", \"args\": {");
    if (has_value) out.format("\"value\": %" PRIu64 "%s", value, has_alloc ? ", " : "");
    if (has_alloc) {
      out.format("\"allocations\": %" PRIu64 ", \"alloc bytes\": %" PRIu64, item.allocations, item.alloc_bytes);
    }
    out.append("}");
  }
  out.append("}");
}

void write_message(Sink& out, const EmitContext& context, std::uint64_t ticks, std::int64_t tid,
                   std::string_view text) {
  const double at_us = static_cast<double>(ticks - context.start_ticks) * context.scale / 1000.0;
  out.append(",\n{\"name\": ");
  out.string(text);
  out.format(", \"cat\": \"message\", \"ph\": \"i\", \"s\": \"t\", \"ts\": %.3f, \"pid\": %ld, \"tid\": %" PRId64 "}",
             at_us, context.pid, tid);
}

namespace {

// Writes the whole trace; the caller holds g_trace_mutex. May throw std::bad_alloc.
// Everything of the current trace, ready for either writer. The caller holds g_trace_mutex. May throw.
TraceContents collect_contents() {
  Registry& reg = registry();
  TraceContents contents;
  EmitContext& context = contents.context;
  context.scale = ns_per_tick();
  context.start_ticks = reg.start_ticks;
  context.pid = static_cast<long>(getpid());
  contents.dropped = dropped_events_locked();
  contents.names = thread_names();
  {
    std::lock_guard lock(reg.mutex);
    context.sites = reg.sites;
  }
  contents.capacity = collect_items(contents.items, contents.threads, context.sites);
  context.alloc_args = alloc_tracking_active();
  if (const TraceBuffer* buffer = g_trace.load(std::memory_order_acquire); buffer != nullptr) {
    context.trace_start_ticks = buffer->start_ticks;
  }
  for (const auto& [tid, index] : contents.threads) {
    append_json_string(context.held_names[tid], "bytes held: " + contents.thread_name(index, tid));
  }
  context.quoted_names.resize(context.sites.size());
  for (std::size_t s = 0; s < context.sites.size(); ++s)
    append_json_string(context.quoted_names[s], context.sites[s].name);
  for (const Item& item : contents.items) {
    if (item.site < context.sites.size() && context.sites[item.site].kind == SiteKind::value) {
      context.values[{item.tid, item.start}] = item.duration;
    }
  }
  std::lock_guard lock(g_message_mutex);
  if (g_messages != nullptr) contents.messages = *g_messages;
  contents.dropped_messages = g_dropped_messages;
  return contents;
}

// The Chrome JSON form of the whole trace.
void emit_json(Sink& out, const TraceContents& contents) {
  const EmitContext& context = contents.context;
  out.append("{\"traceEvents\": [\n");
  out.format("{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %ld, \"tid\": 0, \"args\": {\"name\": ",
             context.pid);
  out.string(process_name());
  out.append("}}");
  for (const auto& [tid, index] : contents.threads) {
    out.format(",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": %ld, \"tid\": %" PRId64
               ", \"args\": {\"name\": ",
               context.pid, tid);
    out.string(contents.thread_name(index, tid));
    out.append("}}");
  }
  for (const Item& item : contents.items) write_item(out, item, context);
  for (const Message& message : contents.messages) {
    write_message(out, context, message.ticks, message.tid, message.text);
  }
  out.append("\n],\n\"displayTimeUnit\": \"ns\",\n\"otherData\": {\"clock\": ");
  out.string(clock_name());
  out.format(", \"events\": %zu, \"dropped_events\": %" PRIu64
             ", \"buffer_events\": %zu, \"dropped_messages\": %" PRIu64 "}}\n",
             contents.items.size(), contents.dropped, contents.capacity, contents.dropped_messages);
}

// Writes the whole trace, as JSON or as Perfetto protobuf; the caller holds g_trace_mutex. May throw
// std::bad_alloc.
void emit_trace(Sink& out, TraceFormat format) {
  const TraceContents contents = collect_contents();
  if (format == TraceFormat::perfetto) {
    write_perfetto(out, contents);
  } else {
    emit_json(out, contents);
  }
}

// Sixteen hex digits from getrandom(2), or (where it fails) from the clock, the pid and a counter:
// O_EXCL makes a guessed or taken name fail safely either way, so this only has to make collisions
// rare enough for the retry loop below.
std::string random_suffix() {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t bits = 0;
  if (getrandom(&bits, sizeof bits, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bits)) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    bits = static_cast<std::uint64_t>(now.tv_nsec) ^ (static_cast<std::uint64_t>(now.tv_sec) << 30) ^
           (static_cast<std::uint64_t>(getpid()) << 16) ^ counter.fetch_add(1, std::memory_order_relaxed);
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, bits);
  return text;
}

}  // namespace

// Creates "<path>.tmp-<random>" exclusively (never following a symlink, never reusing a file), mode
// 0666 less the umask like fopen. Returns the open FILE* and sets `temporary`; nullptr with errno set.
std::FILE* create_exclusive_temporary(const char* path, std::string& temporary) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary = std::string(path) + ".tmp-" + random_suffix();
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) {
      if (errno == EEXIST) continue;  // taken (or planted): another name
      return nullptr;
    }
    std::FILE* file = ::fdopen(fd, "w");
    if (file == nullptr) {
      const int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      errno = error;
    }
    return file;
  }
  errno = EEXIST;
  return nullptr;
}

namespace {

void write_stream_output() noexcept {
  if (!stream_started_here()) return;  // a forked child: the parent's writer owns the files
  StreamTotals totals;
  if (!end_trace_stream(totals)) {
    std::fprintf(stderr, "hone: error: cannot write the streamed trace to %s: %s\n", g_exit_path, std::strerror(errno));
    return;
  }
  std::fprintf(stderr, "hone profile: streamed %" PRIu64 " events to %s", totals.events, g_exit_path);
  if (totals.rotations > 0) std::fprintf(stderr, " and earlier files (%" PRIu64 " rotated)", totals.rotations);
  if (totals.dropped > 0) {
    std::fprintf(stderr,
                 " (%" PRIu64 " more were dropped: the writer did not keep up; set HONE_PROFILE_TRACE_EVENTS higher)",
                 totals.dropped);
  }
  std::fputs("\n", stderr);
}

}  // namespace

void write_trace_output() noexcept {
  if (g_exit_path == nullptr) return;
  if (streaming_trace()) return write_stream_output();
  stop_trace();
  const std::uint64_t events = trace_event_count();
  const std::uint64_t dropped = trace_dropped_events();
  if (!write_trace(g_exit_path)) {
    std::fprintf(stderr, "hone: error: cannot write the trace to %s: %s\n", g_exit_path, std::strerror(errno));
    return;
  }
  std::fprintf(stderr, "hone profile: wrote %" PRIu64 " events to %s", events, g_exit_path);
  if (dropped > 0) {
    std::fprintf(stderr,
                 " (%" PRIu64 " more were dropped: the buffer was full; set HONE_PROFILE_TRACE_EVENTS above %" PRIu64
                 ")",
                 dropped, events + dropped);
  }
  std::fputs("\n", stderr);
}

void record_trace_event(ThreadState& state, std::uint32_t site, std::uint64_t start_ticks,
                        std::uint64_t duration_ticks) noexcept {
  TraceBuffer* buffer = g_trace.load(std::memory_order_acquire);
  if (buffer == nullptr) return;
  TraceChunk* chunk = state.trace_chunk;
  // The generation is checked first: after a restart, `chunk` points into a freed buffer.
  const bool same_trace = state.trace_generation.load(std::memory_order_relaxed) == buffer->generation;
  if (!same_trace ||
      (chunk == nullptr ? !state.trace_full : chunk->used.load(std::memory_order_relaxed) == k_trace_chunk_events)) {
    chunk = claim_chunk(*buffer, state);
  }
  if (chunk == nullptr) {
    state.trace_dropped.store(state.trace_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return;
  }
  constexpr std::uint64_t k_max_duration = (std::uint64_t{1} << (64 - k_trace_site_bits)) - 1;
  const std::uint32_t used = chunk->used.load(std::memory_order_relaxed);
  chunk->events[used] = TraceEvent{start_ticks, std::min(duration_ticks, k_max_duration) << k_trace_site_bits | site};
  chunk->used.store(used + 1, std::memory_order_release);
}

TraceBuffer* new_trace_buffer(std::size_t max_events, bool streaming) noexcept {
  if (max_events == 0) max_events = 1;
  const std::size_t chunk_count = (max_events + k_trace_chunk_events - 1) / k_trace_chunk_events;
  auto* buffer = new (std::nothrow) TraceBuffer;
  if (buffer == nullptr) return nullptr;
  buffer->chunks = new (std::nothrow) TraceChunk[chunk_count];
  buffer->chunk_count = chunk_count;
  buffer->streaming = streaming;
  try {
    if (buffer->chunks != nullptr && streaming) {
      buffer->free_chunks.reserve(chunk_count);  // so recycling never allocates
      for (std::size_t c = chunk_count; c-- > 0;) buffer->free_chunks.push_back(&buffer->chunks[c]);
      buffer->free_count.store(chunk_count, std::memory_order_relaxed);
    }
  } catch (...) {
    delete[] buffer->chunks;
    buffer->chunks = nullptr;
  }
  if (buffer->chunks == nullptr) {
    delete buffer;
    return nullptr;
  }
  return buffer;
}

void replace_trace_buffer_locked(TraceBuffer* buffer) noexcept {
  g_tracing.store(false, std::memory_order_relaxed);
  TraceBuffer* old = g_trace.exchange(nullptr, std::memory_order_acq_rel);
  if (old != nullptr) {
    delete[] old->chunks;
    delete old;
  }
  if (buffer == nullptr) return;
  buffer->generation = ++g_last_generation;
  {
    std::lock_guard messages_lock(g_message_mutex);
    if (g_messages != nullptr) g_messages->clear();
    g_dropped_messages = 0;
  }
  g_trace.store(buffer, std::memory_order_release);
  g_tracing.store(true, std::memory_order_relaxed);
  // Read after tracing is on: a zone that starts later than this took its allocation figures.
  // (Written after publication, but only readers holding g_trace_mutex, or the stream's writer
  // started after this, read it.)
  buffer->start_ticks = now_ticks();
}

void abandon_trace_chunk(ThreadState& state) noexcept {
  TraceChunk* const chunk = state.trace_chunk;
  state.trace_chunk = nullptr;
  state.trace_full = false;
  TraceBuffer* buffer = g_trace.load(std::memory_order_acquire);
  if (chunk == nullptr || buffer == nullptr || !buffer->streaming ||
      state.trace_generation.load(std::memory_order_relaxed) != buffer->generation) {
    return;
  }
  std::lock_guard lock(buffer->pool_mutex);
  chunk->released.store(true, std::memory_order_release);
}

namespace {

// A variable holding a number, or `fallback` with a warning when it is not one within [minimum, ...).
double number_from_environment(const char* name, double fallback, double minimum, bool whole) noexcept {
  const char* text = ::secure_getenv(name);
  if (text == nullptr) return fallback;
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(parsed >= minimum) || parsed > 1e15 ||
      (whole && parsed != static_cast<double>(static_cast<std::uint64_t>(parsed)))) {
    std::fprintf(stderr, "hone: warning: %s='%s' is not a %s%s; using %g\n", name, text,
                 whole ? "whole number" : "number", minimum > 0 ? " above 0" : " of 0 or more", fallback);
    return fallback;
  }
  return parsed;
}

// HONE_PROFILE_TRACE_STREAM=1: the options of a streamed trace. A stream is written as JSON only, so
// a Perfetto path gets the whole-buffer trace instead, with a warning.
bool stream_requested(const char* path, TraceStreamOptions& options, std::size_t events) noexcept {
  const char* stream = ::secure_getenv("HONE_PROFILE_TRACE_STREAM");
  if (stream == nullptr || stream[0] == '\0' || std::strcmp(stream, "0") == 0) return false;
  if (trace_format_of(path) == TraceFormat::perfetto) {
    std::fprintf(stderr,
                 "hone: warning: HONE_PROFILE_TRACE_STREAM streams JSON only; %s is written in Perfetto's format at "
                 "exit instead\n",
                 path);
    return false;
  }
  if (std::strcmp(stream, "1") != 0) {
    std::fprintf(stderr, "hone: warning: HONE_PROFILE_TRACE_STREAM='%s' is not 0 or 1; streaming\n", stream);
  }
  options.buffer_events = events;
  const double mib = number_from_environment("HONE_PROFILE_TRACE_MAX_MB",
                                             static_cast<double>(options.max_file_bytes) / (1 << 20), 1e-6, false);
  options.max_file_bytes = static_cast<std::uint64_t>(mib * (1 << 20));
  options.keep_files =
      static_cast<unsigned>(number_from_environment("HONE_PROFILE_TRACE_KEEP", options.keep_files, 0, true));
  return true;
}

}  // namespace

bool start_trace_from_environment() noexcept {
  // secure_getenv: in a setuid or setgid program the variables are ignored, so that no user can make
  // the program write (and rename its trace over) a path of their choosing with its privileges.
  const char* path = ::secure_getenv("HONE_PROFILE_TRACE");
  if (path == nullptr || path[0] == '\0') return false;
  std::size_t events = k_default_trace_events;
  if (const char* text = ::secure_getenv("HONE_PROFILE_TRACE_EVENTS"); text != nullptr) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long parsed = std::strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || parsed == 0 || text[0] == '-') {
      std::fprintf(stderr,
                   "hone: warning: HONE_PROFILE_TRACE_EVENTS='%s' is not a positive number of events; using %zu\n",
                   text, events);
    } else {
      events = static_cast<std::size_t>(parsed);
    }
  }
  if (TraceStreamOptions options; stream_requested(path, options, events)) {
    if (!start_trace_stream(path, options)) {
      std::fprintf(stderr, "hone: error: cannot stream the trace to %s: %s; no trace is written\n", path,
                   std::strerror(errno));
      return false;
    }
  } else if (!start_trace(events)) {
    std::fprintf(stderr, "hone: error: cannot allocate a trace buffer of %zu events (%zu MiB); no trace is written\n",
                 events, events * sizeof(TraceEvent) >> 20);
    return false;
  }
  g_exit_path = path;
  return true;
}

}  // namespace hone::profiling::detail

namespace hone::profiling {

using detail::g_trace;
using detail::g_trace_mutex;
using detail::TraceBuffer;
using detail::TraceChunk;

bool start_trace(std::size_t max_events) noexcept {
  if (detail::streaming_trace()) finish_trace_stream();
  std::lock_guard lock(g_trace_mutex);
  detail::replace_trace_buffer_locked(nullptr);
  TraceBuffer* buffer = detail::new_trace_buffer(max_events, false);
  if (buffer == nullptr) return false;
  detail::replace_trace_buffer_locked(buffer);
  return true;
}

void message(std::string_view text) noexcept {
  if (!detail::g_tracing.load(std::memory_order_relaxed)) return;
  const std::uint64_t ticks = detail::now_ticks();
  const auto tid = static_cast<std::int64_t>(syscall(SYS_gettid));
  std::lock_guard lock(detail::g_message_mutex);
  try {
    if (detail::g_messages == nullptr) detail::g_messages = new std::vector<detail::Message>;
    if (detail::g_messages->size() < k_max_trace_messages) {
      detail::g_messages->push_back(detail::Message{ticks, tid, std::string(text)});
      return;
    }
  } catch (...) {
    // out of memory: counted as dropped below
  }
  ++detail::g_dropped_messages;
}

void stop_trace() noexcept {
  detail::g_tracing.store(false, std::memory_order_relaxed);
}

bool tracing() noexcept {
  return detail::g_tracing.load(std::memory_order_relaxed);
}

std::uint64_t trace_event_count() noexcept {
  std::lock_guard lock(g_trace_mutex);
  const TraceBuffer* buffer = g_trace.load(std::memory_order_acquire);
  if (buffer == nullptr) return 0;
  if (buffer->streaming) return detail::stream_events_written();
  std::uint64_t count = 0;
  const std::size_t claimed = std::min(buffer->next_chunk.load(std::memory_order_relaxed), buffer->chunk_count);
  for (std::size_t c = 0; c < claimed; ++c) count += buffer->chunks[c].used.load(std::memory_order_acquire);
  return count;
}

std::uint64_t trace_dropped_events() noexcept {
  try {
    std::lock_guard lock(g_trace_mutex);
    return detail::dropped_events_locked();
  } catch (...) {
    return 0;
  }
}

std::string trace_perfetto() noexcept {
  try {
    std::lock_guard lock(g_trace_mutex);
    std::string bytes;
    detail::Sink sink(&bytes);
    detail::emit_trace(sink, detail::TraceFormat::perfetto);
    return bytes;
  } catch (...) {
    return {};
  }
}

std::string trace_json() noexcept {
  try {
    std::lock_guard lock(g_trace_mutex);
    std::string text;
    detail::Sink sink(&text);
    detail::emit_trace(sink, detail::TraceFormat::json);
    return text;
  } catch (...) {
    return {};
  }
}

bool write_trace(const char* path) noexcept {
  if (path == nullptr || path[0] == '\0') {
    errno = EINVAL;
    return false;
  }
  try {
    std::string temporary;
    std::FILE* file = detail::create_exclusive_temporary(path, temporary);
    if (file == nullptr) return false;
    bool ok = false;
    {
      std::lock_guard lock(g_trace_mutex);
      detail::Sink sink(file);
      detail::emit_trace(sink, detail::trace_format_of(path));
      ok = !sink.failed();
    }
    const int saved_errno = errno;
    if (std::fclose(file) != 0) ok = false;
    if (ok && std::rename(temporary.c_str(), path) == 0) return true;
    const int error = ok ? errno : (saved_errno != 0 ? saved_errno : EIO);
    std::remove(temporary.c_str());
    errno = error;
    return false;
  } catch (...) {
    errno = ENOMEM;
    return false;
  }
}

}  // namespace hone::profiling
