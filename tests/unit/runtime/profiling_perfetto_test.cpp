// The trace in Perfetto's protobuf format (trace_perfetto()), read back with a small decoder of the
// protobuf wire format written here: the packets carry the process and thread track descriptors with
// their names, one slice begin and end per zone on the zone's thread track with the end after the
// begin and children inside parents, interned names (defined once, in the first packet that uses them,
// on a sequence whose first packet clears the incremental state), counters on counter tracks with
// their signed values, instants for frame marks and messages, and zone values as debug annotations.
// Field numbers are Perfetto's (protos/perfetto/trace/...), spelled out below as the test's own.
#include "hone/profiling.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

// One decoded field: a varint, or the bytes of a length-delimited field (strings, nested messages).
struct Field {
  unsigned number = 0;
  bool is_varint = false;
  std::uint64_t varint = 0;
  std::string bytes;
};

// Decodes one message's fields (wire types 0 and 2 only: the writer uses no others). Sets `ok` false
// on anything malformed.
std::vector<Field> decode(std::string_view data, bool& ok) {
  std::vector<Field> fields;
  std::size_t at = 0;
  const auto read_varint = [&](std::uint64_t& value) {
    value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at >= data.size()) return false;
      const auto byte = static_cast<unsigned char>(data[at++]);
      value |= std::uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80u) == 0) return true;
    }
    return false;
  };
  while (at < data.size()) {
    std::uint64_t key = 0;
    Field field;
    if (!read_varint(key)) break;
    field.number = static_cast<unsigned>(key >> 3);
    if ((key & 7) == 0) {
      field.is_varint = true;
      if (!read_varint(field.varint)) break;
    } else if ((key & 7) == 2) {
      std::uint64_t size = 0;
      if (!read_varint(size) || size > data.size() - at) break;
      field.bytes = std::string(data.substr(at, size));
      at += size;
    } else {
      break;
    }
    fields.push_back(field);
  }
  ok = ok && at == data.size();
  return fields;
}

const Field* find(const std::vector<Field>& fields, unsigned number) {
  for (const Field& field : fields) {
    if (field.number == number) return &field;
  }
  return nullptr;
}

// Perfetto's field numbers, as this test reads them.
constexpr unsigned k_packet = 1;
constexpr unsigned k_timestamp = 8, k_sequence_id = 10, k_track_event = 11, k_interned = 12, k_flags = 13,
                   k_descriptor = 60;
constexpr unsigned k_track_uuid = 1, k_track_name = 2, k_process = 3, k_thread = 4, k_parent = 5, k_counter = 8;
constexpr unsigned k_event_annotations = 4, k_event_type = 9, k_event_name_iid = 10, k_event_track = 11,
                   k_event_name = 23, k_event_counter = 30;

struct Event {
  std::uint64_t ts = 0;
  std::uint64_t type = 0;
  std::uint64_t track = 0;
  std::string name;  // resolved through the interned names
  std::int64_t counter = 0;
  std::map<std::string, std::uint64_t> annotations;
};

struct Decoded {
  bool ok = true;
  std::size_t packets = 0;
  std::map<std::uint64_t, std::string> thread_tracks;  // uuid -> thread name
  std::map<std::uint64_t, std::string> counter_tracks;
  std::string process_name;
  std::vector<Event> events;
  std::map<std::uint64_t, int> interned_times;  // iid -> how often it was defined
  bool first_packet_clears = false;
  bool every_packet_on_sequence_1 = true;
};

void read_descriptor(Decoded& decoded, const std::string& bytes) {
  const std::vector<Field> descriptor = decode(bytes, decoded.ok);
  const Field* uuid = find(descriptor, k_track_uuid);
  if (uuid == nullptr) return;
  if (const Field* thread = find(descriptor, k_thread)) {
    const std::vector<Field> fields = decode(thread->bytes, decoded.ok);
    const Field* name = find(fields, 5);
    decoded.thread_tracks[uuid->varint] = name != nullptr ? name->bytes : "";
    EXPECT_EQ(find(descriptor, k_parent)->varint, 1u);
  } else if (const Field* process = find(descriptor, k_process)) {
    const std::vector<Field> fields = decode(process->bytes, decoded.ok);
    const Field* name = find(fields, 6);
    decoded.process_name = name != nullptr ? name->bytes : "";
  } else if (find(descriptor, k_counter) != nullptr) {
    decoded.counter_tracks[uuid->varint] = find(descriptor, k_track_name)->bytes;
  }
}

Decoded read_trace(const std::string& data) {
  Decoded decoded;
  std::map<std::uint64_t, std::string> names;
  for (const Field& packet_field : decode(data, decoded.ok)) {
    EXPECT_EQ(packet_field.number, k_packet);
    const std::vector<Field> packet = decode(packet_field.bytes, decoded.ok);
    const Field* flags = find(packet, k_flags);
    if (decoded.packets++ == 0) decoded.first_packet_clears = flags != nullptr && (flags->varint & 1) != 0;
    const Field* sequence = find(packet, k_sequence_id);
    decoded.every_packet_on_sequence_1 =
        decoded.every_packet_on_sequence_1 && sequence != nullptr && sequence->varint == 1;
    if (const Field* interned = find(packet, k_interned)) {
      for (const Field& entry : decode(interned->bytes, decoded.ok)) {
        const std::vector<Field> name = decode(entry.bytes, decoded.ok);
        names[find(name, 1)->varint] = find(name, 2)->bytes;
        ++decoded.interned_times[find(name, 1)->varint];
      }
    }
    if (const Field* descriptor = find(packet, k_descriptor)) read_descriptor(decoded, descriptor->bytes);
    if (const Field* event_field = find(packet, k_track_event)) {
      const std::vector<Field> event = decode(event_field->bytes, decoded.ok);
      Event read;
      read.ts = find(packet, k_timestamp)->varint;
      read.type = find(event, k_event_type)->varint;
      read.track = find(event, k_event_track)->varint;
      if (const Field* iid = find(event, k_event_name_iid)) read.name = names.at(iid->varint);
      if (const Field* name = find(event, k_event_name)) read.name = name->bytes;
      if (const Field* counter = find(event, k_event_counter))
        read.counter = static_cast<std::int64_t>(counter->varint);
      for (const Field& field : event) {
        if (field.number != k_event_annotations) continue;
        const std::vector<Field> annotation = decode(field.bytes, decoded.ok);
        read.annotations[find(annotation, 10)->bytes] = find(annotation, 3)->varint;
      }
      decoded.events.push_back(read);
    }
  }
  return decoded;
}

TEST(ProfilingPerfetto, SlicesNestOnNamedThreadTracksWithInternedNames) {
  ASSERT_TRUE(hone::profiling::start_trace(4096));
  hone::profiling::set_thread_name("perfetto main");
  for (int i = 0; i < 3; ++i) {
    HONE_ZONE("perfetto_test.outer");
    HONE_ZONE_VALUE(40 + i);
    {
      HONE_ZONE("perfetto_test.inner");
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
  std::thread([] {
    hone::profiling::set_thread_name("perfetto worker");
    HONE_ZONE("perfetto_test.worker");
  }).join();
  HONE_COUNTER("perfetto_test.depth", -5);
  HONE_COUNTER("perfetto_test.depth", 7);
  HONE_FRAME_MARK("perfetto_test.frame");
  hone::profiling::message("perfetto_test message");
  hone::profiling::stop_trace();

  const std::string data = hone::profiling::trace_perfetto();
  ASSERT_FALSE(data.empty());
  const Decoded trace = read_trace(data);
  ASSERT_TRUE(trace.ok) << "malformed protobuf";
  EXPECT_TRUE(trace.first_packet_clears);
  EXPECT_TRUE(trace.every_packet_on_sequence_1);
  EXPECT_FALSE(trace.process_name.empty());
  for (const auto& [iid, times] : trace.interned_times) EXPECT_EQ(times, 1) << "iid " << iid;

  std::uint64_t main_track = 0;
  std::uint64_t worker_track = 0;
  for (const auto& [uuid, name] : trace.thread_tracks) {
    if (name == "perfetto main") main_track = uuid;
    if (name == "perfetto worker") worker_track = uuid;
  }
  ASSERT_NE(main_track, 0u);
  ASSERT_NE(worker_track, 0u);

  // On the main track: begin outer, begin inner, end, end, three times, in time order.
  std::vector<const Event*> main_events;
  for (const Event& event : trace.events) {
    if (event.track == main_track && (event.type == 1 || event.type == 2)) main_events.push_back(&event);
  }
  ASSERT_EQ(main_events.size(), 12u);
  for (int i = 0; i < 3; ++i) {
    const Event& outer = *main_events[4 * i];
    const Event& inner = *main_events[4 * i + 1];
    EXPECT_EQ(outer.type, 1u);
    EXPECT_EQ(outer.name, "perfetto_test.outer");
    EXPECT_EQ(outer.annotations.at("value"), 40u + i);
    EXPECT_EQ(inner.type, 1u);
    EXPECT_EQ(inner.name, "perfetto_test.inner");
    EXPECT_EQ(main_events[4 * i + 2]->type, 2u);
    EXPECT_EQ(main_events[4 * i + 3]->type, 2u);
    EXPECT_LE(outer.ts, inner.ts);
    EXPECT_GE(main_events[4 * i + 2]->ts - inner.ts, 50'000u) << "the inner zone slept 50 us";
    EXPECT_LE(main_events[4 * i + 2]->ts, main_events[4 * i + 3]->ts);
  }
  int worker_slices = 0;
  std::vector<std::int64_t> depths;
  bool frame = false;
  bool message = false;
  for (const Event& event : trace.events) {
    if (event.track == worker_track && event.type == 1 && event.name == "perfetto_test.worker") ++worker_slices;
    if (event.type == 4 && trace.counter_tracks.count(event.track) != 0 &&
        trace.counter_tracks.at(event.track) == "perfetto_test.depth") {
      depths.push_back(event.counter);
    }
    if (event.type == 3 && event.name == "perfetto_test.frame" && event.track == 1) frame = true;
    if (event.type == 3 && event.name == "perfetto_test message" && event.track == main_track) message = true;
  }
  EXPECT_EQ(worker_slices, 1);
  EXPECT_EQ(depths, (std::vector<std::int64_t>{-5, 7}));
  EXPECT_TRUE(frame);
  EXPECT_TRUE(message);
}

TEST(ProfilingPerfetto, WriteTraceChoosesTheFormatByExtension) {
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  {
    HONE_ZONE("perfetto_test.file");
  }
  hone::profiling::stop_trace();
  const std::string base = ::testing::TempDir() + "hone-perfetto-" + std::to_string(::getpid());
  for (const char* extension : {".pftrace", ".perfetto-trace", ".json"}) {
    const std::string path = base + extension;
    ASSERT_TRUE(hone::profiling::write_trace(path.c_str())) << path;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    ASSERT_NE(file, nullptr);
    std::string data;
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) data.append(buffer, got);
    std::fclose(file);
    std::remove(path.c_str());
    if (std::string(extension) == ".json") {
      EXPECT_EQ(data.rfind("{\"traceEvents\"", 0), 0u);
      continue;
    }
    // The same as trace_perfetto() but for the timestamps (the tick rate is measured again).
    EXPECT_EQ(data.size(), hone::profiling::trace_perfetto().size()) << extension;
    const Decoded trace = read_trace(data);
    EXPECT_TRUE(trace.ok);
    int slices = 0;
    for (const Event& event : trace.events) slices += event.type == 1 && event.name == "perfetto_test.file";
    EXPECT_EQ(slices, 1) << extension;
  }
}

}  // namespace
