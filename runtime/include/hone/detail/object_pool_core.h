// The type-independent engine behind hone::ObjectPool<T>: chunks of fixed-size blocks, a shared free
// list under a mutex, and per-thread caches in front of it so the common path takes no lock.
//
// Every live pool has a cache index of its own, taken when the pool is created and given back when
// it dies, lowest free index first; so no two live pools ever share a thread's cache (issue 14: a
// creation counter mod 8 made pools created 8 apart evict each other on every switch, 12.8x slower
// per operation). Each thread owns a cache per pool it uses: the first k_thread_cache_entries indices
// live in a constinit TLS table (finding one is a shift), higher ones in a per-thread overflow table
// allocated on first use. A cache is an array of free block pointers: acquiring pops, releasing
// pushes, both without atomics. When a cache runs empty it takes a batch of k_refill_batch blocks
// from the shared list (or carves a new chunk); when it fills it hands a batch back. A block freed on
// another thread simply lands in that thread's cache — blocks of one pool are interchangeable — so
// cross-thread frees cost the same as local ones.
//
// A pool's core is reference counted: the pool holds one reference and every thread cache holding
// blocks of it holds one. Destroying the pool therefore never leaves another thread's cache pointing
// at freed memory; the last cache to let go (when a later pool with the same index claims it, or at
// thread exit) frees the chunks.
#pragma once

#include "hone/detail/pool_common.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace hone::detail {

// 8 inline entries of 1 KiB: 8 KiB of TLS per thread. An entry is exactly 1 KiB so that finding it is
// a shift, and 126 slots make a batch transfer (one lock) happen at most every 63 operations. The
// ninth and later pools alive at once use the (heap) overflow table: one more dependent load.
inline constexpr std::size_t k_thread_cache_entries = 8;
// The index of a pool whose index could not be recorded (out of memory): it uses no thread cache.
inline constexpr std::size_t k_no_cache_index = SIZE_MAX;
inline constexpr std::uint32_t k_thread_cache_slots = 126;
inline constexpr std::uint32_t k_transfer_batch = 63;
// An empty cache refills more than half way: allocation bursts are common, and the cache only hands
// back a batch once it is completely full.
inline constexpr std::uint32_t k_refill_batch = 96;

class ObjectPoolCore;

// Free block pointers carry a tag in bit 0 when the block still holds a constructed object (pools in
// recycling mode keep objects alive between uses).
inline constexpr std::uintptr_t k_constructed_tag = 1;

struct ThreadCache {
  ObjectPoolCore* core;
  std::uint32_t count;
  void* slots[k_thread_cache_slots];
};
static_assert(sizeof(ThreadCache) == 1024);

struct ThreadCaches {
  ThreadCache entries[k_thread_cache_entries];
};

// Trivially constructible and destructible, so access compiles to a plain TLS load with no guard;
// flushing at thread exit is done by a separate object registered on first use (see the .cpp).
extern constinit thread_local ThreadCaches t_thread_caches;

// The calling thread's cache for an index >= k_thread_cache_entries, or an empty cache owned by no
// pool (which sends the caller to its slow path) when the thread has none for it yet.
ThreadCache& overflow_thread_cache(std::size_t cache_index) noexcept;

[[gnu::always_inline]] inline ThreadCache& thread_cache(std::size_t cache_index) noexcept {
  if (cache_index < k_thread_cache_entries) [[likely]] {
    return t_thread_caches.entries[cache_index];
  }
  return overflow_thread_cache(cache_index);
}

struct ObjectPoolCoreOptions {
  std::size_t block_size;
  std::size_t block_alignment;
  std::size_t first_chunk_blocks;
  std::size_t max_chunk_blocks;
  bool debug_checks;
  bool recycle;
  void (*destroy)(void*) noexcept;  // destroys a constructed object left in a recycling pool
};

class ObjectPoolCore {
public:
  explicit ObjectPoolCore(const ObjectPoolCoreOptions& options) noexcept;
  ~ObjectPoolCore();
  ObjectPoolCore(const ObjectPoolCore&) = delete;
  ObjectPoolCore& operator=(const ObjectPoolCore&) = delete;

  // A free block (tagged when it holds a constructed object) or nullptr when out of memory.
  // The owning pool passes cache_index() from its own copy, saving a dependent load.
  void* pop(std::size_t cache_index) noexcept {
    ThreadCache& cache = thread_cache(cache_index);
    void* block;
    if (cache.core == this && cache.count != 0) [[likely]] {
      block = cache.slots[--cache.count];
    } else {
      block = pop_slow();
    }
    return block;
  }

  // Gives a block (tagged or not) back.
  void push(void* block, std::size_t cache_index) noexcept {
    ThreadCache& cache = thread_cache(cache_index);
    if (cache.core == this && cache.count != k_thread_cache_slots) [[likely]] {
      cache.slots[cache.count++] = block;
      return;
    }
    push_slow(block);
  }

  // Debug mode: aborts on a double free or a pointer that is not one of this pool's blocks; marks the
  // block free. Called before the object is destroyed, so a double free never runs a destructor twice.
  void check_release(const void* object) noexcept;
  // Debug mode: records that `block` was handed out (and that it was not handed out already).
  void note_acquired(const void* block) noexcept;

  // Called by the owning pool's destructor: reports live objects in debug mode, returns this thread's
  // cached blocks, gives the cache index back for a later pool and drops the pool's reference.
  void retire() noexcept;

  bool checks() const noexcept { return checks_; }
  bool recycle() const noexcept { return recycle_; }
  std::size_t cache_index() const noexcept { return cache_index_; }
  std::size_t live_objects() const noexcept { return live_.load(std::memory_order_relaxed); }
  std::size_t capacity() const noexcept;

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void drop_ref() noexcept;

  // Thread-exit and eviction path: moves every block of `cache` back to its pool (a no-op for a
  // cache owned by no pool).
  static void flush(ThreadCache& cache) noexcept;

  // How often, process-wide, a thread cache was taken from a pool that was still alive: each such
  // eviction would cost the victim a batch transfer under its mutex on its next operation. Counted on
  // the slow path only; a deterministic measure of cache collisions for tests and benchmarks, 0 by
  // construction since every live pool has an index of its own.
  static std::uint64_t live_cache_evictions() noexcept;

private:
  struct Chunk {
    char* data;
    std::size_t blocks;
    std::unique_ptr<std::uint8_t[]> in_use;  // debug mode only: 1 while handed out
  };

  void* pop_slow() noexcept;
  void push_slow(void* block) noexcept;
  bool grow_locked() noexcept;
  Chunk* find_chunk_locked(const void* block, std::size_t& index) noexcept;
  ThreadCache* claim_cache() noexcept;

  const std::size_t block_size_;
  const std::size_t block_alignment_;
  std::size_t next_chunk_blocks_;
  const std::size_t max_chunk_blocks_;
  const bool checks_;
  const bool recycle_;
  const std::size_t cache_index_;
  void (*const destroy_)(void*) noexcept;

  std::atomic<std::size_t> refs_{1};
  std::atomic<std::size_t> live_{0};
  std::atomic<bool> retired_{false};

  mutable std::mutex mutex_;  // guards everything below
  std::vector<void*> shared_free_;
  std::map<std::uintptr_t, Chunk> chunks_;  // by start address, for the debug lookups
  std::size_t capacity_ = 0;
};

}  // namespace hone::detail
