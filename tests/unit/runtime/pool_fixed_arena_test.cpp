// Unit tests of hone::FixedPool and hone::Arena: direct use, as std::pmr::memory_resource under
// standard containers, growth, markers/reset, and the debug checks as death tests.
#include "hone/arena.h"
#include "hone/fixed_pool.h"

#include <gtest/gtest.h>

#include <cstring>
#include <list>
#include <map>
#include <memory_resource>
#include <set>
#include <string>
#include <vector>

namespace {

hone::FixedPoolOptions checked_fixed() {
  hone::FixedPoolOptions options;
  options.debug_checks = true;
  options.first_chunk_blocks = 8;
  return options;
}

TEST(FixedPool, BlocksAreDistinctAlignedAndReused) {
  hone::FixedPool pool(40, checked_fixed());
  EXPECT_EQ(pool.block_size(), 48u);  // rounded up to max_align_t
  std::set<void*> seen;
  std::vector<void*> blocks;
  for (int i = 0; i < 500; ++i) {
    void* block = pool.allocate_block();
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % alignof(std::max_align_t), 0u);
    EXPECT_TRUE(seen.insert(block).second);
    std::memset(block, 0xab, pool.block_size());
    blocks.push_back(block);
  }
  EXPECT_EQ(pool.blocks_in_use(), 500u);
  std::size_t capacity = pool.capacity();
  for (void* block : blocks) {
    pool.free_block(block);
  }
  EXPECT_EQ(pool.blocks_in_use(), 0u);
  for (int i = 0; i < 500; ++i) {
    EXPECT_EQ(seen.count(pool.allocate_block()), 1u) << "reuses its own blocks";
  }
  EXPECT_EQ(pool.capacity(), capacity);
  for (void* block : blocks) {
    pool.free_block(block);
  }
}

TEST(FixedPool, WorksWithoutChecksToo) {
  hone::FixedPoolOptions options;
  options.debug_checks = false;
  hone::FixedPool pool(64, options);
  std::vector<void*> blocks;
  for (int i = 0; i < 10000; ++i) {
    blocks.push_back(pool.allocate_block());
  }
  for (void* block : blocks) {
    pool.free_block(block);
  }
  EXPECT_EQ(pool.blocks_in_use(), 0u);
}

TEST(FixedPool, ServesPmrNodeContainers) {
  // std::pmr::list nodes of int are small; every node comes from the pool.
  hone::FixedPool pool(64, checked_fixed());
  {
    std::pmr::list<int> list(&pool);
    for (int i = 0; i < 1000; ++i) {
      list.push_back(i);
    }
    EXPECT_EQ(pool.blocks_in_use(), 1000u);
    long sum = 0;
    for (int v : list) {
      sum += v;
    }
    EXPECT_EQ(sum, 999 * 1000 / 2);
    std::pmr::map<int, int> map(&pool);
    for (int i = 0; i < 100; ++i) {
      map[i] = i * i;
    }
    EXPECT_EQ(map[9], 81);
  }
  EXPECT_EQ(pool.blocks_in_use(), 0u);
}

TEST(FixedPool, OversizedRequestsGoUpstream) {
  hone::FixedPool pool(32, checked_fixed());
  std::pmr::vector<int> big(&pool);
  big.resize(10000, 1);  // 40 KB: far above the block size
  EXPECT_EQ(pool.blocks_in_use(), 0u);
  void* over_aligned = pool.allocate(16, 256);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(over_aligned) % 256, 0u);
  pool.deallocate(over_aligned, 16, 256);
}

TEST(FixedPool, ReleaseReturnsMemory) {
  hone::FixedPool pool(16, checked_fixed());
  void* block = pool.allocate_block();
  pool.free_block(block);
  EXPECT_GT(pool.capacity(), 0u);
  pool.release();
  EXPECT_EQ(pool.capacity(), 0u);
  void* again = pool.allocate_block();
  EXPECT_NE(again, nullptr);
  pool.free_block(again);
}

using FixedPoolDeathTest = ::testing::Test;

TEST(FixedPoolDeathTest, DoubleFreeIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::FixedPool pool(64, checked_fixed());
        void* keep = pool.allocate_block();
        void* block = pool.allocate_block();
        pool.free_block(block);
        pool.free_block(block);
        pool.free_block(keep);
      },
      "hone: error: FixedPool: double free");
}

TEST(FixedPoolDeathTest, ForeignPointerIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::FixedPool pool(64, checked_fixed());
        void* block = pool.allocate_block();
        pool.free_block(static_cast<char*>(block) + 8);  // not a block start
      },
      "FixedPool: free of a foreign pointer");
  EXPECT_DEATH(
      {
        hone::FixedPool pool(64, checked_fixed());
        alignas(64) char elsewhere[64];
        pool.free_block(elsewhere);
      },
      "FixedPool: free of a foreign pointer");
}

TEST(FixedPoolDeathTest, DestroyedWithBlocksInUseIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::FixedPool pool(64, checked_fixed());
        (void)pool.allocate_block();
      },
      "FixedPool: destroyed while blocks are still in use");
}

hone::ArenaOptions checked_arena() {
  hone::ArenaOptions options;
  options.debug_checks = true;
  options.first_chunk_bytes = 256;
  options.max_chunk_bytes = 4096;
  return options;
}

TEST(Arena, BumpAllocatesAlignedMemory) {
  hone::Arena arena(checked_arena());
  char* previous = nullptr;
  for (std::size_t alignment : {1u, 2u, 8u, 16u, 64u, 256u}) {
    auto* p = static_cast<char*>(arena.allocate_bytes(24, alignment));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % alignment, 0u);
    std::memset(p, 1, 24);
    EXPECT_NE(p, previous);
    previous = p;
  }
  EXPECT_EQ(arena.allocate_bytes(8, 3), nullptr) << "alignment must be a power of two";
  // Larger than any chunk: gets a chunk of its own.
  auto* big = static_cast<char*>(arena.allocate_bytes(100000, 64));
  ASSERT_NE(big, nullptr);
  std::memset(big, 2, 100000);
  EXPECT_GE(arena.bytes_reserved(), 100000u);
}

TEST(Arena, MarkersRewindAndChunksAreReused) {
  hone::Arena arena(checked_arena());
  (void)arena.allocate_bytes(100);
  hone::Arena::Marker frame = arena.mark();
  std::size_t used_at_mark = arena.bytes_used();
  void* first = nullptr;
  std::size_t reserved = 0;
  for (int round = 0; round < 5; ++round) {
    void* p = nullptr;
    for (int i = 0; i < 200; ++i) {  // crosses several chunks
      p = arena.allocate_bytes(48);
      ASSERT_NE(p, nullptr);
      std::memset(p, i, 48);
      if (i == 0 && round == 0) {
        first = p;
      } else if (i == 0) {
        EXPECT_EQ(p, first) << "rewind hands out the same memory again";
      }
    }
    if (round == 0) {
      reserved = arena.bytes_reserved();
    } else {
      EXPECT_EQ(arena.bytes_reserved(), reserved) << "no new chunks in steady state";
    }
    arena.rewind(frame);
    EXPECT_EQ(arena.bytes_used(), used_at_mark);
  }
  arena.reset();
  EXPECT_EQ(arena.bytes_used(), 0u);
  arena.release();
  EXPECT_EQ(arena.bytes_reserved(), 0u);
  EXPECT_NE(arena.allocate_bytes(8), nullptr);
}

TEST(Arena, NestedMarkers) {
  hone::Arena arena(checked_arena());
  auto outer = arena.mark();
  auto* a = static_cast<int*>(arena.allocate_bytes(sizeof(int), alignof(int)));
  *a = 1;
  auto inner = arena.mark();
  (void)arena.allocate_bytes(1000);
  arena.rewind(inner);
  EXPECT_EQ(*a, 1) << "memory before the inner marker is untouched";
  arena.rewind(outer);
  EXPECT_EQ(arena.bytes_used(), 0u);
}

TEST(Arena, UsesCallerBufferFirst) {
  alignas(16) char buffer[1024];
  hone::Arena arena(buffer, sizeof buffer, checked_arena());
  auto* p = static_cast<char*>(arena.allocate_bytes(100));
  EXPECT_GE(p, buffer);
  EXPECT_LT(p, buffer + sizeof buffer);
  (void)arena.allocate_bytes(5000);  // spills to upstream
  arena.release();
  auto* q = static_cast<char*>(arena.allocate_bytes(100));
  EXPECT_GE(q, buffer) << "the caller's buffer survives release()";
  EXPECT_LT(q, buffer + sizeof buffer);
}

TEST(Arena, ServesPmrContainersAndMake) {
  hone::Arena arena(checked_arena());
  {
    std::pmr::vector<std::pmr::string> words(&arena);
    for (int i = 0; i < 100; ++i) {
      words.emplace_back("a fairly long string that does not fit the small buffer " + std::to_string(i));
    }
    EXPECT_EQ(words[42].substr(words[42].size() - 2), "42");
  }
  struct Point {
    int x, y;
  };
  Point* point = arena.make<Point>(Point{3, 4});
  ASSERT_NE(point, nullptr);
  EXPECT_EQ(point->x + point->y, 7);
}

using ArenaDeathTest = ::testing::Test;

TEST(ArenaDeathTest, MarkerFromAnotherArenaIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::Arena a(checked_arena());
        hone::Arena b(checked_arena());
        (void)b.allocate_bytes(8);
        auto marker = b.mark();
        a.rewind(marker);
      },
      "Arena: rewind to a marker taken from a different arena");
}

TEST(ArenaDeathTest, StaleMarkerIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::Arena arena(checked_arena());
        (void)arena.allocate_bytes(8);
        auto early = arena.mark();
        (void)arena.allocate_bytes(5000);
        auto late = arena.mark();
        arena.rewind(early);
        arena.rewind(late);
      },
      "Arena: rewind to a marker that lies beyond the current position");
}

}  // namespace

#ifdef HONE_HAS_ASAN
namespace {
// Under AddressSanitizer, memory an arena has taken back is poisoned: a stale pointer is reported at
// its first use instead of silently reading the next frame's data.
TEST(ArenaDeathTest, UseAfterRewindIsReportedByAddressSanitizer) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::Arena arena(checked_arena());
        auto frame = arena.mark();
        auto* stale = static_cast<volatile char*>(arena.allocate_bytes(64));
        stale[0] = 1;
        arena.rewind(frame);
        stale[0] = 2;
      },
      "use-after-poison");
}
}  // namespace
#endif
