// The scalar target: plain loops, one element at a time, in source order. It runs on every CPU, is
// the fallback when nothing better is available or allowed, and is the reference the other targets
// are tested against. Integer arithmetic goes through unsigned types so that wrap-around is defined
// behaviour, matching what the vector instructions do.
#include "kernel_table.h"

#include <cstdint>

namespace hone::simd::scalar_impl {
namespace {

using std::int32_t;
using std::int64_t;
using std::size_t;
using std::uint32_t;
using std::uint64_t;
using std::uint8_t;

int32_t wrap_add(int32_t x, int32_t y) {
  return static_cast<int32_t>(uint32_t(x) + uint32_t(y));
}
int32_t wrap_sub(int32_t x, int32_t y) {
  return static_cast<int32_t>(uint32_t(x) - uint32_t(y));
}
int32_t wrap_mul(int32_t x, int32_t y) {
  return static_cast<int32_t>(uint32_t(x) * uint32_t(y));
}
uint8_t wrap_add(uint8_t x, uint8_t y) {
  return static_cast<uint8_t>(x + y);
}
uint8_t wrap_sub(uint8_t x, uint8_t y) {
  return static_cast<uint8_t>(x - y);
}
float wrap_add(float x, float y) {
  return x + y;
}
float wrap_sub(float x, float y) {
  return x - y;
}
float wrap_mul(float x, float y) {
  return x * y;
}
double wrap_add(double x, double y) {
  return x + y;
}
double wrap_sub(double x, double y) {
  return x - y;
}
double wrap_mul(double x, double y) {
  return x * y;
}
float fused(float a, float b, float c) {
  return __builtin_fmaf(a, b, c);
}
double fused(double a, double b, double c) {
  return __builtin_fma(a, b, c);
}
int32_t fused(int32_t a, int32_t b, int32_t c) {
  return wrap_add(wrap_mul(a, b), c);
}

template <class T> bool is_nan(T x) {
  return x != x;  // false for every integer
}
template <class T> T no_candidate() {
  if constexpr (static_cast<T>(0.5) != 0) {
    return static_cast<T>(__builtin_nan(""));
  } else {
    return T{0};
  }
}

template <class T, bool k_min> ValueIndex<T> extreme(const T* a, size_t n) {
  size_t best = k_npos;
  for (size_t i = 0; i < n; ++i) {
    if (is_nan(a[i])) {
      continue;
    }
    if (best == k_npos || (k_min ? a[i] < a[best] : a[i] > a[best])) {
      best = i;
    }
  }
  return best == k_npos ? ValueIndex<T>{no_candidate<T>(), k_npos} : ValueIndex<T>{a[best], best};
}

template <class T> size_t count_eq(const T* a, size_t n, T value) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    count += a[i] == value ? 1 : 0;
  }
  return count;
}

template <class T> size_t find_eq(const T* a, size_t n, T value) {
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == value) {
      return i;
    }
  }
  return k_npos;
}

template <class T> T sum_fp(const T* a, size_t n) {
  T sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += a[i];
  }
  return sum;
}

template <class T> T dot_fp(const T* a, const T* b, size_t n) {
  T sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += a[i] * b[i];
  }
  return sum;
}

template <class T> void prefix(const T* a, T* out, size_t n) {
  T running = 0;
  for (size_t i = 0; i < n; ++i) {
    running = wrap_add(running, a[i]);
    out[i] = running;
  }
}

}  // namespace

#define HONE_ELEMENTWISE(name, op, T, suffix)                                                                          \
  void name##_##suffix(const T* a, const T* b, T* out, size_t n) noexcept {                                            \
    for (size_t i = 0; i < n; ++i) {                                                                                   \
      out[i] = op(a[i], b[i]);                                                                                         \
    }                                                                                                                  \
  }
HONE_ELEMENTWISE(add, wrap_add, float, f32)
HONE_ELEMENTWISE(add, wrap_add, double, f64)
HONE_ELEMENTWISE(add, wrap_add, int32_t, i32)
HONE_ELEMENTWISE(add, wrap_add, uint8_t, u8)
HONE_ELEMENTWISE(sub, wrap_sub, float, f32)
HONE_ELEMENTWISE(sub, wrap_sub, double, f64)
HONE_ELEMENTWISE(sub, wrap_sub, int32_t, i32)
HONE_ELEMENTWISE(sub, wrap_sub, uint8_t, u8)
HONE_ELEMENTWISE(mul, wrap_mul, float, f32)
HONE_ELEMENTWISE(mul, wrap_mul, double, f64)
HONE_ELEMENTWISE(mul, wrap_mul, int32_t, i32)
#undef HONE_ELEMENTWISE

#define HONE_ARITH(T, suffix)                                                                                          \
  void fma_##suffix(const T* a, const T* b, const T* c, T* out, size_t n) noexcept {                                   \
    for (size_t i = 0; i < n; ++i) {                                                                                   \
      out[i] = fused(a[i], b[i], c[i]);                                                                                \
    }                                                                                                                  \
  }                                                                                                                    \
  void scale_##suffix(const T* a, T s, T* out, size_t n) noexcept {                                                    \
    for (size_t i = 0; i < n; ++i) {                                                                                   \
      out[i] = wrap_mul(a[i], s);                                                                                      \
    }                                                                                                                  \
  }                                                                                                                    \
  void saxpy_##suffix(T alpha, const T* x, T* y, size_t n) noexcept {                                                  \
    for (size_t i = 0; i < n; ++i) {                                                                                   \
      y[i] = wrap_add(wrap_mul(alpha, x[i]), y[i]);                                                                    \
    }                                                                                                                  \
  }                                                                                                                    \
  void prefix_sum_##suffix(const T* a, T* out, size_t n) noexcept {                                                    \
    prefix(a, out, n);                                                                                                 \
  }
HONE_ARITH(float, f32)
HONE_ARITH(double, f64)
HONE_ARITH(int32_t, i32)
#undef HONE_ARITH

float sum_f32(const float* a, size_t n) noexcept {
  return sum_fp(a, n);
}
double sum_f64(const double* a, size_t n) noexcept {
  return sum_fp(a, n);
}
int64_t sum_i32(const int32_t* a, size_t n) noexcept {
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += static_cast<uint64_t>(static_cast<int64_t>(a[i]));
  }
  return static_cast<int64_t>(sum);
}
uint64_t sum_u8(const uint8_t* a, size_t n) noexcept {
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += a[i];
  }
  return sum;
}
float dot_f32(const float* a, const float* b, size_t n) noexcept {
  return dot_fp(a, b, n);
}
double dot_f64(const double* a, const double* b, size_t n) noexcept {
  return dot_fp(a, b, n);
}
int64_t dot_i32(const int32_t* a, const int32_t* b, size_t n) noexcept {
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += static_cast<uint64_t>(static_cast<int64_t>(a[i]) * b[i]);
  }
  return static_cast<int64_t>(sum);
}

#define HONE_SEARCH(T, suffix)                                                                                         \
  ValueIndex<T> min_##suffix(const T* a, size_t n) noexcept {                                                          \
    return extreme<T, true>(a, n);                                                                                     \
  }                                                                                                                    \
  ValueIndex<T> max_##suffix(const T* a, size_t n) noexcept {                                                          \
    return extreme<T, false>(a, n);                                                                                    \
  }                                                                                                                    \
  size_t count_##suffix(const T* a, size_t n, T value) noexcept {                                                      \
    return count_eq(a, n, value);                                                                                      \
  }                                                                                                                    \
  size_t find_##suffix(const T* a, size_t n, T value) noexcept {                                                       \
    return find_eq(a, n, value);                                                                                       \
  }
HONE_SEARCH(float, f32)
HONE_SEARCH(double, f64)
HONE_SEARCH(int32_t, i32)
HONE_SEARCH(uint8_t, u8)
#undef HONE_SEARCH

}  // namespace hone::simd::scalar_impl

namespace hone::simd::detail {
using namespace hone::simd::scalar_impl;
constinit const Kernels k_scalar_kernels = HONE_SIMD_KERNEL_TABLE(Target::scalar);
}  // namespace hone::simd::detail
