// Unit tests of hone::ObjectPool<T>: handles, growth, recycling hooks, cross-thread frees and the
// debug checks (double free, foreign pointer, handles outliving their pool) as death tests.
#include "hone/object_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Tracked {
  static inline std::atomic<int> alive{0};
  explicit Tracked(int v = 7) : value(v) { ++alive; }
  ~Tracked() { --alive; }
  int value;
  char payload[52];
};

hone::ObjectPoolOptions<Tracked> checked() {
  hone::ObjectPoolOptions<Tracked> options;
  options.debug_checks = true;
  return options;
}

TEST(ObjectPool, MakeConstructsAndHandleDestroys) {
  {
    hone::ObjectPool<Tracked> pool(checked());
    auto a = pool.make(42);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->value, 42);
    EXPECT_EQ(Tracked::alive, 1);
    EXPECT_EQ(pool.live_objects(), 1u);
    a.reset();
    EXPECT_FALSE(a);
    EXPECT_EQ(Tracked::alive, 0);
    EXPECT_EQ(pool.live_objects(), 0u);
  }
  EXPECT_EQ(Tracked::alive, 0);
}

TEST(ObjectPool, GrowsOnDemandWithDistinctAlignedObjects) {
  hone::ObjectPoolOptions<Tracked> options = checked();
  options.first_chunk_objects = 4;
  options.max_chunk_objects = 16;
  hone::ObjectPool<Tracked> pool(options);
  std::vector<hone::PoolHandle<Tracked>> handles;
  std::set<Tracked*> seen;
  for (int i = 0; i < 1000; ++i) {
    handles.push_back(pool.make(i));
    ASSERT_TRUE(handles.back());
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(handles.back().get()) % alignof(Tracked), 0u);
    EXPECT_TRUE(seen.insert(handles.back().get()).second) << "object handed out twice";
  }
  EXPECT_GE(pool.capacity(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(handles[static_cast<std::size_t>(i)]->value, i);
  }
  handles.clear();
  EXPECT_EQ(pool.live_objects(), 0u);
  // Reuse: another round needs no new memory.
  std::size_t capacity = pool.capacity();
  for (int i = 0; i < 1000; ++i) {
    handles.push_back(pool.make(i));
  }
  EXPECT_EQ(pool.capacity(), capacity);
}

TEST(ObjectPool, MovedHandleKeepsOwnership) {
  hone::ObjectPool<Tracked> pool(checked());
  auto a = pool.make(1);
  hone::PoolHandle<Tracked> b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): a moved-from handle is empty by contract
  EXPECT_EQ(b->value, 1);
  hone::PoolHandle<Tracked> c = pool.make(2);
  c = std::move(b);  // c's old object goes back
  EXPECT_EQ(c->value, 1);
  EXPECT_EQ(Tracked::alive, 1);
}

TEST(ObjectPool, ReleaseAndDestroyRawInterface) {
  hone::ObjectPool<Tracked> pool(checked());
  Tracked* raw = pool.make(5).release();
  EXPECT_EQ(raw->value, 5);
  EXPECT_EQ(pool.live_objects(), 1u);
  pool.destroy(raw);
  EXPECT_EQ(pool.live_objects(), 0u);
  Tracked* created = pool.create(9);
  EXPECT_EQ(created->value, 9);
  pool.destroy(created);
  pool.destroy(nullptr);  // no-op, like delete nullptr
}

struct Buffer {
  static inline int constructions = 0;
  Buffer() { ++constructions; }
  std::vector<int> data;
  int uses = 0;
};

TEST(ObjectPool, RecyclingHooksKeepObjectsAlive) {
  Buffer::constructions = 0;
  hone::ObjectPoolOptions<Buffer> options;
  options.debug_checks = true;
  options.reset = [](Buffer& b) { b.data.clear(); };
  options.reuse = [](Buffer& b) { ++b.uses; };
  hone::ObjectPool<Buffer> pool(options);
  const int* storage = nullptr;
  {
    auto b = pool.acquire();
    b->data.resize(1000, 3);
    storage = b->data.data();
  }
  auto again = pool.acquire();
  EXPECT_EQ(Buffer::constructions, 1) << "recycled, not reconstructed";
  EXPECT_EQ(again->uses, 1) << "reuse hook ran";
  EXPECT_TRUE(again->data.empty()) << "reset hook ran";
  EXPECT_GE(again->data.capacity(), 1000u) << "capacity kept";
  EXPECT_EQ(again->data.data(), storage);
  // make() always constructs afresh, even on a recycled block.
  again.reset();
  auto fresh = pool.make();
  EXPECT_EQ(fresh->uses, 0);
  EXPECT_EQ(Buffer::constructions, 2);
}

TEST(ObjectPool, RecycledObjectsAreDestroyedWithThePool) {
  std::atomic<int>& alive = Tracked::alive;
  {
    hone::ObjectPoolOptions<Tracked> options = checked();
    options.recycle = true;
    hone::ObjectPool<Tracked> pool(options);
    std::vector<hone::PoolHandle<Tracked>> handles;
    for (int i = 0; i < 200; ++i) {
      handles.push_back(pool.acquire());
    }
    handles.clear();
    EXPECT_EQ(alive, 200) << "recycling keeps released objects constructed";
  }
  EXPECT_EQ(alive, 0);
}

struct ThrowsOnZero {
  explicit ThrowsOnZero(int v) {
    if (v == 0) {
      throw std::runtime_error("zero");
    }
  }
};

TEST(ObjectPool, ThrowingConstructorReturnsTheBlock) {
  hone::ObjectPoolOptions<ThrowsOnZero> options;
  options.debug_checks = true;
  hone::ObjectPool<ThrowsOnZero> pool(options);
  EXPECT_THROW((void)pool.make(0), std::runtime_error);
  EXPECT_EQ(pool.live_objects(), 0u);
  auto ok = pool.make(1);
  EXPECT_TRUE(ok);
}

// Two threads: one makes objects, the other releases them, in both directions, through a shared
// vector handed over under a mutex. Runs under TSan in CI.
TEST(ObjectPool, CrossThreadFrees) {
  for (bool checks : {false, true}) {
    hone::ObjectPoolOptions<Tracked> options;
    options.debug_checks = checks;
    hone::ObjectPool<Tracked> pool(options);
    constexpr int k_rounds = 50;
    constexpr int k_batch = 300;
    std::mutex mutex;
    std::vector<hone::PoolHandle<Tracked>> to_b;
    std::vector<hone::PoolHandle<Tracked>> to_a;
    std::atomic<int> round_done_b{0};
    auto worker = [&](std::vector<hone::PoolHandle<Tracked>>& inbox, std::vector<hone::PoolHandle<Tracked>>& outbox,
                      int seed) {
      for (int round = 0; round < k_rounds; ++round) {
        std::vector<hone::PoolHandle<Tracked>> made;
        for (int i = 0; i < k_batch; ++i) {
          made.push_back(pool.make(seed + i));
        }
        std::vector<hone::PoolHandle<Tracked>> received;
        {
          std::lock_guard lock(mutex);
          for (auto& h : made) {
            outbox.push_back(std::move(h));
          }
          received.swap(inbox);
        }
        for (auto& h : received) {
          ASSERT_TRUE(h);
          ASSERT_GE(h->value, 0);
        }
        received.clear();  // cross-thread frees
      }
    };
    std::thread b([&] {
      worker(to_b, to_a, 1000000);
      round_done_b = 1;
    });
    worker(to_a, to_b, 0);
    b.join();
    to_a.clear();
    to_b.clear();
    EXPECT_EQ(Tracked::alive, 0);
    if (checks) {
      EXPECT_EQ(pool.live_objects(), 0u);
    }
  }
}

TEST(ObjectPool, PoolDestroyedWhileAnotherThreadCachesItsBlocks) {
  // The other thread keeps cached blocks of a pool that dies first; its exit must not touch freed
  // memory (ASan would report it).
  std::atomic<bool> pool_gone{false};
  std::atomic<bool> cached{false};
  auto pool = std::make_unique<hone::ObjectPool<Tracked>>(checked());
  std::thread other([&] {
    {
      auto h = pool->make(1);
    }  // leaves blocks in this thread's cache
    cached = true;
    while (!pool_gone) {
      std::this_thread::yield();
    }
  });
  while (!cached) {
    std::this_thread::yield();
  }
  pool.reset();
  pool_gone = true;
  other.join();
  EXPECT_EQ(Tracked::alive, 0);
}

TEST(ObjectPool, ManyPoolsInOneThread) {
  // More pools than cache entries: entries are evicted and reclaimed correctly.
  std::vector<std::unique_ptr<hone::ObjectPool<Tracked>>> pools;
  for (int i = 0; i < 20; ++i) {
    pools.push_back(std::make_unique<hone::ObjectPool<Tracked>>(checked()));
  }
  std::vector<hone::PoolHandle<Tracked>> handles;
  for (int round = 0; round < 5; ++round) {
    for (auto& pool : pools) {
      for (int i = 0; i < 70; ++i) {
        handles.push_back(pool->make(i));
      }
    }
    handles.erase(handles.begin(), handles.begin() + static_cast<std::ptrdiff_t>(handles.size() / 2));
  }
  handles.clear();
  for (auto& pool : pools) {
    EXPECT_EQ(pool->live_objects(), 0u);
  }
}

// Issue 14: thread-cache entries were a creation counter mod 8, so two hot pools created 8 apart
// shared one entry and evicted each other on every switch (12.8x slower per operation). Every live
// pool now has a cache entry of its own; the eviction counter of the slow path proves it exactly.
TEST(ObjectPool, PoolsCreatedEightApartDoNotEvictEachOther) {
  hone::ObjectPool<Tracked> first;
  std::vector<std::unique_ptr<hone::ObjectPool<Tracked>>> between;
  for (std::size_t i = 0; i + 1 < hone::detail::k_thread_cache_entries; ++i) {
    between.push_back(std::make_unique<hone::ObjectPool<Tracked>>());
  }
  hone::ObjectPool<Tracked> ninth;
  // More live pools than inline entries, alternating: none may take another live pool's cache.
  const std::uint64_t before = hone::detail::ObjectPoolCore::live_cache_evictions();
  for (int i = 0; i < 1000; ++i) {
    auto a = first.make(i);
    auto b = ninth.make(i);
    for (auto& pool : between) {
      auto c = pool->make(i);
    }
  }
  EXPECT_EQ(hone::detail::ObjectPoolCore::live_cache_evictions() - before, 0u);
  EXPECT_EQ(Tracked::alive, 0);
}

// Entries of dead pools are reused: creating and destroying pools in a loop never runs out of fast
// entries and never evicts the pools that stay alive.
TEST(ObjectPool, EntriesOfDeadPoolsAreReused) {
  hone::ObjectPool<Tracked> long_lived;
  const std::uint64_t before = hone::detail::ObjectPoolCore::live_cache_evictions();
  for (int i = 0; i < 100; ++i) {
    hone::ObjectPool<Tracked> short_lived;
    auto a = long_lived.make(i);
    auto b = short_lived.make(i);
  }
  EXPECT_EQ(hone::detail::ObjectPoolCore::live_cache_evictions() - before, 0u);
}

// More live pools than inline entries, used from two threads, half of them destroyed while the other
// thread still caches their blocks, then new pools taking the freed indices: every block goes back
// exactly once (ASan: no use after free when the old owners are flushed; TSan: no race).
TEST(ObjectPool, OverflowCachesAcrossThreadsAndDyingPools) {
  constexpr int k_pools = 12;
  std::vector<std::unique_ptr<hone::ObjectPool<Tracked>>> pools;
  for (int i = 0; i < k_pools; ++i) pools.push_back(std::make_unique<hone::ObjectPool<Tracked>>(checked()));
  std::atomic<int> phase{0};
  std::thread other([&] {
    for (auto& pool : pools) {
      std::vector<hone::PoolHandle<Tracked>> held;
      for (int i = 0; i < 100; ++i) held.push_back(pool->make(i));
    }  // every pool's blocks now sit in this thread's caches
    phase = 1;
    while (phase.load() != 2) std::this_thread::yield();
    for (int i = k_pools / 2; i < k_pools; ++i) {
      auto h = pools[static_cast<std::size_t>(i)]->make(i);  // the replacement pools, from this thread too
    }
  });
  while (phase.load() != 1) std::this_thread::yield();
  for (int i = 0; i < k_pools / 2; ++i) pools[static_cast<std::size_t>(i)].reset();  // indices given back
  for (int i = k_pools / 2; i < k_pools; ++i) {
    pools[static_cast<std::size_t>(i)] = std::make_unique<hone::ObjectPool<Tracked>>(checked());
  }
  phase = 2;
  other.join();
  for (int i = k_pools / 2; i < k_pools; ++i) {
    auto h = pools[static_cast<std::size_t>(i)]->make(i);
    EXPECT_EQ(pools[static_cast<std::size_t>(i)]->live_objects(), 1u);
  }
  pools.clear();
  EXPECT_EQ(Tracked::alive, 0);
}

using ObjectPoolDeathTest = ::testing::Test;

TEST(ObjectPoolDeathTest, DoubleFreeIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::ObjectPool<Tracked> pool(checked());
        Tracked* raw = pool.create(1);
        pool.destroy(raw);
        pool.destroy(raw);
      },
      "hone: error: ObjectPool: double free");
}

TEST(ObjectPoolDeathTest, ForeignPointerIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::ObjectPool<Tracked> pool(checked());
        hone::ObjectPool<Tracked> other(checked());
        Tracked* raw = other.create(1);
        pool.destroy(raw);
      },
      "hone: error: ObjectPool: release of a foreign pointer");
  EXPECT_DEATH(
      {
        hone::ObjectPool<Tracked> pool(checked());
        auto h = pool.make(1);
        Tracked local;
        pool.destroy(&local);
      },
      "foreign pointer");
}

TEST(ObjectPoolDeathTest, HandleOutlivingPoolIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::PoolHandle<Tracked> survivor;
        {
          hone::ObjectPool<Tracked> pool(checked());
          survivor = pool.make(1);
        }
      },
      "ObjectPool: destroyed while 1 object\\(s\\) are still handed out");
}

}  // namespace

#ifdef HONE_HAS_ASAN
namespace {
// Under AddressSanitizer a released object's block is poisoned until the pool hands it out again.
TEST(ObjectPoolDeathTest, UseAfterReleaseIsReportedByAddressSanitizer) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        hone::ObjectPool<Tracked> pool(checked());
        auto handle = pool.make(1);
        Tracked* stale = handle.get();
        handle.reset();
        static_cast<volatile int&>(stale->value) = 2;
      },
      "use-after-poison");
}
}  // namespace
#endif
