// hone::simd: vector kernels on contiguous arrays with run-time CPU dispatch.
//
// Every kernel exists once per target (scalar, SSE4.2, AVX2+FMA, AVX-512 on x86-64); the first call
// picks the best target this CPU supports and every later call goes through the same table of
// function pointers, so the choice is made once per process. HONE_SIMD_TARGETS (a comma-separated
// list such as "avx2,sse42,scalar") restricts the choice, e.g. to avoid AVX-512 frequency drops or to
// reproduce a result on an older machine. kernels_for(t) reaches one target's table directly (tests
// use it to compare every target against the scalar reference).
//
// Conventions (all kernels):
//   - n elements; pointers need no particular alignment; n == 0 is valid with any pointers.
//   - Element-wise kernels allow `out` to be exactly one of the inputs (in-place), not a partial
//     overlap.
//   - Integer arithmetic wraps (two's complement), like unsigned arithmetic; sums and dot products of
//     i32 are accumulated in 64 bits, of u8 in 64 bits.
//   - Floating-point reductions (sum, dot, prefix_sum) may add in a different order than a
//     sequential loop; the error stays within the classical bound for any summation order,
//     |computed - exact| <= (n - 1) * u * sum(|x_i|) with u = 2^-24 (f32) or 2^-53 (f64).
//   - fma is fused (one rounding) on every target. saxpy and dot may or may not fuse.
//   - min/max return the first index holding the smallest/largest value; NaNs are skipped. With no
//     candidate (n == 0 or all NaN) the index is k_npos and the value is NaN (0 for integers).
//   - find returns the first index equal to the value, or k_npos; count counts equal elements. For
//     floating point "equal" is ==, so NaN is never found and -0.0 finds +0.0.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hone::simd {

enum class Target : std::uint8_t { scalar = 0, sse42 = 1, avx2 = 2, avx512 = 3 };
inline constexpr int k_target_count = 4;
inline constexpr std::size_t k_npos = static_cast<std::size_t>(-1);

template <class T> struct ValueIndex {
  T value;
  std::size_t index;  // k_npos when there was no candidate
};

// One target's kernels. Function pointers rather than virtual functions: a call is one indirect
// jump through a table chosen once.
struct Kernels {
  Target target;

  void (*add_f32)(const float* a, const float* b, float* out, std::size_t n) noexcept;
  void (*add_f64)(const double* a, const double* b, double* out, std::size_t n) noexcept;
  void (*add_i32)(const std::int32_t* a, const std::int32_t* b, std::int32_t* out, std::size_t n) noexcept;
  void (*add_u8)(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t n) noexcept;
  void (*sub_f32)(const float* a, const float* b, float* out, std::size_t n) noexcept;
  void (*sub_f64)(const double* a, const double* b, double* out, std::size_t n) noexcept;
  void (*sub_i32)(const std::int32_t* a, const std::int32_t* b, std::int32_t* out, std::size_t n) noexcept;
  void (*sub_u8)(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t n) noexcept;
  void (*mul_f32)(const float* a, const float* b, float* out, std::size_t n) noexcept;
  void (*mul_f64)(const double* a, const double* b, double* out, std::size_t n) noexcept;
  void (*mul_i32)(const std::int32_t* a, const std::int32_t* b, std::int32_t* out, std::size_t n) noexcept;
  // out = a * b + c
  void (*fma_f32)(const float* a, const float* b, const float* c, float* out, std::size_t n) noexcept;
  void (*fma_f64)(const double* a, const double* b, const double* c, double* out, std::size_t n) noexcept;
  void (*fma_i32)(const std::int32_t* a, const std::int32_t* b, const std::int32_t* c, std::int32_t* out,
                  std::size_t n) noexcept;
  // out = a * s
  void (*scale_f32)(const float* a, float s, float* out, std::size_t n) noexcept;
  void (*scale_f64)(const double* a, double s, double* out, std::size_t n) noexcept;
  void (*scale_i32)(const std::int32_t* a, std::int32_t s, std::int32_t* out, std::size_t n) noexcept;
  // y = alpha * x + y
  void (*saxpy_f32)(float alpha, const float* x, float* y, std::size_t n) noexcept;
  void (*saxpy_f64)(double alpha, const double* x, double* y, std::size_t n) noexcept;
  void (*saxpy_i32)(std::int32_t alpha, const std::int32_t* x, std::int32_t* y, std::size_t n) noexcept;

  float (*sum_f32)(const float* a, std::size_t n) noexcept;
  double (*sum_f64)(const double* a, std::size_t n) noexcept;
  std::int64_t (*sum_i32)(const std::int32_t* a, std::size_t n) noexcept;
  std::uint64_t (*sum_u8)(const std::uint8_t* a, std::size_t n) noexcept;
  float (*dot_f32)(const float* a, const float* b, std::size_t n) noexcept;
  double (*dot_f64)(const double* a, const double* b, std::size_t n) noexcept;
  std::int64_t (*dot_i32)(const std::int32_t* a, const std::int32_t* b, std::size_t n) noexcept;

  ValueIndex<float> (*min_f32)(const float* a, std::size_t n) noexcept;
  ValueIndex<double> (*min_f64)(const double* a, std::size_t n) noexcept;
  ValueIndex<std::int32_t> (*min_i32)(const std::int32_t* a, std::size_t n) noexcept;
  ValueIndex<std::uint8_t> (*min_u8)(const std::uint8_t* a, std::size_t n) noexcept;
  ValueIndex<float> (*max_f32)(const float* a, std::size_t n) noexcept;
  ValueIndex<double> (*max_f64)(const double* a, std::size_t n) noexcept;
  ValueIndex<std::int32_t> (*max_i32)(const std::int32_t* a, std::size_t n) noexcept;
  ValueIndex<std::uint8_t> (*max_u8)(const std::uint8_t* a, std::size_t n) noexcept;

  // Inclusive prefix sum: out[i] = a[0] + ... + a[i]. out may equal a.
  void (*prefix_sum_f32)(const float* a, float* out, std::size_t n) noexcept;
  void (*prefix_sum_f64)(const double* a, double* out, std::size_t n) noexcept;
  void (*prefix_sum_i32)(const std::int32_t* a, std::int32_t* out, std::size_t n) noexcept;

  std::size_t (*count_f32)(const float* a, std::size_t n, float value) noexcept;
  std::size_t (*count_f64)(const double* a, std::size_t n, double value) noexcept;
  std::size_t (*count_i32)(const std::int32_t* a, std::size_t n, std::int32_t value) noexcept;
  std::size_t (*count_u8)(const std::uint8_t* a, std::size_t n, std::uint8_t value) noexcept;
  std::size_t (*find_f32)(const float* a, std::size_t n, float value) noexcept;
  std::size_t (*find_f64)(const double* a, std::size_t n, double value) noexcept;
  std::size_t (*find_i32)(const std::int32_t* a, std::size_t n, std::int32_t value) noexcept;
  std::size_t (*find_u8)(const std::uint8_t* a, std::size_t n, std::uint8_t value) noexcept;
};

// The kernels of the active target (chosen on first call, then fixed for the process).
const Kernels& kernels() noexcept;
// The active target.
Target active_target() noexcept;
// A target's kernels when it was compiled in and this CPU supports it (ignoring HONE_SIMD_TARGETS);
// nullptr otherwise. kernels_for(Target::scalar) is never null.
const Kernels* kernels_for(Target target) noexcept;
// "scalar", "sse42", "avx2", "avx512".
const char* target_name(Target target) noexcept;
// Whether this CPU (and OS) can run the target, whether or not it was compiled in.
bool cpu_supports(Target target) noexcept;

// Convenience overloads that call the active target's kernels.
#define HONE_SIMD_ELEMENTWISE(name, T, suffix)                                                                         \
  inline void name(const T* a, const T* b, T* out, std::size_t n) noexcept {                                           \
    kernels().name##_##suffix(a, b, out, n);                                                                           \
  }
HONE_SIMD_ELEMENTWISE(add, float, f32)
HONE_SIMD_ELEMENTWISE(add, double, f64)
HONE_SIMD_ELEMENTWISE(add, std::int32_t, i32)
HONE_SIMD_ELEMENTWISE(add, std::uint8_t, u8)
HONE_SIMD_ELEMENTWISE(sub, float, f32)
HONE_SIMD_ELEMENTWISE(sub, double, f64)
HONE_SIMD_ELEMENTWISE(sub, std::int32_t, i32)
HONE_SIMD_ELEMENTWISE(sub, std::uint8_t, u8)
HONE_SIMD_ELEMENTWISE(mul, float, f32)
HONE_SIMD_ELEMENTWISE(mul, double, f64)
HONE_SIMD_ELEMENTWISE(mul, std::int32_t, i32)
#undef HONE_SIMD_ELEMENTWISE

#define HONE_SIMD_FOR_NUMERIC(X)                                                                                       \
  X(float, f32)                                                                                                        \
  X(double, f64)                                                                                                       \
  X(std::int32_t, i32)

#define HONE_SIMD_ARITH(T, suffix)                                                                                     \
  inline void fma(const T* a, const T* b, const T* c, T* out, std::size_t n) noexcept {                                \
    kernels().fma_##suffix(a, b, c, out, n);                                                                           \
  }                                                                                                                    \
  inline void scale(const T* a, T s, T* out, std::size_t n) noexcept {                                                 \
    kernels().scale_##suffix(a, s, out, n);                                                                            \
  }                                                                                                                    \
  inline void saxpy(T alpha, const T* x, T* y, std::size_t n) noexcept {                                               \
    kernels().saxpy_##suffix(alpha, x, y, n);                                                                          \
  }                                                                                                                    \
  inline void prefix_sum(const T* a, T* out, std::size_t n) noexcept {                                                 \
    kernels().prefix_sum_##suffix(a, out, n);                                                                          \
  }
HONE_SIMD_FOR_NUMERIC(HONE_SIMD_ARITH)
#undef HONE_SIMD_ARITH
#undef HONE_SIMD_FOR_NUMERIC

namespace detail {
// Below this many elements a call through the dispatch table (an out-of-line kernels(), then an
// indirect call) costs more than the work: at n = 4 the dispatched sum took 5.6 ns where the plain loop
// took 3.6 (docs/runtime.md). Shorter arrays are summed here, inline at the call site, with two partial
// sums so the adds do not form one long dependency chain; any order is within the documented bound.
inline constexpr std::size_t k_inline_reduction_max = 16;

template <class T> inline T small_sum(const T* a, std::size_t n) noexcept {
  T even = 0, odd = 0;
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    even += a[i];
    odd += a[i + 1];
  }
  if (i < n) even += a[i];
  return even + odd;
}

template <class T> inline T small_dot(const T* a, const T* b, std::size_t n) noexcept {
  T even = 0, odd = 0;
  std::size_t i = 0;
  for (; i + 1 < n; i += 2) {
    even += a[i] * b[i];
    odd += a[i + 1] * b[i + 1];
  }
  if (i < n) even += a[i] * b[i];
  return even + odd;
}
}  // namespace detail

inline float sum(const float* a, std::size_t n) noexcept {
  if (n < detail::k_inline_reduction_max) return detail::small_sum(a, n);
  return kernels().sum_f32(a, n);
}
inline double sum(const double* a, std::size_t n) noexcept {
  if (n < detail::k_inline_reduction_max) return detail::small_sum(a, n);
  return kernels().sum_f64(a, n);
}
inline std::int64_t sum(const std::int32_t* a, std::size_t n) noexcept {
  return kernels().sum_i32(a, n);
}
inline std::uint64_t sum(const std::uint8_t* a, std::size_t n) noexcept {
  return kernels().sum_u8(a, n);
}
inline float dot(const float* a, const float* b, std::size_t n) noexcept {
  if (n < detail::k_inline_reduction_max) return detail::small_dot(a, b, n);
  return kernels().dot_f32(a, b, n);
}
inline double dot(const double* a, const double* b, std::size_t n) noexcept {
  if (n < detail::k_inline_reduction_max) return detail::small_dot(a, b, n);
  return kernels().dot_f64(a, b, n);
}
inline std::int64_t dot(const std::int32_t* a, const std::int32_t* b, std::size_t n) noexcept {
  return kernels().dot_i32(a, b, n);
}

namespace detail {
// min/max/count/find below this many elements run inline for the same reason as sum and dot: at n = 4
// the dispatched min took 14 ns and count/find 4-5 ns against about 3 ns for a plain loop
// (docs/runtime.md). Same semantics as the kernels: NaNs skipped, first index wins, == comparisons.
inline constexpr std::size_t k_inline_search_max = 16;

template <class T> inline bool is_nan(T x) noexcept {
  return x != x;  // false for every integer
}

template <class T, bool k_min> inline ValueIndex<T> small_extreme(const T* a, std::size_t n) noexcept {
  std::size_t best = k_npos;
  for (std::size_t i = 0; i < n; ++i) {
    if (is_nan(a[i])) continue;
    if (best == k_npos || (k_min ? a[i] < a[best] : a[i] > a[best])) best = i;
  }
  if (best != k_npos) return {a[best], best};
  if constexpr (static_cast<T>(0.5) != 0) {
    return {static_cast<T>(__builtin_nan("")), k_npos};
  } else {
    return {T{0}, k_npos};
  }
}

template <class T> inline std::size_t small_count(const T* a, std::size_t n, T value) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += a[i] == value;
  return count;
}

template <class T> inline std::size_t small_find(const T* a, std::size_t n, T value) noexcept {
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] == value) return i;
  return k_npos;
}
}  // namespace detail

#define HONE_SIMD_SEARCH(T, suffix)                                                                                    \
  inline ValueIndex<T> min(const T* a, std::size_t n) noexcept {                                                       \
    if (n < detail::k_inline_search_max) return detail::small_extreme<T, true>(a, n);                                  \
    return kernels().min_##suffix(a, n);                                                                               \
  }                                                                                                                    \
  inline ValueIndex<T> max(const T* a, std::size_t n) noexcept {                                                       \
    if (n < detail::k_inline_search_max) return detail::small_extreme<T, false>(a, n);                                 \
    return kernels().max_##suffix(a, n);                                                                               \
  }                                                                                                                    \
  inline std::size_t count(const T* a, std::size_t n, T value) noexcept {                                              \
    if (n < detail::k_inline_search_max) return detail::small_count(a, n, value);                                      \
    return kernels().count_##suffix(a, n, value);                                                                      \
  }                                                                                                                    \
  inline std::size_t find(const T* a, std::size_t n, T value) noexcept {                                               \
    if (n < detail::k_inline_search_max) return detail::small_find(a, n, value);                                       \
    return kernels().find_##suffix(a, n, value);                                                                       \
  }
HONE_SIMD_SEARCH(float, f32)
HONE_SIMD_SEARCH(double, f64)
HONE_SIMD_SEARCH(std::int32_t, i32)
HONE_SIMD_SEARCH(std::uint8_t, u8)
#undef HONE_SIMD_SEARCH

}  // namespace hone::simd
