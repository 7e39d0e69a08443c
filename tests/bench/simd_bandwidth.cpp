// Read-bandwidth yardstick written with AVX2 intrinsics (compiled -O2 -mavx2): four independent
// 256-bit load streams XOR-ed together, no other work. On some machines 256-bit loads stream faster
// from memory than the 512-bit loads -march=native picks, so the benchmark reports both and the
// ratio tables use the faster of the two as "the machine's read bandwidth".
#include "simd_reference.h"

#include <immintrin.h>

namespace hone_bandwidth {

std::uint64_t read_stream_avx2(const std::uint64_t* a, std::size_t n) {
  __m256i x0 = _mm256_setzero_si256(), x1 = x0, x2 = x0, x3 = x0;
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    x0 = _mm256_xor_si256(x0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)));
    x1 = _mm256_xor_si256(x1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i + 4)));
    x2 = _mm256_xor_si256(x2, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i + 8)));
    x3 = _mm256_xor_si256(x3, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i + 12)));
  }
  __m256i x = _mm256_xor_si256(_mm256_xor_si256(x0, x1), _mm256_xor_si256(x2, x3));
  alignas(32) std::uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), x);
  std::uint64_t result = lanes[0] ^ lanes[1] ^ lanes[2] ^ lanes[3];
  for (; i < n; ++i) {
    result ^= a[i];
  }
  return result;
}

}  // namespace hone_bandwidth
