// ObjectPoolCore's slow paths: handing out cache indices, claiming a thread cache, batch transfers to
// and from the shared free list, growing by a chunk, the debug bookkeeping, and flushing caches at
// thread exit.
//
// Cache indices are handed out lowest-free-first and given back when a pool dies, so the live pools
// hold distinct indices and the first k_thread_cache_entries of them use the inline TLS table; a
// program with at most that many pools alive at once never touches the overflow table.
//
// Locking: the shared list, the chunk table and the debug state are guarded by one mutex per pool,
// taken once per k_transfer_batch operations in the common case. The per-thread caches are never
// touched by another thread. A thread's caches are flushed by a thread_local "flusher" registered the
// first time the thread claims a cache; after it has run (late thread_local destructors releasing
// handles), operations bypass the cache and go straight to the shared list.
#include "hone/detail/object_pool_core.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <new>

namespace hone::detail {

constinit thread_local ThreadCaches t_thread_caches{};

namespace {

constinit std::atomic<std::uint64_t> g_live_cache_evictions{0};

// Owned by no pool: what overflow_thread_cache() returns when the thread has no cache for an index.
// Never written: the fast paths write only a cache whose core is theirs, flush() returns at once.
constinit ThreadCache g_unowned_cache{};

// The calling thread's caches for indices k_thread_cache_entries and up (slot = index - entries),
// allocated on first use and freed by the thread's flusher.
constinit thread_local ThreadCache** t_overflow = nullptr;
constinit thread_local std::size_t t_overflow_size = 0;

// Set once the calling thread's caches have been flushed at thread exit.
constinit thread_local bool t_caches_gone = false;

struct ThreadCacheFlusher {
  bool armed = false;
  ~ThreadCacheFlusher() {
    for (ThreadCache& cache : t_thread_caches.entries) {
      ObjectPoolCore::flush(cache);
    }
    for (std::size_t slot = 0; slot < t_overflow_size; ++slot) {
      if (t_overflow[slot] != nullptr) {
        ObjectPoolCore::flush(*t_overflow[slot]);
        delete t_overflow[slot];
      }
    }
    delete[] t_overflow;
    t_overflow = nullptr;
    t_overflow_size = 0;
    t_caches_gone = true;
  }
};
thread_local ThreadCacheFlusher t_flusher;

// The free cache indices (a min-heap) and the next never-used one. Never destroyed: pools may die in
// static destructors after this file's.
struct CacheIndices {
  std::mutex mutex;
  std::vector<std::size_t> free;
  std::size_t next = 0;
};

CacheIndices* cache_indices() noexcept {
  static CacheIndices* const instance = new (std::nothrow) CacheIndices;
  return instance;
}

std::size_t take_cache_index() noexcept {
  CacheIndices* indices = cache_indices();
  if (indices == nullptr) {
    return k_no_cache_index;
  }
  std::lock_guard lock(indices->mutex);
  if (indices->free.empty()) {
    return indices->next++;
  }
  std::pop_heap(indices->free.begin(), indices->free.end(), std::greater<>());
  const std::size_t index = indices->free.back();
  indices->free.pop_back();
  return index;
}

void give_back_cache_index(std::size_t index) noexcept {
  CacheIndices* indices = cache_indices();
  if (indices == nullptr || index == k_no_cache_index) {
    return;
  }
  std::lock_guard lock(indices->mutex);
  try {
    indices->free.push_back(index);
    std::push_heap(indices->free.begin(), indices->free.end(), std::greater<>());
  } catch (...) {
    // Out of memory: the index is simply never reused (a later pool takes a new, higher one).
  }
}

// The calling thread's overflow cache for `index`, created (owned by no pool) if needed; nullptr
// when memory runs out, in which case the pool works through its shared list.
ThreadCache* claim_overflow_cache(std::size_t index) noexcept {
  const std::size_t slot = index - k_thread_cache_entries;
  if (slot >= t_overflow_size) {
    const std::size_t size = std::max<std::size_t>(slot + 1, t_overflow_size * 2);
    auto** grown = new (std::nothrow) ThreadCache*[size]();
    if (grown == nullptr) {
      return nullptr;
    }
    std::copy(t_overflow, t_overflow + t_overflow_size, grown);
    delete[] t_overflow;
    t_overflow = grown;
    t_overflow_size = size;
  }
  if (t_overflow[slot] == nullptr) {
    t_overflow[slot] = new (std::nothrow) ThreadCache{nullptr, 0, {}};
  }
  return t_overflow[slot];
}

}  // namespace

ThreadCache& overflow_thread_cache(std::size_t cache_index) noexcept {
  const std::size_t slot = cache_index - k_thread_cache_entries;
  if (cache_index != k_no_cache_index && slot < t_overflow_size && t_overflow[slot] != nullptr) {
    return *t_overflow[slot];
  }
  return g_unowned_cache;
}

void pool_misuse(const char* pool, const char* what, const void* pointer, const char* hint) noexcept {
  std::fprintf(stderr, "hone: error: %s: %s (pointer %p): %s\n", pool, what, pointer, hint);
  std::fflush(stderr);
  std::abort();
}

ObjectPoolCore::ObjectPoolCore(const ObjectPoolCoreOptions& options) noexcept
    : block_size_(round_up(options.block_size == 0 ? 1 : options.block_size,
                           options.block_alignment < 2 ? 2 : options.block_alignment)),
      block_alignment_(options.block_alignment < 2 ? 2 : options.block_alignment),
      next_chunk_blocks_(options.first_chunk_blocks == 0 ? 1 : options.first_chunk_blocks),
      max_chunk_blocks_(options.max_chunk_blocks < next_chunk_blocks_ ? next_chunk_blocks_ : options.max_chunk_blocks),
      checks_(options.debug_checks), recycle_(options.recycle), cache_index_(take_cache_index()),
      destroy_(options.destroy) {}

ObjectPoolCore::~ObjectPoolCore() {
  // Only reached through drop_ref(): no cache refers to this core any more, so every free block is on
  // the shared list. In recycling mode those blocks still hold objects.
  if (recycle_) {
    for (void* block : shared_free_) {
      auto bits = reinterpret_cast<std::uintptr_t>(block);
      if ((bits & k_constructed_tag) != 0) {
        destroy_(reinterpret_cast<void*>(bits & ~k_constructed_tag));
      }
    }
  }
  for (auto& [address, chunk] : chunks_) {
    HONE_POOL_UNPOISON(chunk.data, chunk.blocks * block_size_);
    ::operator delete(chunk.data, std::align_val_t{block_alignment_});
  }
}

std::size_t ObjectPoolCore::capacity() const noexcept {
  std::lock_guard lock(mutex_);
  return capacity_;
}

void ObjectPoolCore::drop_ref() noexcept {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete this;
  }
}

void ObjectPoolCore::retire() noexcept {
  if (checks_ && live_.load(std::memory_order_acquire) != 0) {
    char what[96];
    std::snprintf(what, sizeof what, "destroyed while %zu object(s) are still handed out", live_.load());
    pool_misuse("ObjectPool", what, this,
                "a PoolHandle (or a pointer from create()) outlives its pool; destroy the handles "
                "first or give the pool a longer lifetime");
  }
  retired_.store(true, std::memory_order_release);
  ThreadCache& cache = thread_cache(cache_index_);
  if (cache.core == this) {
    flush(cache);
  }
  // Other threads' caches may still hold blocks of this pool: the next pool given this index takes
  // such a cache over (flushing the blocks back here) or the thread's exit does.
  give_back_cache_index(cache_index_);
  drop_ref();
}

void ObjectPoolCore::flush(ThreadCache& cache) noexcept {
  ObjectPoolCore* core = cache.core;
  if (core == nullptr) {
    return;
  }
  {
    std::lock_guard lock(core->mutex_);
    core->shared_free_.insert(core->shared_free_.end(), cache.slots, cache.slots + cache.count);
  }
  cache.count = 0;
  cache.core = nullptr;
  core->drop_ref();
}

std::uint64_t ObjectPoolCore::live_cache_evictions() noexcept {
  return g_live_cache_evictions.load(std::memory_order_relaxed);
}

ThreadCache* ObjectPoolCore::claim_cache() noexcept {
  if (t_caches_gone || cache_index_ == k_no_cache_index) {
    return nullptr;  // thread is exiting, or no index: use the shared list directly
  }
  // Touching the flusher registers its destructor for this thread (once), before an overflow cache
  // exists that it must free.
  t_flusher.armed = true;
  ThreadCache* cache = cache_index_ < k_thread_cache_entries ? &t_thread_caches.entries[cache_index_]
                                                             : claim_overflow_cache(cache_index_);
  if (cache == nullptr || cache->core == this) {
    return cache;
  }
  if (cache->core != nullptr && !cache->core->retired_.load(std::memory_order_relaxed)) {
    g_live_cache_evictions.fetch_add(1, std::memory_order_relaxed);
  }
  flush(*cache);  // hand back the blocks of the dead pool that had this index before
  add_ref();
  cache->core = this;
  cache->count = 0;
  return cache;
}

bool ObjectPoolCore::grow_locked() noexcept {
  const std::size_t blocks = next_chunk_blocks_;
  void* memory = ::operator new(blocks * block_size_, std::align_val_t{block_alignment_}, std::nothrow);
  if (memory == nullptr) {
    return false;
  }
  char* data = static_cast<char*>(memory);
  Chunk chunk{data, blocks, nullptr};
  if (checks_) {
    chunk.in_use.reset(new (std::nothrow) std::uint8_t[blocks]());
    if (chunk.in_use == nullptr) {
      ::operator delete(memory, std::align_val_t{block_alignment_});
      return false;
    }
  }
  chunks_.emplace(reinterpret_cast<std::uintptr_t>(data), std::move(chunk));
  // Pushed in reverse so that the first blocks handed out are the lowest addresses.
  shared_free_.reserve(shared_free_.size() + blocks);
  for (std::size_t i = blocks; i-- > 0;) {
    shared_free_.push_back(data + i * block_size_);
  }
  HONE_POOL_POISON(data, blocks * block_size_);
  capacity_ += blocks;
  if (next_chunk_blocks_ < max_chunk_blocks_) {
    next_chunk_blocks_ = next_chunk_blocks_ * 2 > max_chunk_blocks_ ? max_chunk_blocks_ : next_chunk_blocks_ * 2;
  }
  return true;
}

void* ObjectPoolCore::pop_slow() noexcept {
  ThreadCache* cache = claim_cache();
  std::lock_guard lock(mutex_);
  if (shared_free_.empty() && !grow_locked()) {
    return nullptr;
  }
  if (cache == nullptr) {
    void* block = shared_free_.back();
    shared_free_.pop_back();
    return block;
  }
  // Refill with a batch (the cache is empty here) and hand out the last one.
  std::size_t take = shared_free_.size() < k_refill_batch ? shared_free_.size() : k_refill_batch;
  std::size_t from = shared_free_.size() - take;
  for (std::size_t i = 0; i < take; ++i) {
    cache->slots[i] = shared_free_[from + i];
  }
  shared_free_.resize(from);
  cache->count = static_cast<std::uint32_t>(take - 1);
  return cache->slots[take - 1];
}

void ObjectPoolCore::push_slow(void* block) noexcept {
  ThreadCache* cache = claim_cache();
  if (cache == nullptr) {
    std::lock_guard lock(mutex_);
    shared_free_.push_back(block);
    return;
  }
  if (cache->count == k_thread_cache_slots) {
    // Hand the newer half back: no shifting of the slots, and since refills take from the end of
    // the shared list, these (cache-warm) blocks are the first to come back.
    std::lock_guard lock(mutex_);
    shared_free_.insert(shared_free_.end(), cache->slots + (k_thread_cache_slots - k_transfer_batch),
                        cache->slots + k_thread_cache_slots);
    cache->count = k_thread_cache_slots - k_transfer_batch;
  }
  cache->slots[cache->count++] = block;
}

ObjectPoolCore::Chunk* ObjectPoolCore::find_chunk_locked(const void* block, std::size_t& index) noexcept {
  auto address = reinterpret_cast<std::uintptr_t>(block) & ~k_constructed_tag;
  auto it = chunks_.upper_bound(address);
  if (it == chunks_.begin()) {
    return nullptr;
  }
  --it;
  Chunk& chunk = it->second;
  std::uintptr_t offset = address - it->first;
  if (offset >= chunk.blocks * block_size_ || offset % block_size_ != 0) {
    return nullptr;
  }
  index = offset / block_size_;
  return &chunk;
}

void ObjectPoolCore::note_acquired(const void* block) noexcept {
  std::lock_guard lock(mutex_);
  std::size_t index = 0;
  Chunk* chunk = find_chunk_locked(block, index);
  if (chunk == nullptr || chunk->in_use[index] != 0) {
    pool_misuse("ObjectPool", "free list corrupted", block,
                "a block was handed out twice; look for an earlier use after release");
  }
  chunk->in_use[index] = 1;
  live_.fetch_add(1, std::memory_order_relaxed);
}

void ObjectPoolCore::check_release(const void* object) noexcept {
  if (retired_.load(std::memory_order_acquire)) {
    pool_misuse("ObjectPool", "object released after its pool was destroyed", object,
                "a PoolHandle outlived its ObjectPool");
  }
  std::lock_guard lock(mutex_);
  std::size_t index = 0;
  Chunk* chunk = find_chunk_locked(object, index);
  if (chunk == nullptr) {
    pool_misuse("ObjectPool", "release of a foreign pointer", object,
                "the pointer was not created by this pool (or does not point at an object start)");
  }
  if (chunk->in_use[index] == 0) {
    pool_misuse("ObjectPool", "double free", object, "the object was already returned to the pool");
  }
  chunk->in_use[index] = 0;
  live_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace hone::detail
