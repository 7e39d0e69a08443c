// Streaming a trace to a rotating file (HONE_PROFILE_TRACE_STREAM=1, start_trace_stream()), for
// services whose run outlasts any fixed buffer (issue 14).
//
// The recording side is the whole-buffer trace's (trace.h): a thread fills a 256-event chunk alone and
// publishes each event with a release store of the chunk's count. Only claiming differs: the chunks
// form a pool, a full chunk is marked released and a free one taken under the pool's mutex, once per
// 256 events. The writer thread wakes every interval (or when fewer than a quarter of the chunks are
// free), copies out each chunk's events past what it already wrote, hands the released ones back to
// the pool, and appends the events to the current file as Chrome JSON, through the same writer as
// the whole-buffer trace. The zone's hot path is untouched, and so is recording an event except when
// a chunk is claimed.
//
// Order: a thread's chunks are numbered when claimed. The writer reads the chunks' counts newest
// first, so when it sees any event of a thread's newer chunk it also sees the older chunk complete,
// then folds them oldest first; a zone's `alloc` and `value` events, recorded before the zone's own,
// so always come first, and are held across rounds until their zone arrives.
//
// Files: the current file is an exclusive temporary beside the path (trace.cpp's
// create_exclusive_temporary: random name, O_EXCL|O_NOFOLLOW). When it passes the size limit it is
// completed (thread names, otherData), closed and renamed to "<path>.1" after the older ones moved up
// one (<path>.K, the oldest kept, is replaced). Finishing completes the last one as <path>. So a file
// under its final name is always a complete trace; only SIGKILL or a crash leaves a temporary behind,
// unfinished. The runtime may not depend on support/ (it is installed on its own), so these are the
// runtime's own rename steps over its own exclusive-temporary helper.
#include "trace.h"

#include "hone/alloc_tracking.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <string>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace hone::profiling::detail {
namespace {

struct ChunkView {
  TraceChunk* chunk;
  std::uint64_t sequence;
  std::uint32_t used = 0;
  bool released = false;
};

class TraceStream {
public:
  TraceStream(std::string path, const TraceStreamOptions& options, TraceBuffer& buffer)
      : path_(std::move(path)), options_(options), buffer_(buffer) {}

  bool start_writer() noexcept;
  void stop_writer() noexcept;
  // One drain of the pool into the files. The caller holds g_round_mutex. May throw std::bad_alloc.
  void round();
  // Completes the current file as the path (creating an empty trace if none is open).
  bool complete_last();

  StreamTotals totals;
  bool failed = false;  // a file could not be written: the rest is drained but not written
  int error = 0;
  pid_t owner = getpid();

private:
  static void* writer_main(void* self) noexcept;
  std::vector<ChunkView> claimed_chunks();
  void fold(const ChunkView& view, std::vector<Item>& items);
  void recycle(const std::vector<ChunkView>& views);
  void refresh_context();
  bool open_file();
  bool complete_file();
  bool rotate();
  void write_items(std::vector<Item>& items, const std::vector<Message>& messages);
  void fail(int error_number);

  std::string path_;
  TraceStreamOptions options_;
  TraceBuffer& buffer_;
  pthread_t writer_{};
  bool writer_running_ = false;
  bool stop_ = false;  // guarded by buffer_.pool_mutex

  EmitContext context_;
  std::map<std::int64_t, std::uint32_t> thread_of_tid_;                            // tid -> thread index
  std::map<std::int64_t, std::pair<std::uint64_t, std::uint64_t>> pending_alloc_;  // tid -> (count, bytes)
  std::map<std::pair<std::int64_t, std::uint64_t>, std::uint64_t> pending_values_;
  std::uint64_t dropped_messages_ = 0;

  // The current file: open while `file_` is not null.
  std::FILE* file_ = nullptr;
  std::string temporary_;
  std::uint64_t file_bytes_ = 0;
  std::uint64_t file_events_ = 0;
  std::uint64_t segment_ = 0;  // 1 for the run's first file
  std::map<std::int64_t, std::uint32_t> file_threads_;
};

constinit std::mutex g_control_mutex;  // serializes starting and ending streams
constinit std::mutex g_round_mutex;    // serializes rounds (writer, flush, the last one)
constinit std::atomic<TraceStream*> g_stream{nullptr};
constinit std::atomic<std::uint64_t> g_events_written{0};

std::string numbered(const std::string& path, unsigned number) {
  return path + "." + std::to_string(number);
}

bool TraceStream::start_writer() noexcept {
  // The writer runs with SIGINT and SIGTERM blocked: outputs.cpp's flusher handles those.
  sigset_t blocked;
  sigset_t previous;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  const int created = pthread_create(&writer_, nullptr, writer_main, this);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (created != 0) {
    errno = created;
    return false;
  }
  pthread_setname_np(writer_, "hone-trace");
  writer_running_ = true;
  return true;
}

void TraceStream::stop_writer() noexcept {
  if (!writer_running_) return;
  {
    std::lock_guard lock(buffer_.pool_mutex);
    stop_ = true;
    buffer_.running_low.notify_all();
  }
  pthread_join(writer_, nullptr);
  writer_running_ = false;
}

void* TraceStream::writer_main(void* self) noexcept {
  auto& stream = *static_cast<TraceStream*>(self);
  TraceBuffer& buffer = stream.buffer_;
  const auto interval = std::chrono::milliseconds(std::max(1u, stream.options_.interval_ms));
  std::unique_lock pool(buffer.pool_mutex);
  while (!stream.stop_) {
    buffer.running_low.wait_for(pool, interval, [&] { return stream.stop_ || buffer.low; });
    if (stream.stop_) break;
    pool.unlock();
    try {
      std::lock_guard round(g_round_mutex);
      stream.round();
    } catch (...) {
      // Out of memory: the chunks stay where they are and the next round tries again.
    }
    pool.lock();
  }
  return nullptr;
}

// The chunks handed out, with their counts read newest first (see the file comment).
std::vector<ChunkView> TraceStream::claimed_chunks() {
  std::vector<ChunkView> views;
  {
    std::lock_guard lock(buffer_.pool_mutex);
    for (std::size_t c = 0; c < buffer_.chunk_count; ++c) {
      TraceChunk& chunk = buffer_.chunks[c];
      if (chunk.in_use) views.push_back(ChunkView{&chunk, chunk.sequence});
    }
  }
  std::sort(views.begin(), views.end(), [](const ChunkView& a, const ChunkView& b) { return a.sequence > b.sequence; });
  for (ChunkView& view : views) {
    view.released = view.chunk->released.load(std::memory_order_acquire);  // then `used` is final
    view.used = view.chunk->used.load(std::memory_order_acquire);
  }
  std::reverse(views.begin(), views.end());
  return views;
}

// The chunk's events not written yet, as Items; a zone's `alloc` and `value` events are attached to
// it (they come first, possibly in an earlier chunk or round).
void TraceStream::fold(const ChunkView& view, std::vector<Item>& items) {
  TraceChunk& chunk = *view.chunk;
  const std::int64_t tid = chunk.os_thread_id;
  thread_of_tid_[tid] = std::max(thread_of_tid_[tid], chunk.thread_index);
  for (std::uint32_t e = chunk.drained; e < view.used; ++e) {
    const TraceEvent& event = chunk.events[e];
    Item item{tid, event.start_ticks, event.duration_and_site >> k_trace_site_bits,
              static_cast<std::uint32_t>(event.duration_and_site & (k_max_sites - 1))};
    const SiteKind kind = item.site < context_.sites.size() ? context_.sites[item.site].kind : SiteKind::zone;
    if (kind == SiteKind::alloc) {
      pending_alloc_[tid] = {item.start, item.duration};
      continue;
    }
    if (kind == SiteKind::value) {
      pending_values_[{tid, item.start}] = item.duration;
      continue;
    }
    if (kind == SiteKind::zone) {
      if (const auto found = pending_alloc_.find(tid); found != pending_alloc_.end()) {
        item.has_alloc = true;
        item.allocations = found->second.first;
        item.alloc_bytes = found->second.second;
        pending_alloc_.erase(found);
      }
      if (const auto found = pending_values_.find({tid, item.start}); found != pending_values_.end()) {
        item.has_value = true;
        item.value = found->second;
        pending_values_.erase(found);
      }
    }
    items.push_back(item);
  }
  chunk.drained = std::max(chunk.drained, view.used);
}

// Chunks their thread has left, now written out, go back to the pool.
void TraceStream::recycle(const std::vector<ChunkView>& views) {
  std::lock_guard lock(buffer_.pool_mutex);
  for (const ChunkView& view : views) {
    if (!view.released || view.chunk->drained != view.used) continue;
    TraceChunk& chunk = *view.chunk;
    chunk.used.store(0, std::memory_order_relaxed);
    chunk.released.store(false, std::memory_order_relaxed);
    chunk.drained = 0;
    chunk.in_use = false;
    buffer_.free_chunks.push_back(&chunk);
  }
  buffer_.free_count.store(buffer_.free_chunks.size(), std::memory_order_relaxed);
  buffer_.low = buffer_.free_chunks.size() < buffer_.chunk_count / 4;
}

void TraceStream::refresh_context() {
  Registry& reg = registry();
  {
    std::lock_guard lock(reg.mutex);
    // Sites are only ever added: copy the new ones.
    for (std::size_t s = context_.sites.size(); s < reg.sites.size(); ++s) context_.sites.push_back(reg.sites[s]);
  }
  for (std::size_t s = context_.quoted_names.size(); s < context_.sites.size(); ++s) {
    context_.quoted_names.emplace_back();
    append_json_string(context_.quoted_names.back(), context_.sites[s].name);
  }
  if (context_.pid == 0) {
    context_.pid = static_cast<long>(getpid());
    context_.start_ticks = reg.start_ticks;
    context_.trace_start_ticks = buffer_.start_ticks;
  }
  context_.alloc_args = alloc_tracking_active();
  context_.scale = ns_per_tick();  // more precise as the run goes on
}

void TraceStream::round() {
  // The sites after the counts: an event counted here was recorded after its site was registered,
  // so the copy taken now names it. (Copied before, a site first used between the copy and the
  // count read as unknown, and its events were drained and never written: all 40,000 events of
  // four new threads in about one run in three of ProfilingStream.ThreadsEventsAllArriveOnce...)
  const std::vector<ChunkView> views = claimed_chunks();
  refresh_context();
  std::vector<Item> items;
  for (const ChunkView& view : views) fold(view, items);
  recycle(views);
  const std::vector<Message> messages = take_messages(dropped_messages_);
  if (items.empty() && messages.empty()) return;
  if (context_.alloc_args) {
    const std::vector<std::string> names = thread_names();
    for (const auto& [tid, index] : thread_of_tid_) {
      if (context_.held_names.count(tid) != 0) continue;
      append_json_string(context_.held_names[tid],
                         "bytes held: " + (index >= 1 && index <= names.size() ? names[index - 1] : "thread"));
    }
  }
  // By time (the enclosing zone first on a tie), so each file covers a stretch of time for every
  // thread rather than some threads' whole round.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.duration != b.duration) return a.duration > b.duration;
    return a.tid < b.tid;
  });
  write_items(items, messages);
}

void TraceStream::fail(int error_number) {
  if (failed) return;
  failed = true;
  error = error_number != 0 ? error_number : EIO;
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temporary_.c_str());
    file_ = nullptr;
  }
}

bool TraceStream::open_file() {
  file_ = create_exclusive_temporary(path_.c_str(), temporary_);
  if (file_ == nullptr) {
    fail(errno);
    return false;
  }
  ++segment_;
  file_events_ = 0;
  file_threads_.clear();
  Sink out(file_);
  out.append("{\"traceEvents\": [\n");
  out.format("{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %ld, \"tid\": 0, \"args\": {\"name\": ",
             static_cast<long>(getpid()));
  out.string(process_name());
  out.append("}}");
  file_bytes_ = out.bytes();
  if (out.failed()) fail(errno);
  return !failed;
}

void TraceStream::write_items(std::vector<Item>& items, const std::vector<Message>& messages) {
  const std::size_t total = items.size() + messages.size();
  for (std::size_t i = 0; i < total && !failed; ++i) {
    if (file_ == nullptr && !open_file()) break;
    Sink out(file_);
    if (i < items.size()) {
      write_item(out, items[i], context_);
      file_threads_[items[i].tid] = thread_of_tid_[items[i].tid];
    } else {
      const Message& message = messages[i - items.size()];
      write_message(out, context_, message.ticks, message.tid, message.text);
    }
    if (out.failed()) {
      fail(errno);
      break;
    }
    file_bytes_ += out.bytes();
    ++file_events_;
    ++totals.events;
    g_events_written.store(totals.events, std::memory_order_relaxed);
    if (file_bytes_ >= options_.max_file_bytes) rotate();
  }
}

// Writes the thread names and otherData and closes the file (still under its temporary name).
bool TraceStream::complete_file() {
  Sink out(file_);
  const std::vector<std::string> names = thread_names();
  for (const auto& [tid, index] : file_threads_) {
    out.format(",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": %ld, \"tid\": %" PRId64
               ", \"args\": {\"name\": ",
               context_.pid, tid);
    out.string(index >= 1 && index <= names.size() ? names[index - 1] : "thread");
    out.append("}}");
  }
  out.append("\n],\n\"displayTimeUnit\": \"ns\",\n\"otherData\": {\"clock\": ");
  out.string(clock_name());
  out.format(", \"events\": %" PRIu64 ", \"dropped_events\": %" PRIu64 ", \"buffer_events\": %zu"
             ", \"dropped_messages\": %" PRIu64 ", \"streamed\": true, \"segment\": %" PRIu64 "}}\n",
             file_events_, trace_dropped_events(), buffer_.chunk_count * k_trace_chunk_events, dropped_messages_,
             segment_);
  const int saved_errno = errno;
  const bool ok = !out.failed() && std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok) {
    std::remove(temporary_.c_str());
    fail(saved_errno);
  }
  return ok;
}

// The full file becomes <path>.1 after the older ones move up; with keep_files 0 it is removed.
bool TraceStream::rotate() {
  if (!complete_file()) return false;
  if (options_.keep_files == 0) {
    std::remove(temporary_.c_str());
  } else {
    for (unsigned n = options_.keep_files - 1; n >= 1; --n) {
      if (std::rename(numbered(path_, n).c_str(), numbered(path_, n + 1).c_str()) != 0 && errno != ENOENT) {
        std::remove(temporary_.c_str());
        fail(errno);
        return false;
      }
    }
    if (std::rename(temporary_.c_str(), numbered(path_, 1).c_str()) != 0) {
      std::remove(temporary_.c_str());
      fail(errno);
      return false;
    }
  }
  ++totals.rotations;
  return true;
}

bool TraceStream::complete_last() {
  if (failed) return false;
  if (file_ == nullptr && !open_file()) return false;
  if (!complete_file()) return false;
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    std::remove(temporary_.c_str());
    fail(errno);
    return false;
  }
  return true;
}

}  // namespace

bool streaming_trace() noexcept {
  return g_stream.load(std::memory_order_acquire) != nullptr;
}

bool stream_started_here() noexcept {
  const TraceStream* stream = g_stream.load(std::memory_order_acquire);
  return stream != nullptr && stream->owner == getpid();
}

std::uint64_t stream_events_written() noexcept {
  return g_events_written.load(std::memory_order_relaxed);
}

bool end_trace_stream(StreamTotals& totals) noexcept {
  std::lock_guard control(g_control_mutex);
  TraceStream* stream = g_stream.load(std::memory_order_acquire);
  if (stream == nullptr || stream->owner != getpid()) {
    errno = EINVAL;
    return false;
  }
  g_tracing.store(false, std::memory_order_relaxed);
  stream->stop_writer();
  bool ok = false;
  try {
    std::lock_guard round(g_round_mutex);
    stream->round();
    ok = stream->complete_last();
  } catch (...) {
    stream->failed = true;
    stream->error = ENOMEM;
  }
  totals = stream->totals;
  totals.dropped = trace_dropped_events();
  const int error = stream->error;
  // The buffer stays (threads may still be inside record_trace_event); the next start frees it.
  g_stream.store(nullptr, std::memory_order_release);
  delete stream;
  if (!ok) errno = error != 0 ? error : EIO;
  return ok;
}

}  // namespace hone::profiling::detail

namespace hone::profiling {

bool start_trace_stream(const char* path, const TraceStreamOptions& options) noexcept {
  if (path == nullptr || path[0] == '\0') {
    errno = EINVAL;
    return false;
  }
  if (detail::streaming_trace()) finish_trace_stream();
  std::lock_guard control(detail::g_control_mutex);
  detail::TraceBuffer* buffer = detail::new_trace_buffer(options.buffer_events, true);
  if (buffer == nullptr) {
    errno = ENOMEM;
    return false;
  }
  detail::TraceStream* stream = nullptr;
  try {
    stream = new detail::TraceStream(path, options, *buffer);
    // A new run replaces the files of the last one, as the whole-buffer trace replaces its file.
    std::remove(path);
    for (unsigned n = 1; n <= options.keep_files; ++n) std::remove(detail::numbered(path, n).c_str());
  } catch (...) {
    delete[] buffer->chunks;
    delete buffer;
    errno = ENOMEM;
    return false;
  }
  {
    std::lock_guard lock(detail::g_trace_mutex);
    detail::replace_trace_buffer_locked(buffer);
  }
  detail::g_events_written.store(0, std::memory_order_relaxed);
  if (!stream->start_writer()) {
    const int error = errno;
    detail::g_tracing.store(false, std::memory_order_relaxed);
    delete stream;
    errno = error;
    return false;
  }
  detail::g_stream.store(stream, std::memory_order_release);
  return true;
}

bool flush_trace_stream() noexcept {
  std::lock_guard control(detail::g_control_mutex);
  detail::TraceStream* stream = detail::g_stream.load(std::memory_order_acquire);
  if (stream == nullptr) {
    errno = EINVAL;
    return false;
  }
  try {
    std::lock_guard round(detail::g_round_mutex);
    stream->round();
  } catch (...) {
    errno = ENOMEM;
    return false;
  }
  if (stream->failed) errno = stream->error;
  return !stream->failed;
}

bool finish_trace_stream() noexcept {
  detail::StreamTotals totals;
  return detail::end_trace_stream(totals);
}

}  // namespace hone::profiling
