// The usable size of a heap block, the figure both counting libraries add on allocation and subtract
// on free.
//
// malloc_usable_size() is a call through the PLT into a function with several checks; measured on
// the bare new/delete pair benchmark it made tracking cost ~40% instead of ~6% (docs/runtime.md). When
// the process's malloc is glibc's own, the same figure is one load away: glibc keeps each block's
// chunk size in the word before it (low bits are flags; bit 1 marks an mmap'd chunk, which has a
// two-word header instead of one). usable_size() reads that word — but only after checking, once per
// process, that malloc and free really are glibc's (no other allocator or sanitizer interposed) and that
// the header gives exactly malloc_usable_size()'s answer for blocks of every kind (small, aligned,
// large and mmap'd). Otherwise it calls malloc_usable_size().
#pragma once

#include <atomic>
#include <cstddef>
#include <malloc.h>

extern "C" {
void* __libc_malloc(std::size_t size);
void __libc_free(void* block);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* block, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void* __libc_valloc(std::size_t size);
void* __libc_pvalloc(std::size_t size);
}

namespace hone::alloc::detail {

inline constexpr int k_usable_unknown = 0;
inline constexpr int k_usable_chunk_header = 1;
inline constexpr int k_usable_library_call = 2;

extern constinit std::atomic<int> g_usable_size_mode;
int detect_usable_size_mode() noexcept;  // decides, stores and returns the mode

// The chunk size minus its header: one word, two for an mmap'd chunk (flag bit 1).
inline std::size_t glibc_chunk_usable_size(const void* block) noexcept {
  const std::size_t header = static_cast<const std::size_t*>(block)[-1];
  return (header & ~std::size_t{7}) - sizeof(std::size_t) - ((header & 2) * (sizeof(std::size_t) / 2));
}

// Everything but the common case: deciding the mode the first time, and the library call.
std::size_t usable_size_slow(void* block, int mode) noexcept;

inline std::size_t usable_size(void* block) noexcept {
  const int mode = g_usable_size_mode.load(std::memory_order_relaxed);
  if (__builtin_expect(mode == k_usable_chunk_header, 1)) return glibc_chunk_usable_size(block);
  return usable_size_slow(block, mode);
}

}  // namespace hone::alloc::detail
