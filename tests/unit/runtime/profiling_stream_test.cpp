// A trace streamed to rotating files (start_trace_stream()): every file under its final name parses
// on its own, rotation keeps at most keep_files older files, and across the files every recorded event
// appears exactly once (each zone carries a distinct HONE_ZONE_VALUE, so a lost or doubled event
// shows). The writer is driven by flush_trace_stream() with a long interval, so the figures do not
// depend on timing: the pool is sized so that it cannot run out between flushes, except in the test
// that makes it run out on purpose.
#include "hone/profiling.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using nlohmann::json;

// A fresh folder (mkdtemp), removed with its files at the end.
class StreamFolder {
public:
  StreamFolder() {
    std::string pattern = ::testing::TempDir() + "hone-stream-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~StreamFolder() {
    for (const std::string& name : names()) std::remove((path_ + "/" + name).c_str());
    ::rmdir(path_.c_str());
  }
  StreamFolder(const StreamFolder&) = delete;
  StreamFolder& operator=(const StreamFolder&) = delete;

  const std::string& path() const { return path_; }
  std::vector<std::string> names() const {
    std::vector<std::string> found;
    if (DIR* dir = ::opendir(path_.c_str()); dir != nullptr) {
      while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") found.push_back(name);
      }
      ::closedir(dir);
    }
    std::sort(found.begin(), found.end());
    return found;
  }

private:
  std::string path_;
};

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// The values of the "stream_test.zone" events of one file.
std::vector<std::uint64_t> zone_values(const json& trace) {
  std::vector<std::uint64_t> values;
  for (const json& event : trace["traceEvents"]) {
    if (event["ph"] == "X" && event["name"] == "stream_test.zone") values.push_back(event["args"]["value"]);
  }
  return values;
}

void record_zones(std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t i = first; i < first + count; ++i) {
    HONE_ZONE("stream_test.zone");
    HONE_ZONE_VALUE(i);
  }
}

hone::profiling::TraceStreamOptions options_of(std::size_t events, std::uint64_t max_bytes, unsigned keep) {
  hone::profiling::TraceStreamOptions options;
  options.buffer_events = events;
  options.max_file_bytes = max_bytes;
  options.keep_files = keep;
  options.interval_ms = 60'000;  // flush_trace_stream() and the end drive the writer
  return options;
}

TEST(ProfilingStream, EveryEventOnceAcrossRotatedFilesEachACompleteTrace) {
  StreamFolder folder;
  ASSERT_FALSE(folder.path().empty());
  const std::string path = folder.path() + "/trace.json";
  // 8 chunks of 256 events; each batch is 500 zones + 500 values = 1000 events (4 chunks).
  ASSERT_TRUE(hone::profiling::start_trace_stream(path.c_str(), options_of(2048, 16 << 10, 1000)));
  EXPECT_TRUE(hone::profiling::tracing());
  for (std::uint64_t batch = 0; batch < 8; ++batch) {
    record_zones(batch * 500, 500);
    ASSERT_TRUE(hone::profiling::flush_trace_stream());
  }
  ASSERT_TRUE(hone::profiling::finish_trace_stream());
  EXPECT_FALSE(hone::profiling::tracing());
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 0u);
  EXPECT_EQ(hone::profiling::trace_event_count(), 4000u);

  std::vector<std::string> files = {path};
  for (int n = 1; std::ifstream(path + "." + std::to_string(n)).good(); ++n)
    files.push_back(path + "." + std::to_string(n));
  EXPECT_GE(files.size(), 10u);  // 4000 events of ~150 bytes in 16 KiB files
  EXPECT_EQ(folder.names().size(), files.size()) << "no temporary is left";
  std::multiset<std::uint64_t> seen;
  std::uint64_t last_segment = 0;
  for (auto file = files.rbegin(); file != files.rend(); ++file) {  // oldest first
    const json trace = read_json(*file);
    ASSERT_FALSE(trace.is_discarded()) << *file << " does not parse";
    const std::vector<std::uint64_t> values = zone_values(trace);
    EXPECT_EQ(trace["otherData"]["events"], values.size()) << *file;
    EXPECT_EQ(trace["otherData"]["segment"], last_segment + 1) << *file;
    last_segment = trace["otherData"]["segment"];
    EXPECT_EQ(trace["traceEvents"][0]["name"], "process_name");
    seen.insert(values.begin(), values.end());
  }
  ASSERT_EQ(seen.size(), 4000u);
  std::uint64_t expected = 0;
  for (const std::uint64_t value : seen) EXPECT_EQ(value, expected++);
}

TEST(ProfilingStream, KeepsAtMostKeepFilesBesideTheCurrentOne) {
  StreamFolder folder;
  ASSERT_FALSE(folder.path().empty());
  const std::string path = folder.path() + "/t.json";
  // Left over from an earlier run: replaced.
  std::ofstream(path + ".2") << "stale";
  ASSERT_TRUE(hone::profiling::start_trace_stream(path.c_str(), options_of(2048, 8 << 10, 2)));
  for (std::uint64_t batch = 0; batch < 8; ++batch) {
    record_zones(batch * 500, 500);
    ASSERT_TRUE(hone::profiling::flush_trace_stream());
  }
  ASSERT_TRUE(hone::profiling::finish_trace_stream());
  EXPECT_EQ(folder.names(), (std::vector<std::string>{"t.json", "t.json.1", "t.json.2"}));
  // The kept files are the newest and adjoin: t.json.2's values run on into t.json.1's and t.json's.
  std::vector<std::uint64_t> values;
  for (const char* suffix : {".2", ".1", ""}) {
    const json trace = read_json(path + suffix);
    ASSERT_FALSE(trace.is_discarded()) << suffix;
    const std::vector<std::uint64_t> file_values = zone_values(trace);
    values.insert(values.end(), file_values.begin(), file_values.end());
  }
  ASSERT_FALSE(values.empty());
  EXPECT_EQ(values.back(), 3999u);
  for (std::size_t i = 1; i < values.size(); ++i) ASSERT_EQ(values[i], values[i - 1] + 1) << i;
}

TEST(ProfilingStream, CountsWhatAFullPoolDrops) {
  StreamFolder folder;
  ASSERT_FALSE(folder.path().empty());
  const std::string path = folder.path() + "/full.json";
  // Two chunks and no writer turn while recording: 512 events kept, the rest dropped and counted.
  ASSERT_TRUE(hone::profiling::start_trace_stream(path.c_str(), options_of(512, 1 << 20, 1)));
  for (int i = 0; i < 1000; ++i) {
    HONE_ZONE("stream_test.dropping");
  }
  ASSERT_TRUE(hone::profiling::finish_trace_stream());
  EXPECT_EQ(hone::profiling::trace_event_count(), 512u);
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 488u);
  const json trace = read_json(path);
  ASSERT_FALSE(trace.is_discarded());
  EXPECT_EQ(trace["otherData"]["events"], 512);
  EXPECT_EQ(trace["otherData"]["dropped_events"], 488);
  EXPECT_EQ(trace["otherData"]["streamed"], true);
}

TEST(ProfilingStream, ThreadsEventsAllArriveOnceWithTheirNames) {
  StreamFolder folder;
  ASSERT_FALSE(folder.path().empty());
  const std::string path = folder.path() + "/threads.json";
  // A pool large enough for everything: whenever the writer runs, nothing can be lost.
  auto options = options_of(1 << 16, 32 << 10, 1000);
  options.interval_ms = 1;
  ASSERT_TRUE(hone::profiling::start_trace_stream(path.c_str(), options));
  std::vector<std::thread> threads;
  for (std::uint64_t t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      const std::string name = "streamer " + std::to_string(t);
      hone::profiling::set_thread_name(name.c_str());
      record_zones(t * 10'000, 5'000);
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(hone::profiling::finish_trace_stream());
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 0u);
  std::multiset<std::uint64_t> seen;
  std::set<std::string> names;
  for (const std::string& name : folder.names()) {
    const json trace = read_json(folder.path() + "/" + name);
    ASSERT_FALSE(trace.is_discarded()) << name;
    for (const std::uint64_t value : zone_values(trace)) seen.insert(value);
    for (const json& event : trace["traceEvents"]) {
      if (event["name"] == "thread_name") names.insert(event["args"]["name"].get<std::string>());
    }
  }
  EXPECT_EQ(seen.size(), 20'000u);
  for (std::uint64_t t = 0; t < 4; ++t) {
    for (std::uint64_t i = t * 10'000; i < t * 10'000 + 5'000; ++i) ASSERT_EQ(seen.count(i), 1u) << i;
    EXPECT_EQ(names.count("streamer " + std::to_string(t)), 1u);
  }
}

TEST(ProfilingStream, ChunksOfExitedThreadsGoBackToThePool) {
  StreamFolder folder;
  ASSERT_FALSE(folder.path().empty());
  const std::string path = folder.path() + "/short.json";
  // Four chunks, twenty short-lived threads one after the other: each takes over the exited one's
  // recording state and must give its chunk back, or the pool is empty by the fifth thread.
  ASSERT_TRUE(hone::profiling::start_trace_stream(path.c_str(), options_of(1024, 1 << 20, 1)));
  for (std::uint64_t t = 0; t < 20; ++t) {
    std::thread([t] { record_zones(t * 100, 10); }).join();
    ASSERT_TRUE(hone::profiling::flush_trace_stream());
  }
  ASSERT_TRUE(hone::profiling::finish_trace_stream());
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 0u);
  EXPECT_EQ(hone::profiling::trace_event_count(), 200u);
}

TEST(ProfilingStream, FinishingWithoutAStreamSaysSo) {
  EXPECT_FALSE(hone::profiling::finish_trace_stream());
  EXPECT_FALSE(hone::profiling::flush_trace_stream());
}

}  // namespace
