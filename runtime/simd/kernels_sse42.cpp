// The SSE4.2 target (128-bit vectors; compiled with -msse4.2 -mpopcnt): the ops the shared vector
// kernels in kernels_vector.inc need, written with SSE intrinsics, for f32, f64, i32 and u8.
// SSE4.2 has no fused multiply-add, so mul_add is a multiply then an add (k_fused = false) and the
// fma kernel falls back to the C library's fma per element to keep its one-rounding promise.
#include "kernel_table.h"

#include <immintrin.h>

#include <cstdint>

namespace hone::simd::sse42_impl {
namespace {

struct F32 {
  using T = float;
  using V = __m128;
  static constexpr std::size_t N = 4;
  static constexpr bool k_fused = false;
  static V load(const T* p) { return _mm_loadu_ps(p); }
  static void store(T* p, V v) { _mm_storeu_ps(p, v); }
  static V set1(T x) { return _mm_set1_ps(x); }
  static V add(V a, V b) { return _mm_add_ps(a, b); }
  static V sub(V a, V b) { return _mm_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm_mul_ps(a, b); }
  static V mul_add(V a, V b, V c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  static V min(V a, V b) { return _mm_min_ps(a, b); }
  static V max(V a, V b) { return _mm_max_ps(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return static_cast<std::uint32_t>(_mm_movemask_ps(_mm_cmpeq_ps(a, b))); }
  static V broadcast_last(V x) { return _mm_shuffle_ps(x, x, 0xFF); }
  static V prefix(V x) {
    x = _mm_add_ps(x, _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(x), 4)));
    return _mm_add_ps(x, _mm_castsi128_ps(_mm_slli_si128(_mm_castps_si128(x), 8)));
  }
};

struct F64 {
  using T = double;
  using V = __m128d;
  static constexpr std::size_t N = 2;
  static constexpr bool k_fused = false;
  static V load(const T* p) { return _mm_loadu_pd(p); }
  static void store(T* p, V v) { _mm_storeu_pd(p, v); }
  static V set1(T x) { return _mm_set1_pd(x); }
  static V add(V a, V b) { return _mm_add_pd(a, b); }
  static V sub(V a, V b) { return _mm_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm_mul_pd(a, b); }
  static V mul_add(V a, V b, V c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
  static V min(V a, V b) { return _mm_min_pd(a, b); }
  static V max(V a, V b) { return _mm_max_pd(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return static_cast<std::uint32_t>(_mm_movemask_pd(_mm_cmpeq_pd(a, b))); }
  static V broadcast_last(V x) { return _mm_unpackhi_pd(x, x); }
  static V prefix(V x) { return _mm_add_pd(x, _mm_castsi128_pd(_mm_slli_si128(_mm_castpd_si128(x), 8))); }
};

struct I32 {
  using T = std::int32_t;
  using V = __m128i;
  using W = __m128i;  // two 64-bit lanes
  static constexpr std::size_t N = 4;
  static constexpr bool k_fused = false;
  static V load(const T* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static void store(T* p, V v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
  static V set1(T x) { return _mm_set1_epi32(x); }
  static V add(V a, V b) { return _mm_add_epi32(a, b); }
  static V sub(V a, V b) { return _mm_sub_epi32(a, b); }
  static V mul(V a, V b) { return _mm_mullo_epi32(a, b); }
  static V mul_add(V a, V b, V c) { return _mm_add_epi32(_mm_mullo_epi32(a, b), c); }
  static V min(V a, V b) { return _mm_min_epi32(a, b); }
  static V max(V a, V b) { return _mm_max_epi32(a, b); }
  static std::uint64_t eq_mask(V a, V b) {
    return static_cast<std::uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(a, b))));
  }
  static V broadcast_last(V x) { return _mm_shuffle_epi32(x, 0xFF); }
  static V prefix(V x) {
    x = _mm_add_epi32(x, _mm_slli_si128(x, 4));
    return _mm_add_epi32(x, _mm_slli_si128(x, 8));
  }
  static W wide_zero() { return _mm_setzero_si128(); }
  static W wide_add(W a, W b) { return _mm_add_epi64(a, b); }
  static W wide_sum(V v) { return _mm_add_epi64(_mm_cvtepi32_epi64(v), _mm_cvtepi32_epi64(_mm_srli_si128(v, 8))); }
  static W wide_dot(V a, V b) {
    __m128i even = _mm_mul_epi32(a, b);
    __m128i odd = _mm_mul_epi32(_mm_srli_epi64(a, 32), _mm_srli_epi64(b, 32));
    return _mm_add_epi64(even, odd);
  }
};

struct U8 {
  using T = std::uint8_t;
  using V = __m128i;
  using W = __m128i;
  static constexpr std::size_t N = 16;
  static V load(const T* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static void store(T* p, V v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
  static V set1(T x) { return _mm_set1_epi8(static_cast<char>(x)); }
  static V add(V a, V b) { return _mm_add_epi8(a, b); }
  static V sub(V a, V b) { return _mm_sub_epi8(a, b); }
  static V min(V a, V b) { return _mm_min_epu8(a, b); }
  static V max(V a, V b) { return _mm_max_epu8(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, b))); }
  static W wide_zero() { return _mm_setzero_si128(); }
  static W wide_add(W a, W b) { return _mm_add_epi64(a, b); }
  static W wide_sum(V v) { return _mm_sad_epu8(v, _mm_setzero_si128()); }
};

}  // namespace

#include "kernels_vector.inc"

}  // namespace hone::simd::sse42_impl

namespace hone::simd::detail {
using namespace hone::simd::sse42_impl;
constinit const Kernels k_sse42_kernels = HONE_SIMD_KERNEL_TABLE(Target::sse42);
}  // namespace hone::simd::detail
