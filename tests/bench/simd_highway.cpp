// sum and dot written with Google Highway (libhwy-dev 1.0.3), statically compiled for AVX2 with the
// same four-accumulator structure as hone's kernels: the highway_avx2 rows of hone_bench_simd. Its
// compile flags (pool_simd.cmake) include -maes -mpclmul, without which Highway 1.0.3 built SSSE3/SSE4
// code here. The full comparison (static and dynamic Highway, more kernels and sizes) is
// hone_bench_simd_ratios, run by tests/bench/runtime_ratios.py (docs/runtime.md).
#include "simd_reference.h"

#include <hwy/highway.h>

namespace hone_highway {
namespace hn = hwy::HWY_NAMESPACE;

float sum_f32(const float* a, std::size_t n) {
  const hn::ScalableTag<float> d;
  const std::size_t N = hn::Lanes(d);
  auto acc0 = hn::Zero(d), acc1 = hn::Zero(d), acc2 = hn::Zero(d), acc3 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    acc0 = hn::Add(acc0, hn::LoadU(d, a + i));
    acc1 = hn::Add(acc1, hn::LoadU(d, a + i + N));
    acc2 = hn::Add(acc2, hn::LoadU(d, a + i + 2 * N));
    acc3 = hn::Add(acc3, hn::LoadU(d, a + i + 3 * N));
  }
  for (; i + N <= n; i += N) {
    acc0 = hn::Add(acc0, hn::LoadU(d, a + i));
  }
  float sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(acc0, acc1), hn::Add(acc2, acc3))));
  for (; i < n; ++i) {
    sum += a[i];
  }
  return sum;
}

float dot_f32(const float* a, const float* b, std::size_t n) {
  const hn::ScalableTag<float> d;
  const std::size_t N = hn::Lanes(d);
  auto acc0 = hn::Zero(d), acc1 = hn::Zero(d), acc2 = hn::Zero(d), acc3 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    acc0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), acc0);
    acc1 = hn::MulAdd(hn::LoadU(d, a + i + N), hn::LoadU(d, b + i + N), acc1);
    acc2 = hn::MulAdd(hn::LoadU(d, a + i + 2 * N), hn::LoadU(d, b + i + 2 * N), acc2);
    acc3 = hn::MulAdd(hn::LoadU(d, a + i + 3 * N), hn::LoadU(d, b + i + 3 * N), acc3);
  }
  for (; i + N <= n; i += N) {
    acc0 = hn::MulAdd(hn::LoadU(d, a + i), hn::LoadU(d, b + i), acc0);
  }
  float sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(acc0, acc1), hn::Add(acc2, acc3))));
  for (; i < n; ++i) {
    sum += a[i] * b[i];
  }
  return sum;
}

}  // namespace hone_highway
