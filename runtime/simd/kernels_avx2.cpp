// The AVX2+FMA target (256-bit vectors; compiled with -mavx2 -mfma -mbmi -mbmi2 -mpopcnt): the ops
// the shared vector kernels in kernels_vector.inc need, for f32, f64, i32 and u8. mul_add is a fused
// multiply-add. AVX2's byte shifts work inside each 128-bit half, so the in-vector prefix scan
// finishes by adding the low half's last element to the high half.
#include "kernel_table.h"

#include <immintrin.h>

#include <cstdint>

namespace hone::simd::avx2_impl {
namespace {

struct F32 {
  using T = float;
  using V = __m256;
  static constexpr std::size_t N = 8;
  static constexpr bool k_fused = true;
  static V load(const T* p) { return _mm256_loadu_ps(p); }
  static void store(T* p, V v) { _mm256_storeu_ps(p, v); }
  static V set1(T x) { return _mm256_set1_ps(x); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V mul_add(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V min(V a, V b) { return _mm256_min_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static std::uint64_t eq_mask(V a, V b) {
    return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_EQ_OQ)));
  }
  static V broadcast_last(V x) { return _mm256_permutevar8x32_ps(x, _mm256_set1_epi32(7)); }
  static V prefix(V x) {
    x = _mm256_add_ps(x, _mm256_castsi256_ps(_mm256_slli_si256(_mm256_castps_si256(x), 4)));
    x = _mm256_add_ps(x, _mm256_castsi256_ps(_mm256_slli_si256(_mm256_castps_si256(x), 8)));
    V low_last = _mm256_permutevar8x32_ps(x, _mm256_set1_epi32(3));
    return _mm256_add_ps(x, _mm256_blend_ps(_mm256_setzero_ps(), low_last, 0xF0));
  }
};

struct F64 {
  using T = double;
  using V = __m256d;
  static constexpr std::size_t N = 4;
  static constexpr bool k_fused = true;
  static V load(const T* p) { return _mm256_loadu_pd(p); }
  static void store(T* p, V v) { _mm256_storeu_pd(p, v); }
  static V set1(T x) { return _mm256_set1_pd(x); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V mul_add(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static V min(V a, V b) { return _mm256_min_pd(a, b); }
  static V max(V a, V b) { return _mm256_max_pd(a, b); }
  static std::uint64_t eq_mask(V a, V b) {
    return static_cast<std::uint32_t>(_mm256_movemask_pd(_mm256_cmp_pd(a, b, _CMP_EQ_OQ)));
  }
  static V broadcast_last(V x) { return _mm256_permute4x64_pd(x, 0xFF); }
  static V prefix(V x) {
    x = _mm256_add_pd(x, _mm256_castsi256_pd(_mm256_slli_si256(_mm256_castpd_si256(x), 8)));
    V low_last = _mm256_permute4x64_pd(x, 0x55);
    return _mm256_add_pd(x, _mm256_blend_pd(_mm256_setzero_pd(), low_last, 0xC));
  }
};

struct I32 {
  using T = std::int32_t;
  using V = __m256i;
  using W = __m256i;
  static constexpr std::size_t N = 8;
  static constexpr bool k_fused = true;  // integer multiply-add is exact either way
  static V load(const T* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static void store(T* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  static V set1(T x) { return _mm256_set1_epi32(x); }
  static V add(V a, V b) { return _mm256_add_epi32(a, b); }
  static V sub(V a, V b) { return _mm256_sub_epi32(a, b); }
  static V mul(V a, V b) { return _mm256_mullo_epi32(a, b); }
  static V mul_add(V a, V b, V c) { return _mm256_add_epi32(_mm256_mullo_epi32(a, b), c); }
  static V min(V a, V b) { return _mm256_min_epi32(a, b); }
  static V max(V a, V b) { return _mm256_max_epi32(a, b); }
  static std::uint64_t eq_mask(V a, V b) {
    return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(a, b))));
  }
  static V broadcast_last(V x) { return _mm256_permutevar8x32_epi32(x, _mm256_set1_epi32(7)); }
  static V prefix(V x) {
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 4));
    x = _mm256_add_epi32(x, _mm256_slli_si256(x, 8));
    V low_last = _mm256_permutevar8x32_epi32(x, _mm256_set1_epi32(3));
    return _mm256_add_epi32(x, _mm256_blend_epi32(_mm256_setzero_si256(), low_last, 0xF0));
  }
  static W wide_zero() { return _mm256_setzero_si256(); }
  static W wide_add(W a, W b) { return _mm256_add_epi64(a, b); }
  static W wide_sum(V v) {
    return _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)),
                            _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
  }
  static W wide_dot(V a, V b) {
    __m256i even = _mm256_mul_epi32(a, b);
    __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
    return _mm256_add_epi64(even, odd);
  }
};

struct U8 {
  using T = std::uint8_t;
  using V = __m256i;
  using W = __m256i;
  static constexpr std::size_t N = 32;
  static V load(const T* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static void store(T* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  static V set1(T x) { return _mm256_set1_epi8(static_cast<char>(x)); }
  static V add(V a, V b) { return _mm256_add_epi8(a, b); }
  static V sub(V a, V b) { return _mm256_sub_epi8(a, b); }
  static V min(V a, V b) { return _mm256_min_epu8(a, b); }
  static V max(V a, V b) { return _mm256_max_epu8(a, b); }
  static std::uint64_t eq_mask(V a, V b) {
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, b)));
  }
  static W wide_zero() { return _mm256_setzero_si256(); }
  static W wide_add(W a, W b) { return _mm256_add_epi64(a, b); }
  static W wide_sum(V v) { return _mm256_sad_epu8(v, _mm256_setzero_si256()); }
};

}  // namespace

#include "kernels_vector.inc"

}  // namespace hone::simd::avx2_impl

namespace hone::simd::detail {
using namespace hone::simd::avx2_impl;
constinit const Kernels k_avx2_kernels = HONE_SIMD_KERNEL_TABLE(Target::avx2);
}  // namespace hone::simd::detail
