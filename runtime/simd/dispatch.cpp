// Run-time dispatch: which targets this CPU can run, which ones HONE_SIMD_TARGETS allows, and the one
// table of kernels the process uses, chosen on the first call and never changed afterwards.
//
// CPU support comes from __builtin_cpu_supports, which also checks that the operating system saves
// the wider registers (XCR0), so an AVX-512 CPU under an OS or hypervisor that disables it is treated
// as not supporting it. The AVX-512 target needs F, BW, DQ and VL together (u8 kernels use BW).
#include "kernel_table.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hone::simd {
namespace {

const Kernels* compiled_table(Target target) noexcept {
  switch (target) {
    case Target::scalar: return &detail::k_scalar_kernels;
#if HONE_SIMD_X86
    case Target::sse42: return &detail::k_sse42_kernels;
    case Target::avx2: return &detail::k_avx2_kernels;
    case Target::avx512: return &detail::k_avx512_kernels;
#else
    default: return nullptr;
#endif
  }
  return nullptr;
}

// Bit i set = Target(i) allowed. Unset or empty variable: everything.
unsigned allowed_targets_from_environment() noexcept {
  const char* value = ::secure_getenv("HONE_SIMD_TARGETS");
  if (value == nullptr || *value == '\0') {
    return (1u << k_target_count) - 1;
  }
  unsigned allowed = 1u << static_cast<int>(Target::scalar);  // always possible as the last resort
  const char* cursor = value;
  while (*cursor != '\0') {
    const char* end = std::strchr(cursor, ',');
    std::size_t length = end != nullptr ? static_cast<std::size_t>(end - cursor) : std::strlen(cursor);
    bool known = length == 0;
    for (int t = 0; t < k_target_count; ++t) {
      const char* name = target_name(static_cast<Target>(t));
      if (std::strlen(name) == length && std::strncmp(cursor, name, length) == 0) {
        allowed |= 1u << t;
        known = true;
      }
    }
    if (!known) {
      std::fprintf(stderr,
                   "hone: warning: HONE_SIMD_TARGETS: unknown target '%.*s' ignored (known: "
                   "scalar, sse42, avx2, avx512)\n",
                   static_cast<int>(length), cursor);
    }
    cursor += length;
    if (*cursor == ',') {
      ++cursor;
    }
  }
  return allowed;
}

const Kernels* choose() noexcept {
  unsigned allowed = allowed_targets_from_environment();
  for (int t = k_target_count - 1; t > 0; --t) {
    if ((allowed & (1u << t)) != 0) {
      if (const Kernels* table = kernels_for(static_cast<Target>(t))) {
        return table;
      }
    }
  }
  return &detail::k_scalar_kernels;
}

}  // namespace

const char* target_name(Target target) noexcept {
  switch (target) {
    case Target::scalar: return "scalar";
    case Target::sse42: return "sse42";
    case Target::avx2: return "avx2";
    case Target::avx512: return "avx512";
  }
  return "unknown";
}

bool cpu_supports(Target target) noexcept {
#if defined(__x86_64__) || defined(__i386__)
  switch (target) {
    case Target::scalar: return true;
    case Target::sse42: return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
    case Target::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
             __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
    case Target::avx512:
      return cpu_supports(Target::avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  }
  return false;
#else
  return target == Target::scalar;
#endif
}

const Kernels* kernels_for(Target target) noexcept {
  const Kernels* table = compiled_table(target);
  return table != nullptr && cpu_supports(target) ? table : nullptr;
}

const Kernels& kernels() noexcept {
  static const Kernels* const active = choose();
  return *active;
}

Target active_target() noexcept {
  return kernels().target;
}

}  // namespace hone::simd
