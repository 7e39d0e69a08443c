// Internal to runtime/simd: the declarations of each compiled target's kernel table, and the macro
// every target translation unit uses to fill its table from the functions in its own namespace.
//
// Each target is one translation unit compiled with that target's -m flags. Its kernels live in a
// namespace of their own (hone::simd::scalar_impl, ::sse42_impl, ...) and use no inline function or
// template from another namespace, so the linker can never substitute an AVX-512 copy of a shared
// inline function into code that runs on an older CPU (the classic ODR trap of per-file ISA flags).
#pragma once

#include "hone/simd.h"

namespace hone::simd::detail {

extern const Kernels k_scalar_kernels;
#if HONE_SIMD_X86
extern const Kernels k_sse42_kernels;
extern const Kernels k_avx2_kernels;
extern const Kernels k_avx512_kernels;
#endif

}  // namespace hone::simd::detail

// Fills a Kernels aggregate from the functions named add_f32, add_f64, ... in the current namespace.
// Every entry is designated: add_f32, sub_f32 and mul_f32 (and many others) share one type, so a
// positional list that lost its order would compile and silently swap kernels. With designators each
// kernel lands in the member it names: a reordered list is an error for g++ and -Wreorder-init-list for
// clang, a misspelt name is an error, and a missing one is -Wmissing-field-initializers (-Wextra).
// clang-format off: a table laid out by hand, one operation family per line
#define HONE_SIMD_KERNEL_TABLE(target_value)                                                         \
  {                                                                                                  \
    .target = target_value,                                                                          \
    .add_f32 = add_f32, .add_f64 = add_f64, .add_i32 = add_i32, .add_u8 = add_u8,                    \
    .sub_f32 = sub_f32, .sub_f64 = sub_f64, .sub_i32 = sub_i32, .sub_u8 = sub_u8,                    \
    .mul_f32 = mul_f32, .mul_f64 = mul_f64, .mul_i32 = mul_i32,                                      \
    .fma_f32 = fma_f32, .fma_f64 = fma_f64, .fma_i32 = fma_i32,                                      \
    .scale_f32 = scale_f32, .scale_f64 = scale_f64, .scale_i32 = scale_i32,                          \
    .saxpy_f32 = saxpy_f32, .saxpy_f64 = saxpy_f64, .saxpy_i32 = saxpy_i32,                          \
    .sum_f32 = sum_f32, .sum_f64 = sum_f64, .sum_i32 = sum_i32, .sum_u8 = sum_u8,                    \
    .dot_f32 = dot_f32, .dot_f64 = dot_f64, .dot_i32 = dot_i32,                                      \
    .min_f32 = min_f32, .min_f64 = min_f64, .min_i32 = min_i32, .min_u8 = min_u8,                    \
    .max_f32 = max_f32, .max_f64 = max_f64, .max_i32 = max_i32, .max_u8 = max_u8,                    \
    .prefix_sum_f32 = prefix_sum_f32, .prefix_sum_f64 = prefix_sum_f64,                              \
    .prefix_sum_i32 = prefix_sum_i32,                                                                \
    .count_f32 = count_f32, .count_f64 = count_f64, .count_i32 = count_i32, .count_u8 = count_u8,    \
    .find_f32 = find_f32, .find_f64 = find_f64, .find_i32 = find_i32, .find_u8 = find_u8             \
  }
// clang-format on
