// Declarations of the reference loops in simd_reference_loops.inc, compiled once at -O2 (namespace
// hone_ref_o2) and once at -O3 -march=native (hone_ref_o3), plus the Highway sum/dot used to decide
// between Highway and hand-written intrinsics (simd_highway.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#define HONE_DECLARE_REFERENCE(ns)                                                                                     \
  namespace ns {                                                                                                       \
  float sum_f32(const float* a, std::size_t n);                                                                        \
  double sum_f64(const double* a, std::size_t n);                                                                      \
  std::int64_t sum_i32(const std::int32_t* a, std::size_t n);                                                          \
  float dot_f32(const float* a, const float* b, std::size_t n);                                                        \
  double dot_f64(const double* a, const double* b, std::size_t n);                                                     \
  void add_f32(const float* a, const float* b, float* out, std::size_t n);                                             \
  void saxpy_f32(float alpha, const float* x, float* y, std::size_t n);                                                \
  std::size_t min_index_f32(const float* a, std::size_t n);                                                            \
  void prefix_sum_f32(const float* a, float* out, std::size_t n);                                                      \
  std::size_t count_u8(const std::uint8_t* a, std::size_t n, std::uint8_t value);                                      \
  void fma_f32(const float* a, const float* b, const float* c, float* out, std::size_t n);                             \
  void scale_f32(const float* a, float s, float* out, std::size_t n);                                                  \
  std::size_t find_u8(const std::uint8_t* a, std::size_t n, std::uint8_t value);                                       \
  std::uint64_t read_stream(const std::uint64_t* a, std::size_t n);                                                    \
  }
HONE_DECLARE_REFERENCE(hone_ref_o2)
HONE_DECLARE_REFERENCE(hone_ref_o3)
HONE_DECLARE_REFERENCE(hone_ref_clang)       // clang 19 -O3 -march=native (simd_reference_clang.cpp)
HONE_DECLARE_REFERENCE(hone_ref_clang_fast)  // the same with -ffast-math
#undef HONE_DECLARE_REFERENCE

namespace hone_bandwidth {
// XOR of all elements with four 256-bit load streams (simd_bandwidth.cpp, -mavx2).
std::uint64_t read_stream_avx2(const std::uint64_t* a, std::size_t n);
}  // namespace hone_bandwidth

namespace hone_highway {
// Google Highway, static AVX2 target, same four-accumulator structure as the hone kernels.
float sum_f32(const float* a, std::size_t n);
float dot_f32(const float* a, const float* b, std::size_t n);
}  // namespace hone_highway

// Highway 1.0.3 built three ways for simd_ratios_bench (simd_highway_kernels.inc): static AVX2 with
// every flag its AVX2 target needs, static -march=native, and dynamic dispatch through libhwy.
#define HONE_DECLARE_HIGHWAY(ns)                                                                                       \
  namespace ns {                                                                                                       \
  float sum_f32(const float* a, std::size_t n);                                                                        \
  float dot_f32(const float* a, const float* b, std::size_t n);                                                        \
  std::size_t count_u8(const std::uint8_t* a, std::size_t n, std::uint8_t value);                                      \
  std::size_t find_u8(const std::uint8_t* a, std::size_t n, std::uint8_t value);                                       \
  const char* target_name();                                                                                           \
  }
HONE_DECLARE_HIGHWAY(hone_highway_avx2)
HONE_DECLARE_HIGHWAY(hone_highway_native)
HONE_DECLARE_HIGHWAY(hone_highway_dynamic)
#undef HONE_DECLARE_HIGHWAY
