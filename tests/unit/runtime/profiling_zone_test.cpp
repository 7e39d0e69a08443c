// Profiling zones end to end through the public API: counts, nesting and self time, several threads,
// the run-time switch, and both report formats. Each test uses its own zone names, since zones are
// process-wide. Sleeps give durations a known lower bound; no test asserts an upper bound on time.
#include "hone/profiling.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

std::optional<hone::profiling::ZoneReport> find_zone(const std::vector<hone::profiling::ZoneReport>& zones,
                                                     const std::string& name) {
  for (const auto& zone : zones) {
    if (zone.name == name) return zone;
  }
  return std::nullopt;
}

std::optional<hone::profiling::ZoneReport> find_zone(const std::string& name) {
  return find_zone(hone::profiling::snapshot(), name);
}

void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

TEST(ProfilingZone, CountsEveryEntry) {
  for (int i = 0; i < 1000; ++i) {
    HONE_ZONE("zone_test.count");
  }
  const auto zone = find_zone("zone_test.count");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 1000u);
  EXPECT_EQ(zone->threads, 1u);
  EXPECT_LE(zone->min_ns, zone->p50_ns);
  EXPECT_LE(zone->p50_ns, zone->p95_ns);
  EXPECT_LE(zone->p95_ns, zone->p99_ns);
  EXPECT_LE(zone->p99_ns, zone->max_ns);
  EXPECT_NEAR(zone->mean_ns * 1000.0, zone->total_ns, zone->total_ns * 1e-9 + 1e-6);
  EXPECT_NE(zone->file.find("profiling_zone_test.cpp"), std::string::npos);
  EXPECT_GT(zone->line, 0);
}

void nested_inner() {
  HONE_ZONE("zone_test.inner");
  sleep_ms(20);
}

TEST(ProfilingZone, SelfTimeExcludesNestedZones) {
  {
    HONE_ZONE("zone_test.outer");
    sleep_ms(10);
    nested_inner();
    nested_inner();
  }
  // One snapshot for both: each snapshot calibrates ticks to ns anew, so figures from two snapshots
  // differ by the calibration drift (CI saw 16 us of 50 ms under TSan).
  const auto zones = hone::profiling::snapshot();
  const auto outer = find_zone(zones, "zone_test.outer");
  const auto inner = find_zone(zones, "zone_test.inner");
  ASSERT_TRUE(outer && inner);
  EXPECT_EQ(outer->count, 1u);
  EXPECT_EQ(inner->count, 2u);
  EXPECT_GE(inner->total_ns, 40e6);
  EXPECT_DOUBLE_EQ(inner->self_ns, inner->total_ns);  // nothing nested inside
  EXPECT_GE(outer->total_ns, 50e6);
  EXPECT_GE(outer->self_ns, 10e6);
  // Outer's self time is exactly its total minus what its children recorded.
  EXPECT_NEAR(outer->self_ns, outer->total_ns - inner->total_ns, 1e3);
}

int recursive(int depth) {
  HONE_FUNCTION_ZONE();
  return depth == 0 ? 0 : 1 + recursive(depth - 1);
}

TEST(ProfilingZone, FunctionZoneIsNamedAfterTheFunctionAndRecursionNests) {
  EXPECT_EQ(recursive(9), 9);
  const auto zone = find_zone("recursive");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 10u);
  // Every level's self time excludes the levels below, so the self times sum to the outermost total.
  EXPECT_NEAR(zone->self_ns, zone->max_ns, zone->max_ns * 1e-6 + 1.0);
}

TEST(ProfilingZone, CountsAcrossThreads) {
  constexpr int k_threads = 4;
  constexpr int k_per_thread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < k_per_thread; ++i) {
        HONE_ZONE("zone_test.threads");
      }
    });
  }
  // Reading while the threads record must be safe (TSan checks this).
  for (int i = 0; i < 5; ++i) (void)hone::profiling::snapshot();
  for (auto& thread : threads) thread.join();
  const auto zone = find_zone("zone_test.threads");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, static_cast<std::uint64_t>(k_threads * k_per_thread));
  EXPECT_GE(zone->threads, 1u);  // exited threads' states are reused, so 1..k_threads states
  EXPECT_LE(zone->threads, static_cast<std::uint64_t>(k_threads));
}

// A site registers itself on its first entry: threads racing into a site nobody has entered yet must
// agree on one registration (one report row), and a site entered only while recording was off is
// not registered at all.
TEST(ProfilingZone, RacingFirstEntriesRegisterTheSiteOnce) {
  constexpr int k_threads = 8;
  std::atomic<int> waiting{k_threads};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&waiting] {
      waiting.fetch_sub(1);
      while (waiting.load() > 0) {
      }
      for (int i = 0; i < 100; ++i) {
        HONE_ZONE("zone_test.first_entry_race");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  int rows = 0;
  for (const auto& zone : hone::profiling::snapshot()) {
    if (zone.name != "zone_test.first_entry_race") continue;
    ++rows;
    EXPECT_EQ(zone.count, static_cast<std::uint64_t>(k_threads * 100));
  }
  EXPECT_EQ(rows, 1);
}

TEST(ProfilingZone, FiguresOfExitedThreadsSurviveAndStatesAreReused) {
  for (int round = 0; round < 20; ++round) {
    std::thread([] { HONE_ZONE("zone_test.short_lived"); }).join();
  }
  const auto zone = find_zone("zone_test.short_lived");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 20u);
  EXPECT_EQ(zone->threads, 1u);  // one after another: each thread took over the previous one's state
}

TEST(ProfilingZone, TwoZonesOnOneLineAreTwoSites) {
  // clang-format off: the two zones must stay on one line (that is what this test is about)
  { HONE_ZONE("zone_test.same_line_a"); HONE_ZONE("zone_test.same_line_b"); }
  // clang-format on
  const auto zones = hone::profiling::snapshot();  // one calibration for both totals
  const auto a = find_zone(zones, "zone_test.same_line_a");
  const auto b = find_zone(zones, "zone_test.same_line_b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->line, b->line);
  EXPECT_EQ(a->count, 1u);
  EXPECT_EQ(b->count, 1u);
  EXPECT_GE(a->total_ns, b->total_ns);  // b is nested inside a
}

void named_zone_work(int times) {
  for (int i = 0; i < times; ++i) {
    HONE_ZONE("zone_test.named");
  }
}

TEST(ProfilingZone, NamedThreadsAreReportedPerThread) {
  std::thread([] {
    hone::profiling::set_thread_name("decoder");
    named_zone_work(7);
  }).join();
  named_zone_work(2);
  const auto zone = find_zone("zone_test.named");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 9u);
  ASSERT_EQ(zone->per_thread.size(), 2u);
  std::uint64_t decoder_count = 0;
  for (const auto& share : zone->per_thread) {
    if (share.thread == "decoder") decoder_count = share.count;
  }
  EXPECT_EQ(decoder_count, 7u);
  EXPECT_NE(hone::profiling::report_json().find("{\"thread\": \"decoder\", \"count\": 7"), std::string::npos);
}

void reused_zone_work(int times) {
  for (int i = 0; i < times; ++i) {
    HONE_ZONE("zone_test.reused");
  }
}

std::uint64_t share_of(const hone::profiling::ZoneReport& zone, const std::string& thread) {
  std::uint64_t count = 0;
  for (const auto& share : zone.per_thread) {
    if (share.thread == thread) count += share.count;
  }
  return count;
}

// Issue 14: two unnamed threads ran one after the other, then a third took over their recording
// state and named itself: all three threads' figures appeared under the third one's name.
TEST(ProfilingZone, ANamedThreadNeverTakesOverEarlierThreadsFigures) {
  std::thread([] { reused_zone_work(3); }).join();
  std::thread([] { reused_zone_work(4); }).join();
  std::thread([] {
    hone::profiling::set_thread_name("third");
    reused_zone_work(5);
  }).join();
  const auto zone = find_zone("zone_test.reused");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 12u);
  EXPECT_EQ(share_of(*zone, "third"), 5u);
  EXPECT_EQ(zone->per_thread.size(), 2u);  // the two unnamed threads share one state, as designed
}

// Naming a thread inside open zones moves them along: they close into the named thread's figures
// with their nesting (self time) intact.
TEST(ProfilingZone, NamingInsideOpenZonesKeepsThemAndTheirNesting) {
  std::thread([] { HONE_ZONE("zone_test.before_late_name"); }).join();
  std::thread([] {
    HONE_ZONE("zone_test.late_outer");
    hone::profiling::set_thread_name("late");
    {
      HONE_ZONE("zone_test.late_inner");
      sleep_ms(2);
    }
  }).join();
  const auto zones = hone::profiling::snapshot();
  const auto outer = find_zone(zones, "zone_test.late_outer");
  const auto inner = find_zone(zones, "zone_test.late_inner");
  ASSERT_TRUE(outer && inner);
  EXPECT_EQ(share_of(*outer, "late"), 1u);
  EXPECT_EQ(share_of(*inner, "late"), 1u);
  EXPECT_GE(outer->total_ns, inner->total_ns);
  EXPECT_LT(outer->self_ns, inner->total_ns);  // the inner zone's time is its child time
}

TEST(ProfilingZone, DisabledSwitchRecordsNothing) {
  hone::profiling::set_enabled(false);
  EXPECT_FALSE(hone::profiling::enabled());
  for (int i = 0; i < 100; ++i) {
    HONE_ZONE("zone_test.switch");
  }
  hone::profiling::set_enabled(true);
  EXPECT_FALSE(find_zone("zone_test.switch"));
  for (int i = 0; i < 3; ++i) {
    HONE_ZONE("zone_test.switch");
  }
  const auto zone = find_zone("zone_test.switch");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 3u);
}

TEST(ProfilingZone, ZoneOpenedWhileEnabledIsRecordedWhenDisabledInside) {
  {
    HONE_ZONE("zone_test.toggle");
    hone::profiling::set_enabled(false);
    {
      HONE_ZONE("zone_test.toggle_inner");
    }
  }
  hone::profiling::set_enabled(true);
  const auto zone = find_zone("zone_test.toggle");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 1u);
  EXPECT_FALSE(find_zone("zone_test.toggle_inner"));
}

TEST(ProfilingZone, ReportsContainTheZones) {
  {
    HONE_ZONE("zone_test.\"quoted\\name\"");
    sleep_ms(1);
  }
  const std::string text = hone::profiling::report_text();
  EXPECT_NE(text.find("hone profile:"), std::string::npos);
  EXPECT_NE(text.find("zone_test.\"quoted\\name\""), std::string::npos);
  const std::string json = hone::profiling::report_json();
  EXPECT_NE(json.find("\"name\": \"zone_test.\\\"quoted\\\\name\\\"\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"p99_ns\""), std::string::npos);
  EXPECT_EQ(json.front(), '{');
}

TEST(ProfilingZone, ResetClearsCounts) {
  for (int i = 0; i < 5; ++i) {
    HONE_ZONE("zone_test.reset");
  }
  ASSERT_TRUE(find_zone("zone_test.reset"));
  hone::profiling::reset();
  EXPECT_FALSE(find_zone("zone_test.reset"));
  {
    HONE_ZONE("zone_test.reset");
  }
  const auto zone = find_zone("zone_test.reset");
  ASSERT_TRUE(zone);
  EXPECT_EQ(zone->count, 1u);
}

}  // namespace
