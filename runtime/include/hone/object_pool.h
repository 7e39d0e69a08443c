// hone::ObjectPool<T>: a thread-safe pool of T objects handed out as RAII handles.
//
// make(args...) constructs a T in a pooled block and returns a PoolHandle<T>; when the handle dies the
// object is destroyed and its block goes back to the pool. The common path takes no lock and no
// atomic operation: each thread keeps a small cache of free blocks per pool (see
// detail/object_pool_core.h), refilled from and drained to a shared free list in batches. Handles may
// be moved to and destroyed on any thread. The pool grows on demand, in chunks that double in size.
//
// Recycling mode: with a reset and/or reuse hook (ObjectPoolOptions), released objects are *not*
// destroyed. reset(obj) runs when an object comes back (e.g. clear() a vector, keeping its capacity)
// and reuse(obj) when acquire() hands a recycled object out again, so expensive-to-construct objects
// are built once. make(args...) always yields a freshly constructed object in either mode.
//
// Debug checks (opt-in: options.debug_checks, or -DHONE_POOL_CHECKS=1 for the default; never tied
// to NDEBUG): releasing an object twice, releasing a pointer that is not from this pool, and
// destroying the pool while handles are alive all abort with a message.
#pragma once

#include "hone/detail/object_pool_core.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace hone {

template <class T> struct ObjectPoolOptions {
  // Objects in the first chunk; later chunks double up to max_chunk_objects.
  std::size_t first_chunk_objects = 64;
  std::size_t max_chunk_objects = 4096;
  bool debug_checks = k_pool_checks_default;
  // Recycling hooks (see the file comment). Setting either turns recycling mode on.
  void (*reset)(T&) = nullptr;
  void (*reuse)(T&) = nullptr;
  // Recycling without hooks: objects are kept constructed as they were released.
  bool recycle = false;
};

template <class T> class ObjectPool;

// Owns one pooled object; returns it to its pool when destroyed or reset. Move-only, 16 bytes.
template <class T> class PoolHandle {
public:
  PoolHandle() noexcept = default;
  PoolHandle(PoolHandle&& other) noexcept : object_(std::exchange(other.object_, nullptr)), pool_(other.pool_) {}
  PoolHandle& operator=(PoolHandle&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = std::exchange(other.object_, nullptr);
      pool_ = other.pool_;
    }
    return *this;
  }
  PoolHandle(const PoolHandle&) = delete;
  PoolHandle& operator=(const PoolHandle&) = delete;
  ~PoolHandle() { reset(); }

  T* get() const noexcept { return object_; }
  T& operator*() const noexcept { return *object_; }
  T* operator->() const noexcept { return object_; }
  explicit operator bool() const noexcept { return object_ != nullptr; }

  // Returns the object to the pool now; the handle becomes empty.
  void reset() noexcept {
    if (object_ != nullptr) {
      pool_->destroy(std::exchange(object_, nullptr));
    }
  }
  // Gives up ownership without returning the object; hand it back later with pool.destroy(p).
  [[nodiscard]] T* release() noexcept { return std::exchange(object_, nullptr); }

private:
  friend class ObjectPool<T>;
  PoolHandle(T* object, ObjectPool<T>* pool) noexcept : object_(object), pool_(pool) {}
  T* object_ = nullptr;
  ObjectPool<T>* pool_ = nullptr;
};

template <class T> class ObjectPool {
public:
  using Handle = PoolHandle<T>;

  explicit ObjectPool(ObjectPoolOptions<T> options = {}) noexcept
      : reset_(options.reset), reuse_(options.reuse),
        core_(new(std::nothrow) detail::ObjectPoolCore(detail::ObjectPoolCoreOptions{
            sizeof(T), alignof(T), options.first_chunk_objects, options.max_chunk_objects, options.debug_checks,
            options.recycle || options.reset != nullptr || options.reuse != nullptr, &destroy_object})),
        cache_index_(core_ != nullptr ? core_->cache_index() : 0), checks_(core_ != nullptr && core_->checks()),
        recycle_(core_ != nullptr && core_->recycle()) {}
  ~ObjectPool() {
    if (core_ != nullptr) {
      core_->retire();
    }
  }
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  // A freshly constructed T(args...), or an empty handle when memory is exhausted. If T's
  // constructor throws, the block goes back to the pool and the exception propagates.
  template <class... Args> [[nodiscard]] Handle make(Args&&... args) {
    return Handle(create(std::forward<Args>(args)...), this);
  }

  // A recycled object (after the reuse hook) when one is available, else a default-constructed T.
  [[nodiscard]] Handle acquire() {
    void* block = pop_block();
    if (block == nullptr) {
      return Handle();
    }
    auto bits = reinterpret_cast<std::uintptr_t>(block);
    if ((bits & detail::k_constructed_tag) != 0) {
      T* object = reinterpret_cast<T*>(bits & ~detail::k_constructed_tag);
      if (reuse_ != nullptr) {
        reuse_(*object);
      }
      return Handle(object, this);
    }
    return Handle(construct_in(block), this);
  }

  // Raw interface for code that manages lifetimes itself: create() returns nullptr when memory is
  // exhausted; destroy() accepts only pointers from create() or Handle::release() of this pool.
  template <class... Args> [[nodiscard]] T* create(Args&&... args) {
    void* block = pop_block();
    if (block == nullptr) {
      return nullptr;
    }
    auto bits = reinterpret_cast<std::uintptr_t>(block);
    if ((bits & detail::k_constructed_tag) != 0) {
      block = reinterpret_cast<void*>(bits & ~detail::k_constructed_tag);
      std::destroy_at(static_cast<T*>(block));
    }
    return construct_in(block, std::forward<Args>(args)...);
  }

  void destroy(T* object) noexcept {
    if (object == nullptr) {
      return;
    }
    if (checks_) [[unlikely]] {
      core_->check_release(object);
    }
    if (recycle_) {
      if (reset_ != nullptr) {
        reset_(*object);
      }
      core_->push(reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(object) | detail::k_constructed_tag),
                  cache_index_);
      return;
    }
    std::destroy_at(object);
    HONE_POOL_POISON(object, sizeof(T));
    core_->push(object, cache_index_);
  }

  // Objects currently handed out; counted only with debug checks on (0 otherwise).
  std::size_t live_objects() const noexcept { return core_ != nullptr ? core_->live_objects() : 0; }
  // Blocks owned by the pool, free or in use.
  std::size_t capacity() const noexcept { return core_ != nullptr ? core_->capacity() : 0; }

private:
  static void destroy_object(void* object) noexcept { std::destroy_at(static_cast<T*>(object)); }

  void* pop_block() noexcept {
    if (core_ == nullptr) [[unlikely]] {
      return nullptr;  // the core itself could not be allocated
    }
    void* block = core_->pop(cache_index_);
    if (checks_ && block != nullptr) [[unlikely]] {
      core_->note_acquired(block);
    }
    return block;
  }

  // Constructs in `block`; if the constructor throws, the block is returned before the exception
  // leaves (a guard object rather than try/catch, so this header also builds with -fno-exceptions).
  template <class... Args> T* construct_in(void* block, Args&&... args) {
    HONE_POOL_UNPOISON(block, sizeof(T));
    struct ReturnOnThrow {
      detail::ObjectPoolCore* core;
      void* block;
      ~ReturnOnThrow() {
        if (block != nullptr) {
          if (core->checks()) {
            core->check_release(block);
          }
          core->push(block, core->cache_index());
        }
      }
    } guard{core_, block};
    T* object = ::new (block) T(std::forward<Args>(args)...);
    guard.block = nullptr;
    return object;
  }

  void (*const reset_)(T&);
  void (*const reuse_)(T&);
  detail::ObjectPoolCore* const core_;
  // Copies of the core's settings, read on every operation without touching the core.
  const std::size_t cache_index_;
  const bool checks_;
  const bool recycle_;
};

}  // namespace hone
