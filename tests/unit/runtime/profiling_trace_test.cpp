// Timeline capture of profiling zones: the Chrome trace parses as JSON, holds one "X" event per closed
// zone with children inside their parents, names the threads, stays within its buffer (counting what
// it drops) and is written atomically to a file. The JSON is read back with nlohmann::json.
#include "hone/profiling.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using nlohmann::json;

std::vector<json> events_named(const json& trace, const std::string& name) {
  std::vector<json> found;
  for (const json& event : trace["traceEvents"]) {
    if (event["ph"] == "X" && event["name"] == name) found.push_back(event);
  }
  return found;
}

TEST(ProfilingTrace, NotTracingByDefault) {
  EXPECT_FALSE(hone::profiling::tracing());
  EXPECT_EQ(hone::profiling::trace_event_count(), 0u);
}

TEST(ProfilingTrace, RecordsNestedZonesAsCompleteEvents) {
  ASSERT_TRUE(hone::profiling::start_trace(4096));
  EXPECT_TRUE(hone::profiling::tracing());
  for (int i = 0; i < 3; ++i) {
    HONE_ZONE("trace_test.outer");
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    {
      HONE_ZONE("trace_test.inner");
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  }
  hone::profiling::stop_trace();
  {
    HONE_ZONE("trace_test.after_stop");
  }
  EXPECT_EQ(hone::profiling::trace_event_count(), 6u);
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 0u);

  const json trace = json::parse(hone::profiling::trace_json());
  const auto outer = events_named(trace, "trace_test.outer");
  const auto inner = events_named(trace, "trace_test.inner");
  ASSERT_EQ(outer.size(), 3u);
  ASSERT_EQ(inner.size(), 3u);
  EXPECT_TRUE(events_named(trace, "trace_test.after_stop").empty());
  for (int i = 0; i < 3; ++i) {
    const double outer_start = outer[i]["ts"], outer_end = outer_start + outer[i]["dur"].get<double>();
    const double inner_start = inner[i]["ts"], inner_end = inner_start + inner[i]["dur"].get<double>();
    EXPECT_GE(outer[i]["dur"].get<double>(), 500.0);  // microseconds
    EXPECT_GE(inner[i]["dur"].get<double>(), 300.0);
    EXPECT_GE(inner_start, outer_start);
    EXPECT_LE(inner_end, outer_end + 0.002);  // printed with 3 decimals
    EXPECT_EQ(inner[i]["tid"], outer[i]["tid"]);
    EXPECT_EQ(outer[i]["pid"], static_cast<int>(getpid()));
    if (i > 0) {
      EXPECT_GE(outer_start, outer[i - 1]["ts"].get<double>() + outer[i - 1]["dur"].get<double>() - 0.002);
    }
  }
  EXPECT_EQ(trace["otherData"]["events"], 6);
  EXPECT_EQ(trace["otherData"]["dropped_events"], 0);
  EXPECT_EQ(trace["otherData"]["buffer_events"], 4096);
  EXPECT_EQ(trace["displayTimeUnit"], "ns");
}

TEST(ProfilingTrace, ThreadsGetTheirOwnTidAndName) {
  ASSERT_TRUE(hone::profiling::start_trace(4096));
  std::thread([] {
    hone::profiling::set_thread_name("loader");
    for (int i = 0; i < 10; ++i) {
      HONE_ZONE("trace_test.thread_work");
    }
  }).join();
  for (int i = 0; i < 5; ++i) {
    HONE_ZONE("trace_test.thread_work");
  }
  hone::profiling::stop_trace();
  const json trace = json::parse(hone::profiling::trace_json());
  std::map<long, int> per_tid;
  for (const json& event : events_named(trace, "trace_test.thread_work")) per_tid[event["tid"].get<long>()]++;
  ASSERT_EQ(per_tid.size(), 2u);
  long loader_tid = 0;
  for (const json& event : trace["traceEvents"]) {
    if (event["ph"] == "M" && event["name"] == "thread_name" && event["args"]["name"] == "loader") {
      loader_tid = event["tid"];
    }
  }
  ASSERT_NE(loader_tid, 0);
  EXPECT_EQ(per_tid[loader_tid], 10);
  EXPECT_EQ(per_tid[static_cast<long>(gettid())], 5);
}

// Issue 14: a named thread that took over exited threads' state gave its name to their tids too.
TEST(ProfilingTrace, ThreadNamesStayWithTheirOwnThreadsWhenStatesAreReused) {
  ASSERT_TRUE(hone::profiling::start_trace(4096));
  long first_tid = 0;
  long named_tid = 0;
  std::thread([&] {
    first_tid = static_cast<long>(gettid());
    HONE_ZONE("trace_test.reuse");
  }).join();
  std::thread([&] {
    named_tid = static_cast<long>(gettid());
    HONE_ZONE("trace_test.reuse");  // opened before the name is given
    hone::profiling::set_thread_name("renamed");
  }).join();
  hone::profiling::stop_trace();
  const json trace = json::parse(hone::profiling::trace_json());
  std::map<long, std::string> names;
  for (const json& event : trace["traceEvents"]) {
    if (event["ph"] == "M" && event["name"] == "thread_name") names[event["tid"].get<long>()] = event["args"]["name"];
  }
  EXPECT_EQ(names[named_tid], "renamed");
  EXPECT_NE(names[first_tid], "renamed");
  EXPECT_EQ(events_named(trace, "trace_test.reuse").size(), 2u);
}

// Issue 14's trace extras: zones named at run time, a value on a zone, a counter track (negative
// values too), frame marks and messages, each in its Trace Event Format form.
TEST(ProfilingTrace, DynamicNamesValuesCountersFramesAndMessages) {
  ASSERT_TRUE(hone::profiling::start_trace(4096));
  for (const std::string kind : {"get", "put", "get"}) {
    const std::string name = "trace_test.request " + kind;
    HONE_ZONE_DYNAMIC(name);
    HONE_ZONE_VALUE(kind.size() * 10);
  }
  for (int depth : {3, -2, 7}) HONE_COUNTER("trace_test.queue depth", depth);
  HONE_FRAME_MARK("trace_test.frame");
  HONE_FRAME_MARK("trace_test.frame");
  HONE_MESSAGE(std::string("trace_test.cache \"flushed\" ") + std::to_string(42));
  hone::profiling::stop_trace();

  const json trace = json::parse(hone::profiling::trace_json());
  const auto gets = events_named(trace, "trace_test.request get");
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0]["args"]["value"], 30);
  EXPECT_EQ(events_named(trace, "trace_test.request put").size(), 1u);
  std::vector<long> counter_values;
  int frames = 0;
  int messages = 0;
  for (const json& event : trace["traceEvents"]) {
    if (event["name"] == "trace_test.queue depth") {
      EXPECT_EQ(event["ph"], "C");
      counter_values.push_back(event["args"]["value"].get<long>());
    }
    if (event["name"] == "trace_test.frame" && event["ph"] == "i" && event["s"] == "g") ++frames;
    if (event["name"] == "trace_test.cache \"flushed\" 42" && event["ph"] == "i") ++messages;
  }
  EXPECT_EQ(counter_values, (std::vector<long>{3, -2, 7}));
  EXPECT_EQ(frames, 2);
  EXPECT_EQ(messages, 1);
  EXPECT_EQ(trace["otherData"]["dropped_messages"], 0);

  // Dynamic zones are zones: one report row per distinct name (and call site).
  std::uint64_t get_count = 0;
  for (const auto& zone : hone::profiling::snapshot()) {
    if (zone.name == "trace_test.request get") get_count += zone.count;
  }
  EXPECT_EQ(get_count, 2u);
}

// Outside a trace the extras record nothing and cost no allocation.
TEST(ProfilingTrace, ExtrasOutsideATraceRecordNothing) {
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  hone::profiling::stop_trace();
  HONE_COUNTER("trace_test.untraced counter", 1);
  HONE_FRAME_MARK("trace_test.untraced frame");
  HONE_MESSAGE("trace_test.untraced message");
  const json trace = json::parse(hone::profiling::trace_json());
  EXPECT_EQ(trace["otherData"]["events"], 0);
}

TEST(ProfilingTrace, AFullBufferDropsAndCountsInsteadOfGrowing) {
  ASSERT_TRUE(hone::profiling::start_trace(300));  // rounded up to whole chunks of 256 events: 512
  for (int i = 0; i < 2000; ++i) {
    HONE_ZONE("trace_test.many");
  }
  hone::profiling::stop_trace();
  EXPECT_EQ(hone::profiling::trace_event_count(), 512u);
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 2000u - 512u);
  const json trace = json::parse(hone::profiling::trace_json());
  EXPECT_EQ(events_named(trace, "trace_test.many").size(), 512u);
  EXPECT_EQ(trace["otherData"]["dropped_events"], 2000 - 512);
  EXPECT_EQ(trace["otherData"]["buffer_events"], 512);
}

TEST(ProfilingTrace, RestartingDiscardsTheOldEventsAndDropCounts) {
  ASSERT_TRUE(hone::profiling::start_trace(256));
  for (int i = 0; i < 300; ++i) {
    HONE_ZONE("trace_test.first");
  }
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 44u);
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  {
    HONE_ZONE("trace_test.second");
  }
  hone::profiling::stop_trace();
  EXPECT_EQ(hone::profiling::trace_event_count(), 1u);
  EXPECT_EQ(hone::profiling::trace_dropped_events(), 0u);
  const json trace = json::parse(hone::profiling::trace_json());
  EXPECT_TRUE(events_named(trace, "trace_test.first").empty());
  EXPECT_EQ(events_named(trace, "trace_test.second").size(), 1u);
}

TEST(ProfilingTrace, ConcurrentThreadsFillTheBufferSafely) {
  ASSERT_TRUE(hone::profiling::start_trace(8 * 256));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 1000; ++i) {
        HONE_ZONE("trace_test.concurrent");
      }
    });
  }
  // Reading while the threads record must be safe (TSan checks this).
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(hone::profiling::trace_json().empty());
  for (auto& thread : threads) thread.join();
  hone::profiling::stop_trace();
  EXPECT_EQ(hone::profiling::trace_event_count() + hone::profiling::trace_dropped_events(), 4000u);
  EXPECT_LE(hone::profiling::trace_event_count(), 8u * 256u);
}

TEST(ProfilingTrace, WritesTheFileAtomically) {
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  {
    HONE_ZONE("trace_test.file");
  }
  hone::profiling::stop_trace();
  const std::string path = ::testing::TempDir() + "hone_trace_test_" + std::to_string(getpid()) + ".json";
  ASSERT_TRUE(hone::profiling::write_trace(path.c_str()));
  std::ifstream in(path);
  const json trace = json::parse(in);
  EXPECT_EQ(events_named(trace, "trace_test.file").size(), 1u);
  std::remove(path.c_str());

  errno = 0;
  EXPECT_FALSE(hone::profiling::write_trace("/nonexistent-directory/trace.json"));
  EXPECT_EQ(errno, ENOENT);
  EXPECT_FALSE(hone::profiling::write_trace(""));
}

// Issue 14: the temporary was "<path>.tmp.<pid>", opened with fopen, which follows a symlink planted
// there by anyone who can write the folder and truncates its target. Now it is a fresh random name
// created with O_EXCL|O_NOFOLLOW: the planted link and its target are left alone.
TEST(ProfilingTrace, TemporaryIsExclusiveAndNeverFollowsAPlantedLink) {
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  {
    HONE_ZONE("trace_test.planted");
  }
  hone::profiling::stop_trace();
  const std::string folder = ::testing::TempDir() + "hone_trace_link_" + std::to_string(getpid());
  ASSERT_EQ(mkdir(folder.c_str(), 0700), 0);
  const std::string victim = folder + "/victim.txt";
  std::ofstream(victim) << "precious\n";
  const std::string path = folder + "/trace.json";
  const std::string predictable = path + ".tmp." + std::to_string(getpid());
  ASSERT_EQ(symlink(victim.c_str(), predictable.c_str()), 0);

  ASSERT_TRUE(hone::profiling::write_trace(path.c_str()));
  std::ifstream victim_in(victim);
  const std::string victim_text((std::istreambuf_iterator<char>(victim_in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(victim_text, "precious\n");
  struct stat link_status{};
  ASSERT_EQ(lstat(predictable.c_str(), &link_status), 0);
  EXPECT_TRUE(S_ISLNK(link_status.st_mode));
  std::ifstream in(path);
  EXPECT_EQ(events_named(json::parse(in), "trace_test.planted").size(), 1u);

  // Nothing but the three names is left in the folder: no temporary survives a successful write.
  std::vector<std::string> names;
  if (DIR* dir = opendir(folder.c_str()); dir != nullptr) {
    while (const dirent* entry = readdir(dir)) {
      if (std::string(entry->d_name) != "." && std::string(entry->d_name) != "..") names.push_back(entry->d_name);
    }
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names,
            (std::vector<std::string>{"trace.json", "trace.json.tmp." + std::to_string(getpid()), "victim.txt"}));
  for (const std::string& name : names) std::remove((folder + "/" + name).c_str());
  rmdir(folder.c_str());
}

}  // namespace
