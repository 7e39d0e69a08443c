// hone::Arena: monotonic bump allocation with markers and reset, also a std::pmr::memory_resource.
//
// Allocation moves a pointer forward inside the current chunk; nothing is freed one object at a time.
// Instead a Marker records the current position and rewind(marker) frees everything allocated after
// it at once, and reset() frees everything — the pattern of per-frame, per-request or per-phase
// scratch memory. Chunks are kept for reuse after rewind/reset, so a steady-state loop allocates from
// upstream only in its first iteration. An optional caller-owned buffer (for example on the stack) is
// used before any chunk is requested. Under AddressSanitizer, memory given back by rewind/reset is
// poisoned so a stale pointer into it is reported at its first use.
//
// One Arena is meant for one thread at a time. Destructors of objects placed in an arena are not run:
// make<T>() accepts only trivially destructible types for that reason.
#pragma once

#include "hone/detail/pool_common.h"

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <type_traits>
#include <utility>

namespace hone {

struct ArenaOptions {
  // Size of the first chunk requested from upstream; later chunks double up to max_chunk_bytes.
  // Requests larger than that get a chunk of their own.
  std::size_t first_chunk_bytes = 4096;
  std::size_t max_chunk_bytes = std::size_t{1} << 20;
  // Detect markers that belong to another arena or to memory already rewound past, and abort with a
  // message.
  bool debug_checks = k_pool_checks_default;
  std::pmr::memory_resource* upstream = std::pmr::new_delete_resource();
};

class Arena final : public std::pmr::memory_resource {
public:
  struct Chunk;

  // A position in the arena, from mark(). Rewinding to it frees what was allocated after it.
  class Marker {
  public:
    Marker() = default;

  private:
    friend class Arena;
    Marker(const Arena* arena, Chunk* chunk, char* position) noexcept
        : arena_(arena), chunk_(chunk), position_(position) {}
    const Arena* arena_ = nullptr;
    Chunk* chunk_ = nullptr;
    char* position_ = nullptr;
  };

  explicit Arena(ArenaOptions options = {}) noexcept;
  // Uses [buffer, buffer + bytes) first; the buffer stays owned by the caller and must outlive the
  // arena.
  Arena(void* buffer, std::size_t bytes, ArenaOptions options = {}) noexcept;
  ~Arena() override;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // bytes of memory aligned to alignment (a power of two), or nullptr when upstream is exhausted.
  void* allocate_bytes(std::size_t bytes, std::size_t alignment = alignof(std::max_align_t)) noexcept {
    auto current = reinterpret_cast<std::uintptr_t>(cursor_);
    std::uintptr_t aligned = (current + alignment - 1) & ~(std::uintptr_t{alignment} - 1);
    // (alignment is usually a constant, so the power-of-two test folds away)
    if (aligned + bytes <= reinterpret_cast<std::uintptr_t>(end_) && aligned >= current && aligned != 0 &&
        (alignment & (alignment - 1)) == 0) [[likely]] {
      cursor_ = reinterpret_cast<char*>(aligned + bytes);
      HONE_POOL_UNPOISON(reinterpret_cast<void*>(aligned), bytes);
      return reinterpret_cast<void*>(aligned);
    }
    return allocate_slow(bytes, alignment);
  }

  // Constructs a T in the arena (nullptr when out of memory). T's destructor will never run, so T
  // must be trivially destructible.
  template <class T, class... Args> T* make(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    static_assert(std::is_trivially_destructible_v<T>,
                  "hone::Arena::make: T's destructor would never run; use a std::pmr container "
                  "with the arena as its resource instead");
    void* memory = allocate_bytes(sizeof(T), alignof(T));
    return memory == nullptr ? nullptr : ::new (memory) T(std::forward<Args>(args)...);
  }

  Marker mark() const noexcept { return Marker(this, current_, cursor_); }
  // Frees everything allocated after `marker` was taken. The marker must come from this arena and
  // must not lie beyond the current position (checked in debug mode).
  void rewind(Marker marker) noexcept;
  // Frees everything; chunks are kept for reuse (release() gives them back to upstream).
  void reset() noexcept;
  // Frees everything and gives every chunk back to upstream.
  void release() noexcept;

  // Bytes handed out since construction or the last reset (alignment gaps included).
  std::size_t bytes_used() const noexcept;
  // Bytes the arena holds in chunks (caller's buffer included).
  std::size_t bytes_reserved() const noexcept;

protected:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void*, std::size_t, std::size_t) override {}  // freed by rewind/reset
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

private:
  void* allocate_slow(std::size_t bytes, std::size_t alignment) noexcept;
  void enter(Chunk* chunk, char* position) noexcept;
  void poison_after_cursor() noexcept;

  char* cursor_ = nullptr;
  char* end_ = nullptr;
  Chunk* first_ = nullptr;  // chunks in the order they are used; all after current_ are free
  Chunk* current_ = nullptr;
  std::size_t next_chunk_bytes_;
  std::size_t max_chunk_bytes_;
  bool checks_;
  std::pmr::memory_resource* upstream_;
};

}  // namespace hone
