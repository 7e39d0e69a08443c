// The AVX-512 target (512-bit vectors; compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl on top
// of the AVX2 flags): the ops the shared vector kernels in kernels_vector.inc need, for f32, f64, i32
// and u8. Comparisons produce mask registers directly; the in-vector prefix scan shifts whole lanes
// with a zero-masked permute, log2(N) steps.
#include "kernel_table.h"

#include <immintrin.h>

#include <cstdint>

namespace hone::simd::avx512_impl {
namespace {

struct F32 {
  using T = float;
  using V = __m512;
  static constexpr std::size_t N = 16;
  static constexpr bool k_fused = true;
  static V load(const T* p) { return _mm512_loadu_ps(p); }
  static void store(T* p, V v) { _mm512_storeu_ps(p, v); }
  static V set1(T x) { return _mm512_set1_ps(x); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V mul_add(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V min(V a, V b) { return _mm512_min_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static V broadcast_last(V x) { return _mm512_permutexvar_ps(_mm512_set1_epi32(15), x); }
  static V prefix(V x) {
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    for (int shift = 1; shift < 16; shift *= 2) {
      __m512i from = _mm512_sub_epi32(lane, _mm512_set1_epi32(shift));
      auto keep = static_cast<__mmask16>(0xFFFFu << shift);
      x = _mm512_add_ps(x, _mm512_maskz_permutexvar_ps(keep, from, x));
    }
    return x;
  }
};

struct F64 {
  using T = double;
  using V = __m512d;
  static constexpr std::size_t N = 8;
  static constexpr bool k_fused = true;
  static V load(const T* p) { return _mm512_loadu_pd(p); }
  static void store(T* p, V v) { _mm512_storeu_pd(p, v); }
  static V set1(T x) { return _mm512_set1_pd(x); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V mul_add(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V min(V a, V b) { return _mm512_min_pd(a, b); }
  static V max(V a, V b) { return _mm512_max_pd(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
  static V broadcast_last(V x) { return _mm512_permutexvar_pd(_mm512_set1_epi64(7), x); }
  static V prefix(V x) {
    const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    for (int shift = 1; shift < 8; shift *= 2) {
      __m512i from = _mm512_sub_epi64(lane, _mm512_set1_epi64(shift));
      auto keep = static_cast<__mmask8>(0xFFu << shift);
      x = _mm512_add_pd(x, _mm512_maskz_permutexvar_pd(keep, from, x));
    }
    return x;
  }
};

struct I32 {
  using T = std::int32_t;
  using V = __m512i;
  using W = __m512i;
  static constexpr std::size_t N = 16;
  static constexpr bool k_fused = true;
  static V load(const T* p) { return _mm512_loadu_si512(p); }
  static void store(T* p, V v) { _mm512_storeu_si512(p, v); }
  static V set1(T x) { return _mm512_set1_epi32(x); }
  static V add(V a, V b) { return _mm512_add_epi32(a, b); }
  static V sub(V a, V b) { return _mm512_sub_epi32(a, b); }
  static V mul(V a, V b) { return _mm512_mullo_epi32(a, b); }
  static V mul_add(V a, V b, V c) { return _mm512_add_epi32(_mm512_mullo_epi32(a, b), c); }
  static V min(V a, V b) { return _mm512_min_epi32(a, b); }
  static V max(V a, V b) { return _mm512_max_epi32(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return _mm512_cmpeq_epi32_mask(a, b); }
  static V broadcast_last(V x) { return _mm512_permutexvar_epi32(_mm512_set1_epi32(15), x); }
  static V prefix(V x) {
    const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    for (int shift = 1; shift < 16; shift *= 2) {
      __m512i from = _mm512_sub_epi32(lane, _mm512_set1_epi32(shift));
      auto keep = static_cast<__mmask16>(0xFFFFu << shift);
      x = _mm512_add_epi32(x, _mm512_maskz_permutexvar_epi32(keep, from, x));
    }
    return x;
  }
  static W wide_zero() { return _mm512_setzero_si512(); }
  static W wide_add(W a, W b) { return _mm512_add_epi64(a, b); }
  static W wide_sum(V v) {
    return _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(v)),
                            _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v, 1)));
  }
  static W wide_dot(V a, V b) {
    __m512i even = _mm512_mul_epi32(a, b);
    __m512i odd = _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));
    return _mm512_add_epi64(even, odd);
  }
};

struct U8 {
  using T = std::uint8_t;
  using V = __m512i;
  using W = __m512i;
  static constexpr std::size_t N = 64;
  static V load(const T* p) { return _mm512_loadu_si512(p); }
  static void store(T* p, V v) { _mm512_storeu_si512(p, v); }
  static V set1(T x) { return _mm512_set1_epi8(static_cast<char>(x)); }
  static V add(V a, V b) { return _mm512_add_epi8(a, b); }
  static V sub(V a, V b) { return _mm512_sub_epi8(a, b); }
  static V min(V a, V b) { return _mm512_min_epu8(a, b); }
  static V max(V a, V b) { return _mm512_max_epu8(a, b); }
  static std::uint64_t eq_mask(V a, V b) { return _mm512_cmpeq_epi8_mask(a, b); }
  static W wide_zero() { return _mm512_setzero_si512(); }
  static W wide_add(W a, W b) { return _mm512_add_epi64(a, b); }
  static W wide_sum(V v) { return _mm512_sad_epu8(v, _mm512_setzero_si512()); }
};

}  // namespace

#include "kernels_vector.inc"

}  // namespace hone::simd::avx512_impl

namespace hone::simd::detail {
using namespace hone::simd::avx512_impl;
constinit const Kernels k_avx512_kernels = HONE_SIMD_KERNEL_TABLE(Target::avx512);
}  // namespace hone::simd::detail
