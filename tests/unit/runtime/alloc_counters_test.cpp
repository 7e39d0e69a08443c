// The per-thread allocation counters (runtime/alloc/counters.cpp) and the public API on top of them,
// driven by explicit record_allocation()/record_free() calls instead of a replaced operator new.
//
// This executable provides its own hone_alloc_provider over the counters, so it needs no replacement
// of the allocation functions and runs under ASan, UBSan and TSan like every other unit (the
// operator new replacement itself is tested in alloc_tracking_test.cpp, outside sanitizer builds).
// Every figure here is exact because the test decides every size.
#include "counters.h"
#include "provider.h"

#include "hone/alloc_tracking.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace {

constexpr hone::alloc::detail::Provider k_test_provider = {
    hone::alloc::detail::k_provider_abi_version,
    "test",
    hone::alloc::detail::process_stats,
    hone::alloc::detail::thread_stats,
    hone::alloc::detail::scope_begin,
    hone::alloc::detail::scope_end,
};

}  // namespace

extern "C" const hone::alloc::detail::Provider* hone_alloc_provider() noexcept {
  return &k_test_provider;
}

namespace {

using hone::AllocScope;
using hone::AllocStats;
using hone::alloc::detail::record_allocation;
using hone::alloc::detail::record_free;

TEST(AllocCounters, TheRuntimeFindsTheLinkedProvider) {
  EXPECT_TRUE(hone::alloc_tracking_active());
  EXPECT_STREQ(hone::alloc_tracking_kind(), "test");
}

TEST(AllocCounters, ScopeFiguresAreExact) {
  AllocScope scope;
  record_allocation(100, 112);
  record_allocation(0, 16);
  record_allocation(5000, 5008);
  record_free(112);
  const AllocStats stats = scope.stats();
  EXPECT_EQ(stats.allocations, 3u);
  EXPECT_EQ(stats.frees, 1u);
  EXPECT_EQ(stats.requested_bytes, 5100u);
  EXPECT_EQ(stats.bytes_allocated, 112u + 16u + 5008u);
  EXPECT_EQ(stats.bytes_freed, 112u);
  EXPECT_EQ(stats.current_bytes, 16 + 5008);
  EXPECT_EQ(stats.peak_bytes, 112u + 16u + 5008u);
  EXPECT_EQ(stats.size_classes[0], 1u);
  EXPECT_EQ(stats.size_classes[hone::alloc_size_class(100)], 1u);
  EXPECT_EQ(stats.size_classes[hone::alloc_size_class(5000)], 1u);
  record_free(16);
  record_free(5008);
}

TEST(AllocCounters, NestedScopePeaksPropagateOutwards) {
  AllocScope outer;
  record_allocation(1000, 1000);
  {
    AllocScope inner;
    record_allocation(300, 300);
    record_free(300);
    record_allocation(200, 200);
    EXPECT_EQ(inner.stats().peak_bytes, 300u);
    EXPECT_EQ(inner.stats().current_bytes, 200);
  }
  record_free(200);
  record_free(1000);
  const AllocStats stats = outer.stats();
  EXPECT_EQ(stats.peak_bytes, 1300u);  // 1000 held + the inner 300
  EXPECT_EQ(stats.current_bytes, 0);
  {
    AllocScope later;  // a new scope starts from the current balance, not from the old peak
    record_allocation(10, 10);
    EXPECT_EQ(later.stats().peak_bytes, 10u);
    record_free(10);
  }
}

TEST(AllocCounters, ThreadsCountIntoTheirOwnBlocksAndMergeOnRead) {
  const AllocStats before = hone::alloc_stats();
  constexpr int k_threads = 4;
  constexpr int k_rounds = 20000;
  std::atomic<bool> done{false};
  // A reader merging while the writers write: the figures only ever grow (TSan checks the rest).
  std::thread reader([&] {
    std::uint64_t last = 0;
    while (!done.load()) {
      const AllocStats now = hone::alloc_stats();
      EXPECT_GE(now.allocations, last);
      last = now.allocations;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < k_threads; ++t) {
    writers.emplace_back([] {
      AllocScope scope;
      for (int i = 0; i < k_rounds; ++i) {
        record_allocation(24, 32);
        record_free(32);
      }
      EXPECT_EQ(scope.stats().allocations, std::uint64_t{k_rounds});
      EXPECT_EQ(scope.stats().peak_bytes, 32u);
    });
  }
  for (auto& writer : writers) writer.join();
  done = true;
  reader.join();
  const AllocStats after = hone::alloc_stats();
  EXPECT_EQ(after.allocations - before.allocations, std::uint64_t{k_threads} * k_rounds);
  EXPECT_EQ(after.frees - before.frees, std::uint64_t{k_threads} * k_rounds);
  EXPECT_EQ(after.bytes_allocated - before.bytes_allocated, std::uint64_t{k_threads} * k_rounds * 32);
  EXPECT_EQ(after.size_classes[hone::alloc_size_class(24)] - before.size_classes[hone::alloc_size_class(24)],
            std::uint64_t{k_threads} * k_rounds);
  EXPECT_EQ(after.current_bytes, before.current_bytes);
}

TEST(AllocCounters, ManyShortThreadsKeepTheirFiguresAfterExiting) {
  const AllocStats before = hone::alloc_stats();
  for (int t = 0; t < 200; ++t) {
    std::thread([] { record_allocation(64, 64); }).join();
  }
  const AllocStats after = hone::alloc_stats();
  EXPECT_EQ(after.allocations - before.allocations, 200u);
  EXPECT_EQ(after.current_bytes - before.current_bytes, 200 * 64);
  // Freed on this thread: the balance is process-wide, so it returns to where it was.
  for (int t = 0; t < 200; ++t) record_free(64);
  EXPECT_EQ(hone::alloc_stats().current_bytes, before.current_bytes);
}

TEST(AllocCounters, ProcessPeakIsWithinThePublishingGranularity) {
  const AllocStats before = hone::alloc_stats();
  const auto base = static_cast<std::uint64_t>(before.current_bytes);
  // 1 MiB in 1 KiB blocks, then all freed: the peak must be seen although no block alone publishes.
  for (int i = 0; i < 1024; ++i) record_allocation(1024, 1024);
  for (int i = 0; i < 1024; ++i) record_free(1024);
  const AllocStats after = hone::alloc_stats();
  EXPECT_GE(after.peak_bytes + 16 * 1024, base + (1u << 20));
  EXPECT_EQ(after.current_bytes, before.current_bytes);
}

// Below the 16 KiB publishing step a thread publishes each new high, so a program that never holds
// 16 KiB still has its real peak (it used to report 0). Exact when this test runs in a process of its
// own, as ctest runs it: the thread is the process's first and holds 312 bytes at most.
TEST(AllocCounters, SmallPeaksAreExact) {
  const AllocStats before = hone::alloc_stats();
  std::thread([] {
    record_allocation(100, 104);
    record_allocation(200, 208);
    record_free(104);
    record_free(208);
  }).join();
  const AllocStats after = hone::alloc_stats();
  EXPECT_EQ(after.current_bytes, before.current_bytes);
  EXPECT_GE(after.peak_bytes, static_cast<std::uint64_t>(before.current_bytes) + 312);
}

TEST(AllocCounters, FreesOnAnotherThreadBalanceTheProcess) {
  const AllocStats before = hone::alloc_stats();
  std::thread([] { record_allocation(1 << 20, 1 << 20); }).join();
  EXPECT_EQ(hone::alloc_stats().current_bytes - before.current_bytes, 1 << 20);
  EXPECT_GE(hone::alloc_stats().peak_bytes, static_cast<std::uint64_t>(before.current_bytes) + (1u << 20));
  std::thread([] { record_free(1 << 20); }).join();
  EXPECT_EQ(hone::alloc_stats().current_bytes, before.current_bytes);
}

TEST(AllocCounters, ReportsParseTheirOwnFigures) {
  AllocScope scope;
  record_allocation(std::uint64_t{1} << 41, 4096);  // lands in the open-ended last size class
  const std::string json = hone::alloc_report_json();
  EXPECT_NE(json.find("\"tracking\": \"test\""), std::string::npos);
  EXPECT_NE(json.find("{\"min_bytes\": 1099511627776, \"max_bytes\": null, \"allocations\": "), std::string::npos);
  const std::string text = hone::alloc_report_text();
  EXPECT_NE(text.find("1.0 TiB and up"), std::string::npos);
  record_free(4096);
}

}  // namespace
