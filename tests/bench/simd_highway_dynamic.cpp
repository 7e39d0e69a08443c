// Highway with dynamic dispatch: foreach_target.h compiles the kernels once per target Highway
// supports on x86 and HWY_DYNAMIC_DISPATCH picks the best one this CPU runs on the first call (target
// detection lives in libhwy.so, which this executable links). target_name() reports the choice.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd_highway_dynamic.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "simd_reference.h"

HWY_BEFORE_NAMESPACE();
namespace hone_highway_dynamic {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
#include "simd_highway_kernels.inc"
const char* target_name_impl() {
  return hwy::TargetName(HWY_TARGET);
}
}  // namespace HWY_NAMESPACE
}  // namespace hone_highway_dynamic
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hone_highway_dynamic {
HWY_EXPORT(sum_f32_impl);
HWY_EXPORT(dot_f32_impl);
HWY_EXPORT(count_u8_impl);
HWY_EXPORT(find_u8_impl);
HWY_EXPORT(target_name_impl);

float sum_f32(const float* a, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(sum_f32_impl)(a, n);
}
float dot_f32(const float* a, const float* b, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(dot_f32_impl)(a, b, n);
}
std::size_t count_u8(const std::uint8_t* a, std::size_t n, std::uint8_t value) {
  return HWY_DYNAMIC_DISPATCH(count_u8_impl)(a, n, value);
}
std::size_t find_u8(const std::uint8_t* a, std::size_t n, std::uint8_t value) {
  return HWY_DYNAMIC_DISPATCH(find_u8_impl)(a, n, value);
}
const char* target_name() {
  return HWY_DYNAMIC_DISPATCH(target_name_impl)();
}
}  // namespace hone_highway_dynamic
#endif
