// The trace in Perfetto's binary protobuf format (HONE_PROFILE_TRACE=trace.pftrace), beside the JSON.
//
// The file is one `Trace` message: a run of `packet` fields (TracePacket), each length-delimited, so
// it is written front to back with no index. Field numbers are those of Perfetto's published
// protos (protos/perfetto/trace/trace_packet.proto, track_event/track_event.proto,
// track_event/track_descriptor.proto, interned_data/interned_data.proto); the encoder is the few
// lines of varint and length-delimited writing below, so the runtime needs no protobuf library.
//
// What is written:
//  - one TrackDescriptor for the process (ProcessDescriptor: pid, name), one per thread (parent: the
//    process; ThreadDescriptor: pid, tid, name), one counter track per HONE_COUNTER name (parent:
//    the process, as the JSON's "C" events are per process) and one "bytes held: <thread>" counter
//    track per thread with allocation figures;
//  - a zone as TYPE_SLICE_BEGIN at its start and TYPE_SLICE_END at its end on its thread's track, its
//    value and allocation figures as debug annotations of the begin; a counter as TYPE_COUNTER; a
//    frame mark as TYPE_INSTANT on the process track; a message as TYPE_INSTANT on its thread's track;
//  - names interned: the first packet is SEQ_INCREMENTAL_STATE_CLEARED, a site's name goes into the
//    InternedData of the first packet that uses it (iid = site id) and later events carry name_iid
//    only (SEQ_NEEDS_INCREMENTAL_STATE). All packets are on one sequence (trusted_packet_sequence_id 1).
//    Messages, unique strings, keep their name inline.
// Timestamps are nanoseconds since the profiler started, like the JSON's microseconds.
#include "trace.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace hone::profiling::detail {
namespace {

// Field numbers (Perfetto's protos).
namespace trace {
constexpr unsigned packet = 1;
}
namespace packet {
constexpr unsigned timestamp = 8;
constexpr unsigned trusted_packet_sequence_id = 10;
constexpr unsigned track_event = 11;
constexpr unsigned interned_data = 12;
constexpr unsigned sequence_flags = 13;
constexpr unsigned track_descriptor = 60;
constexpr std::uint64_t seq_incremental_state_cleared = 1;
constexpr std::uint64_t seq_needs_incremental_state = 2;
}  // namespace packet
namespace track_descriptor {
constexpr unsigned uuid = 1;
constexpr unsigned name = 2;
constexpr unsigned process = 3;
constexpr unsigned thread = 4;
constexpr unsigned parent_uuid = 5;
constexpr unsigned counter = 8;
}  // namespace track_descriptor
namespace process_descriptor {
constexpr unsigned pid = 1;
constexpr unsigned process_name = 6;
}  // namespace process_descriptor
namespace thread_descriptor {
constexpr unsigned pid = 1;
constexpr unsigned tid = 2;
constexpr unsigned thread_name = 5;
}  // namespace thread_descriptor
namespace track_event {
constexpr unsigned debug_annotations = 4;
constexpr unsigned type = 9;
constexpr unsigned name_iid = 10;
constexpr unsigned track_uuid = 11;
constexpr unsigned name = 23;
constexpr unsigned counter_value = 30;
constexpr std::uint64_t type_slice_begin = 1;
constexpr std::uint64_t type_slice_end = 2;
constexpr std::uint64_t type_instant = 3;
constexpr std::uint64_t type_counter = 4;
}  // namespace track_event
namespace debug_annotation {
constexpr unsigned uint_value = 3;
constexpr unsigned name = 10;
}  // namespace debug_annotation
namespace interned_data {
constexpr unsigned event_names = 2;
}
namespace event_name {
constexpr unsigned iid = 1;
constexpr unsigned name = 2;
}  // namespace event_name

// A protobuf message being built: varint fields (wire type 0) and length-delimited ones (wire type
// 2: strings and nested messages). int64 values are written as their two's-complement uint64, as
// protobuf does for int64 (a negative one takes ten bytes).
class Message {
public:
  void varint_field(unsigned field, std::uint64_t value) {
    varint(std::uint64_t{field} << 3);
    varint(value);
  }
  void bytes_field(unsigned field, std::string_view value) {
    varint(std::uint64_t{field} << 3 | 2);
    varint(value.size());
    bytes_.append(value);
  }
  void message_field(unsigned field, const Message& nested) { bytes_field(field, nested.bytes_); }
  const std::string& bytes() const { return bytes_; }

private:
  void varint(std::uint64_t value) {
    while (value >= 0x80) {
      bytes_.push_back(static_cast<char>(value | 0x80));
      value >>= 7;
    }
    bytes_.push_back(static_cast<char>(value));
  }
  std::string bytes_;
};

constexpr std::uint64_t k_sequence_id = 1;
constexpr std::uint64_t k_process_track = 1;

class PerfettoWriter {
public:
  PerfettoWriter(Sink& out, const TraceContents& contents) : out_(out), contents_(contents) {}
  void write();

private:
  void emit(Message& packet_message) {
    packet_message.varint_field(packet::trusted_packet_sequence_id, k_sequence_id);
    Message wrapper;
    wrapper.message_field(trace::packet, packet_message);
    out_.append(wrapper.bytes());
  }
  std::uint64_t nanoseconds(std::uint64_t ticks) const {
    const EmitContext& context = contents_.context;
    if (ticks <= context.start_ticks) return 0;
    return static_cast<std::uint64_t>(std::llround(static_cast<double>(ticks - context.start_ticks) * context.scale));
  }
  void write_descriptors();
  void describe_track(std::uint64_t uuid, std::string_view name, bool counter);
  std::uint64_t thread_track(std::int64_t tid);
  std::uint64_t counter_track(const Item& item, SiteKind kind);
  void write_thread(std::size_t first, std::size_t last);
  void write_event(std::uint64_t ticks, std::uint64_t type, std::uint64_t track, std::uint32_t site, const Item* zone,
                   std::int64_t counter);
  void write_messages();

  Sink& out_;
  const TraceContents& contents_;
  std::vector<bool> interned_;                     // by site id
  std::map<std::int64_t, std::uint64_t> threads_;  // tid -> track uuid
  std::map<std::string, std::uint64_t> counters_;  // counter track name -> uuid
  std::uint64_t next_uuid_ = k_process_track + 1;
};

void PerfettoWriter::describe_track(std::uint64_t uuid, std::string_view name, bool counter) {
  Message descriptor;
  descriptor.varint_field(track_descriptor::uuid, uuid);
  descriptor.varint_field(track_descriptor::parent_uuid, k_process_track);
  descriptor.bytes_field(track_descriptor::name, name);
  if (counter) descriptor.message_field(track_descriptor::counter, Message{});
  Message packet_message;
  packet_message.message_field(packet::track_descriptor, descriptor);
  emit(packet_message);
}

void PerfettoWriter::write_descriptors() {
  const auto pid = static_cast<std::uint64_t>(contents_.context.pid);
  Message process;
  process.varint_field(process_descriptor::pid, pid);
  process.bytes_field(process_descriptor::process_name, process_name());
  Message descriptor;
  descriptor.varint_field(track_descriptor::uuid, k_process_track);
  descriptor.message_field(track_descriptor::process, process);
  Message first;
  first.varint_field(packet::sequence_flags, packet::seq_incremental_state_cleared);
  first.message_field(packet::track_descriptor, descriptor);
  emit(first);
  for (const auto& [tid, index] : contents_.threads) {
    const std::uint64_t uuid = next_uuid_++;
    threads_[tid] = uuid;
    Message thread;
    thread.varint_field(thread_descriptor::pid, pid);
    thread.varint_field(thread_descriptor::tid, static_cast<std::uint64_t>(tid));
    thread.bytes_field(thread_descriptor::thread_name, contents_.thread_name(index, tid));
    Message thread_track_descriptor;
    thread_track_descriptor.varint_field(track_descriptor::uuid, uuid);
    thread_track_descriptor.varint_field(track_descriptor::parent_uuid, k_process_track);
    thread_track_descriptor.message_field(track_descriptor::thread, thread);
    Message packet_message;
    packet_message.message_field(packet::track_descriptor, thread_track_descriptor);
    emit(packet_message);
  }
}

// The track of a thread that only wrote messages (its zones, if any, are described up front).
std::uint64_t PerfettoWriter::thread_track(std::int64_t tid) {
  if (const auto found = threads_.find(tid); found != threads_.end()) return found->second;
  const std::uint64_t uuid = next_uuid_++;
  threads_[tid] = uuid;
  Message thread;
  thread.varint_field(thread_descriptor::pid, static_cast<std::uint64_t>(contents_.context.pid));
  thread.varint_field(thread_descriptor::tid, static_cast<std::uint64_t>(tid));
  Message descriptor;
  descriptor.varint_field(track_descriptor::uuid, uuid);
  descriptor.varint_field(track_descriptor::parent_uuid, k_process_track);
  descriptor.message_field(track_descriptor::thread, thread);
  Message packet_message;
  packet_message.message_field(packet::track_descriptor, descriptor);
  emit(packet_message);
  return uuid;
}

// A counter's track (one per name for the process, as the JSON's "C" events are keyed by name), or
// a thread's "bytes held" track.
std::uint64_t PerfettoWriter::counter_track(const Item& item, SiteKind kind) {
  std::string name;
  if (kind == SiteKind::held) {
    std::uint32_t index = 0;
    for (const auto& [tid, thread_index] : contents_.threads) {
      if (tid == item.tid) index = thread_index;
    }
    name = "bytes held: " + contents_.thread_name(index, item.tid);
  } else {
    name = contents_.context.sites[item.site].name;
  }
  if (const auto found = counters_.find(name); found != counters_.end()) return found->second;
  const std::uint64_t uuid = next_uuid_++;
  counters_[name] = uuid;
  describe_track(uuid, name, true);
  return uuid;
}

// One TrackEvent packet. `site` names it (interned on first use; 0: no name), `zone` adds the
// zone's value and allocation figures as debug annotations, `counter` is a TYPE_COUNTER's value.
void PerfettoWriter::write_event(std::uint64_t ticks, std::uint64_t type, std::uint64_t track, std::uint32_t site,
                                 const Item* zone, std::int64_t counter) {
  const EmitContext& context = contents_.context;
  Message event;
  event.varint_field(track_event::type, type);
  event.varint_field(track_event::track_uuid, track);
  Message packet_message;
  packet_message.varint_field(packet::timestamp, nanoseconds(ticks));
  if (site != 0) {
    event.varint_field(track_event::name_iid, site);
    if (site >= interned_.size()) interned_.resize(site + 1, false);
    if (!interned_[site]) {
      interned_[site] = true;
      Message name;
      name.varint_field(event_name::iid, site);
      name.bytes_field(event_name::name, context.sites[site].name);
      Message interned;
      interned.message_field(interned_data::event_names, name);
      packet_message.message_field(packet::interned_data, interned);
    }
  }
  if (type == track_event::type_counter)
    event.varint_field(track_event::counter_value, static_cast<std::uint64_t>(counter));
  if (zone != nullptr) {
    const auto annotate = [&event](std::string_view name, std::uint64_t value) {
      Message annotation;
      annotation.bytes_field(debug_annotation::name, name);
      annotation.varint_field(debug_annotation::uint_value, value);
      event.message_field(track_event::debug_annotations, annotation);
    };
    const auto found = zone->has_value ? context.values.end() : context.values.find({zone->tid, zone->start});
    if (zone->has_value || found != context.values.end())
      annotate("value", zone->has_value ? zone->value : found->second);
    if (zone->has_alloc || (context.alloc_args && zone->start >= context.trace_start_ticks)) {
      annotate("allocations", zone->allocations);
      annotate("alloc bytes", zone->alloc_bytes);
    }
  }
  packet_message.varint_field(packet::sequence_flags, packet::seq_needs_incremental_state);
  packet_message.message_field(packet::track_event, event);
  emit(packet_message);
}

// The items [first, last) of one thread, in start order (the enclosing zone first): each zone's
// end is written once every event before it has been, from a stack of open zones, so begin/end pairs
// nest on the track.
void PerfettoWriter::write_thread(std::size_t first, std::size_t last) {
  const std::vector<Site>& sites = contents_.context.sites;
  const std::uint64_t track = thread_track(contents_.items[first].tid);
  std::vector<std::uint64_t> open_ends;  // end ticks of the open zones, innermost last
  const auto close_until = [&](std::uint64_t ticks) {
    while (!open_ends.empty() && open_ends.back() <= ticks) {
      write_event(open_ends.back(), track_event::type_slice_end, track, 0, nullptr, 0);
      open_ends.pop_back();
    }
  };
  for (std::size_t i = first; i < last; ++i) {
    const Item& item = contents_.items[i];
    if (item.site >= sites.size()) continue;
    const SiteKind kind = sites[item.site].kind;
    if (kind == SiteKind::value || kind == SiteKind::alloc) continue;  // carried by their zone
    close_until(item.start);
    if (kind == SiteKind::counter || kind == SiteKind::held) {
      const auto value = static_cast<std::int64_t>(item.duration << k_trace_site_bits) >> k_trace_site_bits;
      write_event(item.start, track_event::type_counter, counter_track(item, kind), 0, nullptr, value);
    } else if (kind == SiteKind::frame) {
      write_event(item.start, track_event::type_instant, k_process_track, item.site, nullptr, 0);
    } else {
      std::uint64_t end = item.start + item.duration;
      if (!open_ends.empty()) end = std::min(end, open_ends.back());  // stays inside its parent
      write_event(item.start, track_event::type_slice_begin, track, item.site, &item, 0);
      open_ends.push_back(end);
    }
  }
  close_until(UINT64_MAX);
}

void PerfettoWriter::write_messages() {
  for (const detail::Message& message : contents_.messages) {
    Message event;
    event.varint_field(track_event::type, track_event::type_instant);
    event.varint_field(track_event::track_uuid, thread_track(message.tid));
    event.bytes_field(track_event::name, message.text);
    Message packet_message;
    packet_message.varint_field(packet::timestamp, nanoseconds(message.ticks));
    packet_message.message_field(packet::track_event, event);
    emit(packet_message);
  }
}

void PerfettoWriter::write() {
  write_descriptors();
  const std::vector<Item>& items = contents_.items;
  for (std::size_t first = 0; first < items.size();) {
    std::size_t last = first + 1;
    while (last < items.size() && items[last].tid == items[first].tid) ++last;
    write_thread(first, last);
    first = last;
  }
  write_messages();
}

}  // namespace

TraceFormat trace_format_of(std::string_view path) noexcept {
  const auto ends_with = [path](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  return ends_with(".pftrace") || ends_with(".perfetto-trace") ? TraceFormat::perfetto : TraceFormat::json;
}

void write_perfetto(Sink& out, const TraceContents& contents) {
  PerfettoWriter(out, contents).write();
}

}  // namespace hone::profiling::detail
