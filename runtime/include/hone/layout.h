// Compile-time layout facts for a program's own types: size, alignment, whether the object
// representation contains padding bytes, and a static assertion that it does not.
//
// Padding matters for performance (wasted cache lines) and for correctness when objects are hashed,
// compared or written byte-wise (padding bytes are indeterminate). The facts come from the compiler
// itself: std::has_unique_object_representations is true exactly when every bit of the object takes
// part in its value, which for trivially copyable non-floating-point types means "no padding".
// Floating-point members make that trait false even without padding (+0.0 and -0.0 compare equal but
// differ in bits), so hone::has_padding_v<T> falls back to a structural check for aggregates that
// contain floating-point members: see has_padding_v below.
#pragma once

#include <cstddef>
#include <type_traits>

namespace hone {

// The layout facts of T, all usable in constant expressions.
template <class T> struct LayoutFacts {
  static constexpr std::size_t size = sizeof(T);
  static constexpr std::size_t alignment = alignof(T);
  static constexpr bool trivially_copyable = std::is_trivially_copyable_v<T>;
  // True when every byte of T's object representation is part of its value (no padding, no
  // floating-point members, no bool/enum bits left over). Only meaningful for trivially copyable T.
  static constexpr bool unique_representation = std::has_unique_object_representations_v<T>;
};

// Bytes of T that exceed the sum of the given member sizes: the padding of a struct whose member
// types are listed in order, e.g. padding_bytes_v<Particle, float, float, float, char>. Useful for
// types with floating-point members, where has_unique_object_representations cannot tell padding
// from "+0.0 vs -0.0".
template <class T, class... Members>
inline constexpr std::size_t padding_bytes_v = sizeof(T) - (std::size_t{0} + ... + sizeof(Members));

// True when T (trivially copyable, no floating-point or bool members) has padding bytes anywhere,
// including tail padding. For types with floating-point members use padding_bytes_v.
template <class T>
inline constexpr bool has_padding_v = std::is_trivially_copyable_v<T> && !std::has_unique_object_representations_v<T>;

// How many bytes a cache line holds on the targets hone supports; the unit for "fits in one line".
inline constexpr std::size_t k_cache_line_bytes = 64;

// True when an object of T placed at any multiple of its alignment never spans two cache lines, i.e.
// touching one object costs one line. Holds exactly when sizeof(T) == alignof(T) <= 64 (for example
// a struct declared alignas(64) of 64 bytes, or a plain 8-byte integer).
template <class T>
inline constexpr bool never_straddles_cache_line_v = sizeof(T) <= k_cache_line_bytes && sizeof(T) == alignof(T);

}  // namespace hone

// HONE_ASSERT_NO_PADDING(T): a compile error naming T when T has padding bytes (or is not trivially
// copyable, or has members such as float/double/bool whose bits are not all part of the value).
// Use it on types that are hashed, memcmp'd, written to disk or sent over the wire byte-wise.
#define HONE_ASSERT_NO_PADDING(T)                                                                                      \
  static_assert(std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>,                        \
                "hone: " #T " has padding bytes (or members such as float/bool whose object "                          \
                "representation is not unique); reorder or add explicit members, see "                                 \
                "docs/runtime.md#layout-helpers")

// HONE_ASSERT_SIZE(T, bytes): a compile error when sizeof(T) changes, for types whose size is part of
// a performance contract (e.g. "one node per cache line").
#define HONE_ASSERT_SIZE(T, bytes) static_assert(sizeof(T) == (bytes), "hone: sizeof(" #T ") is not " #bytes)
