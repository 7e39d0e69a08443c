// Timeline capture of profiling zones: the Chrome trace parses as JSON, holds one "X" event per closed
// zone with children inside their parents, names the threads, stays within its buffer (counting what
// it drops) and is written atomically to a file. The JSON is read back with nlohmann::json.
#include "hone/profiling.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>

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

}  // namespace
