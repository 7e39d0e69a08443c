// Pieces shared by the three pools (FixedPool, Arena, ObjectPool): the default for the debug checks,
// the one error path every detected misuse goes through, and AddressSanitizer annotations.
//
// Debug checks are a per-pool run-time option rather than an #ifdef inside the library, so one
// compiled libhone_runtime serves both debug and release builds of a user's program. They are opt-in:
// the option's default is off unless the *user's* translation unit defines HONE_POOL_CHECKS=1. It
// deliberately ignores NDEBUG: a plain `g++ -O2`, CMake without a build type or Meson's `release`
// keep asserts, and tying the checks to them made every pool operation take a mutex (5-7x slower than
// malloc) in builds their authors believed were optimized (issue 14).
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define HONE_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HONE_HAS_ASAN 1
#endif
#endif
#ifdef HONE_HAS_ASAN
#include <sanitizer/asan_interface.h>
#define HONE_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define HONE_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define HONE_POOL_POISON(p, n) ((void)(p), (void)(n))
#define HONE_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#ifndef HONE_POOL_CHECKS
#define HONE_POOL_CHECKS 0
#endif

namespace hone {

// Default of every pool's debug_checks option: on with -DHONE_POOL_CHECKS=1 (or the CMake option /
// package variable HONE_POOL_CHECKS), off otherwise, NDEBUG or not.
inline constexpr bool k_pool_checks_default = HONE_POOL_CHECKS != 0;

namespace detail {

// Reports a misuse of a pool ("double free", "foreign pointer", ...) on stderr as
//   hone: error: <pool>: <what> (pointer 0x...): <hint>
// and aborts: continuing after a corrupted free list would only move the crash somewhere else.
[[noreturn]] void pool_misuse(const char* pool, const char* what, const void* pointer, const char* hint) noexcept;

constexpr std::size_t round_up(std::size_t value, std::size_t multiple) noexcept {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace detail
}  // namespace hone
