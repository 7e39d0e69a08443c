// Allocation tracking through hone::alloc_tracking (linked into this test): every form of operator
// new and delete is counted, AllocScope measures exactly one thread's block (nesting, peak, frees),
// other threads' allocations reach the process totals, and the reports carry the figures.
//
// Counts are compared as differences around the code under test, so gtest's own allocations in
// between do not matter. The operator calls are made through ::operator new/delete directly so the
// compiler cannot elide them (it may elide new-expressions).
#include "hone/alloc_tracking.h"
#include "hone/profiling.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <malloc.h>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

using hone::AllocScope;
using hone::AllocStats;

TEST(AllocTracking, IsActiveThroughOperatorNew) {
  EXPECT_TRUE(hone::alloc_tracking_active());
  EXPECT_STREQ(hone::alloc_tracking_kind(), "operator new");
}

// One allocation of `size` bytes and one free, both through the named forms.
struct Form {
  const char* name;
  void* (*allocate)(std::size_t);
  void (*release)(void*, std::size_t);
  std::size_t alignment;
};

constexpr std::align_val_t k_align{256};

const Form k_forms[] = {
    {"new/delete", [](std::size_t n) { return ::operator new(n); }, [](void* p, std::size_t) { ::operator delete(p); },
     0},
    {"new[]/delete[]", [](std::size_t n) { return ::operator new[](n); },
     [](void* p, std::size_t) { ::operator delete[](p); }, 0},
    {"new nothrow/delete nothrow", [](std::size_t n) { return ::operator new(n, std::nothrow); },
     [](void* p, std::size_t) { ::operator delete(p, std::nothrow); }, 0},
    {"new[] nothrow/delete[] nothrow", [](std::size_t n) { return ::operator new[](n, std::nothrow); },
     [](void* p, std::size_t) { ::operator delete[](p, std::nothrow); }, 0},
    {"new/sized delete", [](std::size_t n) { return ::operator new(n); },
     [](void* p, std::size_t n) { ::operator delete(p, n); }, 0},
    {"new[]/sized delete[]", [](std::size_t n) { return ::operator new[](n); },
     [](void* p, std::size_t n) { ::operator delete[](p, n); }, 0},
    {"aligned new/aligned delete", [](std::size_t n) { return ::operator new(n, k_align); },
     [](void* p, std::size_t) { ::operator delete(p, k_align); }, 256},
    {"aligned new[]/aligned delete[]", [](std::size_t n) { return ::operator new[](n, k_align); },
     [](void* p, std::size_t) { ::operator delete[](p, k_align); }, 256},
    {"aligned nothrow new/aligned nothrow delete",
     [](std::size_t n) { return ::operator new(n, k_align, std::nothrow); },
     [](void* p, std::size_t) { ::operator delete(p, k_align, std::nothrow); }, 256},
    {"aligned nothrow new[]/aligned nothrow delete[]",
     [](std::size_t n) { return ::operator new[](n, k_align, std::nothrow); },
     [](void* p, std::size_t) { ::operator delete[](p, k_align, std::nothrow); }, 256},
    {"aligned new/sized aligned delete", [](std::size_t n) { return ::operator new(n, k_align); },
     [](void* p, std::size_t n) { ::operator delete(p, n, k_align); }, 256},
    {"aligned new[]/sized aligned delete[]", [](std::size_t n) { return ::operator new[](n, k_align); },
     [](void* p, std::size_t n) { ::operator delete[](p, n, k_align); }, 256},
};

TEST(AllocTracking, EveryNewAndDeleteFormIsCounted) {
  constexpr std::size_t k_size = 100;
  for (const Form& form : k_forms) {
    SCOPED_TRACE(form.name);
    AllocScope scope;
    void* block = form.allocate(k_size);
    ASSERT_NE(block, nullptr);
    if (form.alignment != 0) {
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % form.alignment, 0u);
    }
    const std::size_t usable = malloc_usable_size(block);
    EXPECT_GE(usable, k_size);
    const AllocStats during = scope.stats();
    EXPECT_EQ(during.allocations, 1u);
    EXPECT_EQ(during.frees, 0u);
    EXPECT_EQ(during.requested_bytes, k_size);
    EXPECT_EQ(during.bytes_allocated, usable);
    EXPECT_EQ(during.current_bytes, static_cast<std::int64_t>(usable));
    EXPECT_EQ(during.size_classes[hone::alloc_size_class(k_size)], 1u);
    form.release(block, k_size);
    const AllocStats after = scope.stats();
    EXPECT_EQ(after.allocations, 1u);
    EXPECT_EQ(after.frees, 1u);
    EXPECT_EQ(after.bytes_freed, usable);
    EXPECT_EQ(after.current_bytes, 0);
    EXPECT_EQ(after.peak_bytes, usable);
  }
}

TEST(AllocTracking, ZeroByteNewReturnsDistinctBlocks) {
  AllocScope scope;
  void* a = ::operator new(0);
  void* b = ::operator new(0);
  EXPECT_NE(a, b);
  ::operator delete(a);
  ::operator delete(b);
  const AllocStats stats = scope.stats();
  EXPECT_EQ(stats.allocations, 2u);
  EXPECT_EQ(stats.size_classes[0], 2u);
  EXPECT_EQ(stats.requested_bytes, 0u);
}

TEST(AllocTracking, FailedNothrowNewReturnsNullAndCountsNothing) {
  AllocScope scope;
  // Far more than any machine has: malloc fails at once.
  void* block = ::operator new(std::size_t{1} << 62, std::nothrow);
  EXPECT_EQ(block, nullptr);
  EXPECT_THROW(static_cast<void>(::operator new(std::size_t{1} << 62)), std::bad_alloc);
  EXPECT_EQ(scope.stats().allocations, 0u);
}

TEST(AllocScope, ALoopThatReusesCapacityAllocatesNothing) {
  std::vector<int> values;
  values.reserve(1000);
  AllocScope scope;
  for (int round = 0; round < 10; ++round) {
    values.clear();
    for (int i = 0; i < 1000; ++i) values.push_back(i);
  }
  const AllocStats stats = scope.stats();
  EXPECT_EQ(stats.allocations, 0u);
  EXPECT_EQ(stats.frees, 0u);
  EXPECT_EQ(stats.peak_bytes, 0u);
}

// The profiler's promise, checked with the allocation counter: once a thread has entered a zone,
// entering it again allocates nothing, with a trace running too (its buffer is allocated up front).
void profiled_step() {
  HONE_ZONE("alloc_test.zone");
}

TEST(AllocScope, ProfilingZonesAllocateNothingAfterTheFirstEntry) {
  profiled_step();  // registers the site and creates this thread's accumulator
  {
    AllocScope scope;
    for (int i = 0; i < 10000; ++i) profiled_step();
    EXPECT_EQ(scope.stats().allocations, 0u);
  }
  ASSERT_TRUE(hone::profiling::start_trace(1024));
  profiled_step();  // claims this thread's first chunk of the buffer: no allocation either
  {
    AllocScope scope;
    for (int i = 0; i < 10000; ++i) profiled_step();  // fills the buffer, then counts drops
    EXPECT_EQ(scope.stats().allocations, 0u);
  }
  hone::profiling::stop_trace();
  EXPECT_GT(hone::profiling::trace_dropped_events(), 0u);
}

TEST(AllocScope, CountsContainerGrowthAndItsPeak) {
  AllocScope scope;
  {
    std::vector<std::uint64_t> values;
    for (int i = 0; i < 1024; ++i) values.push_back(static_cast<std::uint64_t>(i));
  }
  const AllocStats stats = scope.stats();
  // libstdc++ doubles the capacity: 1, 2, 4, ..., 1024 elements, each reallocation frees the old buffer.
  EXPECT_EQ(stats.allocations, 11u);
  EXPECT_EQ(stats.frees, 11u);
  EXPECT_EQ(stats.current_bytes, 0);
  EXPECT_EQ(stats.requested_bytes, (2047u) * sizeof(std::uint64_t));
  // The peak is while the 1024-element buffer and the 512-element one are both alive.
  EXPECT_GE(stats.peak_bytes, (1024u + 512u) * sizeof(std::uint64_t));
  EXPECT_LT(stats.peak_bytes, (1024u + 512u) * sizeof(std::uint64_t) + 64);
}

TEST(AllocScope, NestedScopesEachSeeTheirOwnBlock) {
  AllocScope outer;
  auto first = std::make_unique<char[]>(4000);
  std::size_t inner_peak = 0;
  {
    AllocScope inner;
    auto second = std::make_unique<char[]>(1000);
    second.reset();
    const AllocStats stats = inner.stats();
    EXPECT_EQ(stats.allocations, 1u);
    EXPECT_EQ(stats.frees, 1u);
    inner_peak = stats.peak_bytes;
    EXPECT_GE(inner_peak, 1000u);
  }
  first.reset();
  const AllocStats stats = outer.stats();
  EXPECT_EQ(stats.allocations, 2u);
  EXPECT_EQ(stats.frees, 2u);
  EXPECT_EQ(stats.current_bytes, 0);
  // The outer peak includes the inner block, allocated while `first` was alive.
  EXPECT_GE(stats.peak_bytes, 4000u + inner_peak);
}

TEST(AllocScope, PeakIsRelativeToWhatTheThreadAlreadyHeld) {
  auto held = std::make_unique<char[]>(100000);
  AllocScope scope;
  held.reset();  // freeing first: the balance drops below the start
  auto small = std::make_unique<char[]>(10);
  const AllocStats stats = scope.stats();
  EXPECT_EQ(stats.peak_bytes, 0u);
  EXPECT_LT(stats.current_bytes, -90000);
}

TEST(AllocScope, IgnoresOtherThreads) {
  AllocScope scope;
  std::thread other([] {
    for (int i = 0; i < 100; ++i) ::operator delete(::operator new(sizeof(int)));
  });
  // Creating a thread allocates its state on this thread; only count after the join.
  other.join();
  const std::uint64_t own = scope.stats().allocations;
  std::thread again([] {
    for (int i = 0; i < 100; ++i) ::operator delete(::operator new(sizeof(int)));
  });
  again.join();
  // The second thread's 100 allocations are not ours; starting it costs at most a few of our own.
  EXPECT_LT(scope.stats().allocations - own, 10u);
}

TEST(AllocStatsProcess, MergesEveryThreadIncludingExitedOnes) {
  const AllocStats before = hone::alloc_stats();
  constexpr int k_threads = 4;
  constexpr int k_per_thread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < k_per_thread; ++i) {
        // Direct operator calls: a new-expression paired with its delete may be elided.
        void* value = ::operator new(sizeof(std::uint64_t));
        ::operator delete(value, sizeof(std::uint64_t));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const AllocStats after = hone::alloc_stats();
  EXPECT_GE(after.allocations - before.allocations, std::uint64_t{k_threads} * k_per_thread);
  EXPECT_GE(after.frees - before.frees, std::uint64_t{k_threads} * k_per_thread);
  EXPECT_GE(after.size_classes[hone::alloc_size_class(8)] - before.size_classes[hone::alloc_size_class(8)],
            std::uint64_t{k_threads} * k_per_thread);
  EXPECT_EQ(after.current_bytes, static_cast<std::int64_t>(after.bytes_allocated - after.bytes_freed));
}

TEST(AllocStatsProcess, PeakFollowsALargeBlockAllocatedOnAnotherThread) {
  constexpr std::size_t k_big = std::size_t{8} << 20;
  const AllocStats before = hone::alloc_stats();
  std::atomic<char*> block{nullptr};
  std::thread allocator([&] { block = static_cast<char*>(::operator new(k_big)); });
  allocator.join();
  const AllocStats holding = hone::alloc_stats();
  EXPECT_GE(holding.current_bytes - before.current_bytes, static_cast<std::int64_t>(k_big));
  EXPECT_GE(holding.peak_bytes, static_cast<std::uint64_t>(holding.current_bytes));
  ::operator delete(block.load());  // freed by another thread than the one that allocated it
  const AllocStats after = hone::alloc_stats();
  EXPECT_LE(after.current_bytes, holding.current_bytes - static_cast<std::int64_t>(k_big));
  EXPECT_GE(after.peak_bytes, holding.peak_bytes);  // the peak stays
}

TEST(AllocReports, TextAndJsonCarryTheFigures) {
  const std::string text = hone::alloc_report_text();
  EXPECT_NE(text.find("hone alloc: tracking operator new"), std::string::npos);
  EXPECT_NE(text.find("peak bytes"), std::string::npos);
  const std::string json = hone::alloc_report_json();
  EXPECT_EQ(json.rfind("{\"tracking\": \"operator new\", \"allocations\": ", 0), 0u);
  EXPECT_NE(json.find("\"size_classes\": [{\"min_bytes\": "), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
}

TEST(AllocSizeClasses, PowerOfTwoBoundaries) {
  EXPECT_EQ(hone::alloc_size_class(0), 0u);
  EXPECT_EQ(hone::alloc_size_class(1), 1u);
  EXPECT_EQ(hone::alloc_size_class(2), 2u);
  EXPECT_EQ(hone::alloc_size_class(3), 2u);
  EXPECT_EQ(hone::alloc_size_class(4), 3u);
  EXPECT_EQ(hone::alloc_size_class(1023), 10u);
  EXPECT_EQ(hone::alloc_size_class(1024), 11u);
  EXPECT_EQ(hone::alloc_size_class(std::uint64_t{1} << 40), hone::k_alloc_size_classes - 1);
  EXPECT_EQ(hone::alloc_size_class(UINT64_MAX), hone::k_alloc_size_classes - 1);
  for (std::size_t c = 1; c < hone::k_alloc_size_classes; ++c) {
    EXPECT_EQ(hone::alloc_size_class(hone::alloc_size_class_lower_bound(c)), c);
    EXPECT_EQ(hone::alloc_size_class(hone::alloc_size_class_lower_bound(c) - 1), c - 1);
  }
}

}  // namespace
