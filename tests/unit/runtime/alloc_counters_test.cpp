// The per-thread allocation counters (runtime/alloc/counters.cpp) and the public API on top of them,
// driven by explicit record_allocation()/record_free() calls instead of a replaced operator new.
//
// This executable provides its own hone_alloc_provider over the counters, so it needs no replacement
// of the allocation functions and runs under ASan, UBSan and TSan like every other unit (the
// operator new replacement itself is tested in alloc_tracking_test.cpp, outside sanitizer builds).
// Every figure here is exact because the test decides every size.
#include "counters.h"
#include "provider.h"
#include "sampling.h"

#include "hone/alloc_tracking.h"
#include "hone/profiling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
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
    hone::alloc::detail::top_sampled_sites,
    hone::alloc::detail::thread_totals,
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

// Sampled call stacks (sampling.h). The "allocation function" here is fake_allocate(), which counts
// a block the way operator new does; the sites are the functions calling it, so each stack starts at a
// known function. Every workload is seeded, so every figure below is the same on every run; the
// tolerances say how far a correct estimator may fall from the truth at these sample counts.

__attribute__((noinline)) void fake_allocate(std::size_t size) {
  record_allocation(size, size);
  // Keeps the call from being a tail call in the caller: the caller's frame must stay on the stack.
  asm volatile("" ::: "memory");
}

void fake_free_all(std::size_t size, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) record_free(size);
}

__attribute__((noinline)) void small_site(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) fake_allocate(24);
  asm volatile("" ::: "memory");
}

__attribute__((noinline)) void large_site(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) fake_allocate(3000);
  asm volatile("" ::: "memory");
}

__attribute__((noinline)) void threaded_site(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) fake_allocate(40 + i % 64);
  asm volatile("" ::: "memory");
}

// The site whose innermost frame names `function`, or null.
const hone::AllocSite* site_of(const std::vector<hone::AllocSite>& sites, const char* function) {
  for (const hone::AllocSite& site : sites) {
    if (!site.frames.empty() && site.frames[0].find(function) != std::string::npos) return &site;
  }
  return nullptr;
}

double relative_error(std::uint64_t estimate, std::uint64_t truth) {
  return std::abs(static_cast<double>(estimate) - static_cast<double>(truth)) / static_cast<double>(truth);
}

// Restores the interval the process started with, whatever a test did.
class SamplingTest : public ::testing::Test {
protected:
  void SetUp() override { hone::alloc::detail::reset_samples(); }
  void TearDown() override {
    hone::alloc::detail::configure_sampling(hone::alloc::detail::k_default_sample_interval, 0);
    hone::alloc::detail::reset_samples();
  }
};

// 24 MB in 1,000,000 blocks of 24 bytes and 24 MB in 8,000 blocks of 3,000 bytes, sampled every 4 KiB
// on average: about 5,900 samples per site, so the standard error of each estimate is about 1.3%
// (bytes) and 1.1-1.3% (counts). The tolerance, 5%, is about four standard errors: a biased estimator
// (e.g. weighting every sample by the interval, or by 1 / (s / interval) without the exponential)
// misses the 3,000-byte site's count by 20% or more.
TEST_F(SamplingTest, EstimatesBytesAndCountsPerStackWithinFivePercent) {
  hone::alloc::detail::configure_sampling(4096, 42);
  constexpr std::size_t k_small = 1'000'000;
  constexpr std::size_t k_large = 8'000;
  small_site(k_small);
  large_site(k_large);
  fake_free_all(24, k_small);
  fake_free_all(3000, k_large);
  const std::vector<hone::AllocSite> sites = hone::alloc_top_sites(10);
  const hone::AllocSite* small = site_of(sites, "small_site");
  const hone::AllocSite* large = site_of(sites, "large_site");
  ASSERT_NE(small, nullptr) << "no stack starts at small_site; first: "
                            << (sites.empty() || sites[0].frames.empty() ? "-" : sites[0].frames[0]);
  ASSERT_NE(large, nullptr);
  EXPECT_GT(small->samples, 5000u);
  EXPECT_GT(large->samples, 2000u);
  EXPECT_LT(relative_error(small->bytes, 24 * k_small), 0.05) << small->bytes;
  EXPECT_LT(relative_error(small->allocations, k_small), 0.05) << small->allocations;
  EXPECT_LT(relative_error(large->bytes, 3000 * k_large), 0.05) << large->bytes;
  EXPECT_LT(relative_error(large->allocations, k_large), 0.05) << large->allocations;
  // The next frame is the test body that called the site.
  ASSERT_GE(small->frames.size(), 2u);
  EXPECT_NE(small->frames[1].find("EstimatesBytesAndCountsPerStack"), std::string::npos) << small->frames[1];
  EXPECT_EQ(hone::alloc_sample_interval(), 4096u);
}

TEST_F(SamplingTest, AReportNamesTheTopSites) {
  hone::alloc::detail::configure_sampling(4096, 7);
  large_site(2000);
  small_site(1000);
  fake_free_all(3000, 2000);
  fake_free_all(24, 1000);
  const std::string text = hone::alloc_report_text();
  const std::size_t header = text.find("allocation sites (call stacks sampled about every 4.0 KiB allocated;");
  ASSERT_NE(header, std::string::npos) << text;
  const std::size_t first = text.find("#1", header);
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_NE(text.find("large_site", first), std::string::npos) << text;
  const std::string json = hone::alloc_report_json();
  EXPECT_NE(json.find("\"sampling\": {\"interval_bytes\": 4096, \"samples\": "), std::string::npos) << json;
  EXPECT_NE(json.find("large_site"), std::string::npos) << json;
}

TEST_F(SamplingTest, OffMeansNoSamples) {
  hone::alloc::detail::configure_sampling(0, 1);
  large_site(1000);
  fake_free_all(3000, 1000);
  hone::alloc::detail::SamplingTotals totals;
  hone::alloc::detail::top_sampled_sites(nullptr, 0, &totals);
  EXPECT_EQ(totals.samples, 0u);
  EXPECT_EQ(hone::alloc_sample_interval(), 0u);
  EXPECT_TRUE(hone::alloc_top_sites().empty());
  EXPECT_NE(hone::alloc_report_text().find("call-stack sampling is off"), std::string::npos);
}

// What the sampled path allocates itself (the unwinder, the table) runs with the thread's in_sample
// flag set: those allocations are counted, never sampled (no recursion), and do not use up the
// countdown, so the program's own allocations are sampled exactly as without them.
TEST_F(SamplingTest, AllocationsInsideTheSampledPathAreCountedButNeverSampled) {
  hone::alloc::detail::configure_sampling(1, 3);  // every allocation of the program would be sampled
  fake_allocate(8);                               // arms this thread and takes one sample
  fake_free_all(8, 1);
  hone::alloc::detail::ThreadCounters* counters = hone::alloc::detail::t_counters;
  ASSERT_NE(counters, nullptr);
  hone::alloc::detail::SamplingTotals before;
  hone::alloc::detail::top_sampled_sites(nullptr, 0, &before);
  const std::int64_t countdown = counters->sample_countdown;
  AllocScope scope;
  counters->in_sample = true;
  large_site(100);
  counters->in_sample = false;
  EXPECT_EQ(scope.stats().allocations, 100u);
  EXPECT_EQ(counters->sample_countdown, countdown);
  hone::alloc::detail::SamplingTotals after;
  hone::alloc::detail::top_sampled_sites(nullptr, 0, &after);
  EXPECT_EQ(after.samples, before.samples);
  large_site(1);  // outside the flag, sampled again
  hone::alloc::detail::top_sampled_sites(nullptr, 0, &after);
  EXPECT_EQ(after.samples, before.samples + 1);
  fake_free_all(3000, 101);
}

// Four threads sample the same stack at once (every ~256 bytes, so they race for its slot): the table
// holds it once, and the estimate over all threads is within 5% of the truth (~39,000 samples).
TEST_F(SamplingTest, ThreadsShareOneStackSlotAndTheirEstimatesAdd) {
  hone::alloc::detail::configure_sampling(256, 11);
  constexpr std::size_t k_threads = 4;
  constexpr std::size_t k_per_thread = 50'000;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < k_threads; ++t) threads.emplace_back([] { threaded_site(k_per_thread); });
  for (std::thread& thread : threads) thread.join();
  std::uint64_t truth = 0;
  for (std::size_t i = 0; i < k_per_thread; ++i) truth += 40 + i % 64;
  truth *= k_threads;
  const std::vector<hone::AllocSite> sites = hone::alloc_top_sites(100);
  const auto matching = std::count_if(sites.begin(), sites.end(), [](const hone::AllocSite& site) {
    return !site.frames.empty() && site.frames[0].find("threaded_site") != std::string::npos;
  });
  EXPECT_EQ(matching, 1);
  const hone::AllocSite* site = site_of(sites, "threaded_site");
  ASSERT_NE(site, nullptr);
  EXPECT_LT(relative_error(site->bytes, truth), 0.05) << site->bytes << " vs " << truth;
  EXPECT_LT(relative_error(site->allocations, k_threads * k_per_thread), 0.05) << site->allocations;
  for (std::size_t i = 0; i < k_per_thread; ++i) record_free(40 + i % 64);  // balance, on this thread
  for (std::size_t t = 1; t < k_threads; ++t) {
    for (std::size_t i = 0; i < k_per_thread; ++i) record_free(40 + i % 64);
  }
}

// Issue 14: with a provider present, a traced zone's event carries what its thread allocated while it
// was open (the zone's first entry, which creates its accumulator with the real, uncounted operator
// new, is outside the trace), a zone that allocated nothing says 0, and the thread has a "bytes held"
// counter track. The allocation count the profiler reads is the one kept beside the size classes.
TEST(AllocCounters, TracedZonesCarryTheirThreadsAllocations) {
  const hone::alloc::detail::ThreadTotals* totals = hone::alloc::detail::current_thread_totals();
  ASSERT_NE(totals, nullptr);
  const AllocScope scope;
  const std::uint64_t allocations_before = totals->allocations.load();
  for (int round = 0; round < 2; ++round) {
    HONE_ZONE("first entry");
    HONE_ZONE("allocating zone");
  }
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  {
    HONE_ZONE("allocating zone");
    record_allocation(100, 112);
    record_allocation(5000, 5008);
    {
      HONE_ZONE("first entry");
    }
    record_free(112);
  }
  hone::profiling::stop_trace();
  const std::string trace = hone::profiling::trace_json();
  EXPECT_NE(trace.find("\"name\": \"allocating zone\", \"cat\": \"zone\", \"ph\": \"X\""), std::string::npos) << trace;
  EXPECT_NE(trace.find("\"args\": {\"allocations\": 2, \"alloc bytes\": 5120}"), std::string::npos) << trace;
  EXPECT_NE(trace.find("\"args\": {\"allocations\": 0, \"alloc bytes\": 0}"), std::string::npos) << trace;
  EXPECT_NE(trace.find("\"name\": \"bytes held: thread "), std::string::npos) << trace;
  EXPECT_EQ(totals->allocations.load() - allocations_before, 2u);
  EXPECT_EQ(scope.stats().allocations, 2u);
  record_free(5008);
}

}  // namespace
