// Every SIMD target compiled into the runtime and supported by this CPU, tested against reference
// loops written here (independent of the library's own scalar target, which is tested the same way):
//   - integers: exact (wrap-around semantics);
//   - element-wise FP add/sub/mul/scale and fma: bit-exact (IEEE operations, fma fused);
//   - FP reductions: |got - exact| <= (n - 1) * u * sum|x_i| for sum, n * u * sum|a_i b_i| for dot,
//     i * u * sum_{j<=i}|x_j| for prefix element i; saxpy per element 2u(|alpha x| + |y|); with
//     u = 2^-24 (f32) / 2^-53 (f64) and "exact" computed in long double;
//   - min/max/count/find: exact, with NaNs, infinities, ties and sentinel values in the data.
// Lengths 0..67 and a set of larger ones (crossing unroll and block boundaries), start pointers
// misaligned by 0, 1 and 3 elements, and in-place (aliased) outputs where the API allows them.
#include "hone/simd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace {

using hone::simd::Kernels;
using hone::simd::Target;

std::vector<std::size_t> test_lengths() {
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 67; ++n) {
    lengths.push_back(n);
  }
  for (std::size_t n : {100u, 127u, 128u, 129u, 255u, 1000u, 2047u, 2048u, 2049u, 4097u, 10007u}) {
    lengths.push_back(n);
  }
  return lengths;
}
constexpr std::size_t k_offsets[] = {0, 1, 3};

// n elements starting `offset` elements past a 64-byte boundary, with guard elements around that
// must stay untouched.
template <class T> class Buffer {
public:
  Buffer(std::size_t n, std::size_t offset) : storage_(n + offset + 128 / sizeof(T) + 64), n_(n) {
    auto base = reinterpret_cast<std::uintptr_t>(storage_.data());
    std::size_t skip = (64 - base % 64) % 64 / sizeof(T);
    data_ = storage_.data() + skip + offset;
    std::memset(static_cast<void*>(storage_.data()), 0x5a, storage_.size() * sizeof(T));
    guard_ = storage_;
  }
  T* data() { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  // Bytes outside [data, data + n) are unchanged.
  bool guards_intact() const {
    const T* begin = data_;
    for (std::size_t i = 0; i < storage_.size(); ++i) {
      const T* p = storage_.data() + i;
      if ((p < begin || p >= begin + n_) && std::memcmp(p, &guard_[i], sizeof(T)) != 0) {
        return false;
      }
    }
    return true;
  }

private:
  std::vector<T> storage_;
  std::vector<T> guard_;
  T* data_;
  std::size_t n_;
};

template <class T> void fill_random(T* p, std::size_t n, std::mt19937& rng, bool small_range = false) {
  if constexpr (std::is_floating_point_v<T>) {
    std::uniform_real_distribution<T> dist(small_range ? T(-4) : T(-1000), small_range ? T(4) : T(1000));
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = small_range ? std::round(dist(rng)) : dist(rng);
    }
  } else {
    using Wide = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
    std::uniform_int_distribution<Wide> dist(small_range ? Wide(std::is_signed_v<T> ? -4 : 0)
                                                         : Wide(std::numeric_limits<T>::min()),
                                             small_range ? Wide(8) : Wide(std::numeric_limits<T>::max()));
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = static_cast<T>(dist(rng));
    }
  }
}

template <class T> bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// sum and dot of a and b in long double, and the sums of magnitudes their error bounds scale with.
struct ExactReductions {
  long double sum = 0, sum_magnitude = 0, dot = 0, dot_magnitude = 0;
};

template <class T> ExactReductions exact_reductions(const T* a, const T* b, std::size_t n) {
  ExactReductions r;
  for (std::size_t i = 0; i < n; ++i) {
    r.sum += a[i];
    r.sum_magnitude += std::fabs(static_cast<long double>(a[i]));
    r.dot += static_cast<long double>(a[i]) * b[i];
    r.dot_magnitude += std::fabs(static_cast<long double>(a[i]) * b[i]);
  }
  return r;
}

template <class T> long double unit_roundoff() {
  return std::ldexp(1.0L, -std::numeric_limits<T>::digits);
}

// Wrap-around integer reference arithmetic.
std::int32_t w_add(std::int32_t a, std::int32_t b) {
  return std::int32_t(std::uint32_t(a) + std::uint32_t(b));
}
std::int32_t w_sub(std::int32_t a, std::int32_t b) {
  return std::int32_t(std::uint32_t(a) - std::uint32_t(b));
}
std::int32_t w_mul(std::int32_t a, std::int32_t b) {
  return std::int32_t(std::uint32_t(a) * std::uint32_t(b));
}
std::uint8_t w_add(std::uint8_t a, std::uint8_t b) {
  return std::uint8_t(a + b);
}
std::uint8_t w_sub(std::uint8_t a, std::uint8_t b) {
  return std::uint8_t(a - b);
}
float w_add(float a, float b) {
  return a + b;
}
float w_sub(float a, float b) {
  return a - b;
}
float w_mul(float a, float b) {
  return a * b;
}
double w_add(double a, double b) {
  return a + b;
}
double w_sub(double a, double b) {
  return a - b;
}
double w_mul(double a, double b) {
  return a * b;
}

const char* g_target = "";

class SimdTarget : public ::testing::TestWithParam<Target> {
protected:
  void SetUp() override {
    kernels_ = hone::simd::kernels_for(GetParam());
    if (kernels_ == nullptr) {
      GTEST_SKIP() << "this CPU cannot run " << hone::simd::target_name(GetParam());
    }
    ASSERT_EQ(kernels_->target, GetParam());
    g_target = hone::simd::target_name(GetParam());
  }
  const Kernels* kernels_ = nullptr;
  std::mt19937 rng_{12345};
};

// Failure-message context (g_target: the target under test, set in SetUp).
#define CONTEXT "target " << g_target << " n=" << n << " offset=" << offset

// ---- element-wise ---------------------------------------------------------------------------------

template <class T, class Kernel, class Ref>
void check_binary(SimdTarget& test, std::mt19937& rng, Kernel kernel, Ref ref, const char* name) {
  for (std::size_t n : test_lengths()) {
    for (std::size_t offset : k_offsets) {
      Buffer<T> a(n, offset), b(n, offset + 1), out(n, offset);
      fill_random(a.data(), n, rng);
      fill_random(b.data(), n, rng);
      kernel(a.data(), b.data(), out.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(same_bits(out[i], ref(a[i], b[i]))) << name << " " << CONTEXT << " i=" << i;
      }
      ASSERT_TRUE(out.guards_intact()) << name << " wrote outside its output, " << CONTEXT;
      // In place: out == a, then out == b.
      std::vector<T> expected(n);
      for (std::size_t i = 0; i < n; ++i) {
        expected[i] = ref(a[i], b[i]);
      }
      std::vector<T> b_copy(b.data(), b.data() + n);
      kernel(a.data(), b.data(), a.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(same_bits(a[i], expected[i])) << name << " in place (out == a) " << CONTEXT;
      }
      std::vector<T> a_now(a.data(), a.data() + n);
      kernel(a.data(), b.data(), b.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(same_bits(b[i], ref(a_now[i], b_copy[i]))) << name << " in place (out == b) " << CONTEXT;
      }
      (void)test;
    }
  }
}

TEST_P(SimdTarget, ElementwiseAddSubMulAreExact) {
  const Kernels& k = *kernels_;
  check_binary<float>(*this, rng_, k.add_f32, [](float x, float y) { return w_add(x, y); }, "add_f32");
  check_binary<double>(*this, rng_, k.add_f64, [](double x, double y) { return w_add(x, y); }, "add_f64");
  check_binary<std::int32_t>(
      *this, rng_, k.add_i32, [](std::int32_t x, std::int32_t y) { return w_add(x, y); }, "add_i32");
  check_binary<std::uint8_t>(
      *this, rng_, k.add_u8, [](std::uint8_t x, std::uint8_t y) { return w_add(x, y); }, "add_u8");
  check_binary<float>(*this, rng_, k.sub_f32, [](float x, float y) { return w_sub(x, y); }, "sub_f32");
  check_binary<double>(*this, rng_, k.sub_f64, [](double x, double y) { return w_sub(x, y); }, "sub_f64");
  check_binary<std::int32_t>(
      *this, rng_, k.sub_i32, [](std::int32_t x, std::int32_t y) { return w_sub(x, y); }, "sub_i32");
  check_binary<std::uint8_t>(
      *this, rng_, k.sub_u8, [](std::uint8_t x, std::uint8_t y) { return w_sub(x, y); }, "sub_u8");
  check_binary<float>(*this, rng_, k.mul_f32, [](float x, float y) { return w_mul(x, y); }, "mul_f32");
  check_binary<double>(*this, rng_, k.mul_f64, [](double x, double y) { return w_mul(x, y); }, "mul_f64");
  check_binary<std::int32_t>(
      *this, rng_, k.mul_i32, [](std::int32_t x, std::int32_t y) { return w_mul(x, y); }, "mul_i32");
}

template <class T> T ref_fma(T a, T b, T c) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::fma(a, b, c);
  } else {
    return w_add(w_mul(a, b), c);
  }
}

template <class T>
void check_fma_scale_saxpy(SimdTarget& test, std::mt19937& rng,
                           void (*fma)(const T*, const T*, const T*, T*, std::size_t) noexcept,
                           void (*scale)(const T*, T, T*, std::size_t) noexcept,
                           void (*saxpy)(T, const T*, T*, std::size_t) noexcept) {
  (void)test;
  for (std::size_t n : test_lengths()) {
    for (std::size_t offset : k_offsets) {
      Buffer<T> a(n, offset), b(n, offset + 2), c(n, offset), out(n, offset + 1);
      fill_random(a.data(), n, rng);
      fill_random(b.data(), n, rng);
      fill_random(c.data(), n, rng);
      fma(a.data(), b.data(), c.data(), out.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(same_bits(out[i], ref_fma(a[i], b[i], c[i]))) << "fma " << CONTEXT << " i=" << i;
      }
      ASSERT_TRUE(out.guards_intact()) << "fma " << CONTEXT;
      T s = n == 0 ? T(3) : a[0];
      scale(b.data(), s, out.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(same_bits(out[i], w_mul(b[i], s))) << "scale " << CONTEXT << " i=" << i;
      }
      std::vector<T> y_before(c.data(), c.data() + n);
      T alpha = n == 0 ? T(2) : b[n / 2];
      saxpy(alpha, a.data(), c.data(), n);
      ASSERT_TRUE(c.guards_intact()) << "saxpy " << CONTEXT;
      for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<T>) {
          long double exact = static_cast<long double>(alpha) * a[i] + y_before[i];
          long double bound =
              2 * unit_roundoff<T>() * (std::fabs(static_cast<long double>(alpha) * a[i]) + std::fabs(y_before[i]));
          ASSERT_LE(std::fabs(c[i] - exact), bound * 1.0001L) << "saxpy " << CONTEXT << " i=" << i;
        } else {
          ASSERT_EQ(c[i], w_add(w_mul(alpha, a[i]), y_before[i])) << "saxpy " << CONTEXT << " i=" << i;
        }
      }
    }
  }
}

TEST_P(SimdTarget, FmaScaleSaxpy) {
  const Kernels& k = *kernels_;
  check_fma_scale_saxpy<float>(*this, rng_, k.fma_f32, k.scale_f32, k.saxpy_f32);
  check_fma_scale_saxpy<double>(*this, rng_, k.fma_f64, k.scale_f64, k.saxpy_f64);
  check_fma_scale_saxpy<std::int32_t>(*this, rng_, k.fma_i32, k.scale_i32, k.saxpy_i32);
}

TEST_P(SimdTarget, FmaIsFusedOnEveryTarget) {
  // 1 + 2^-23 squared minus (1 + 2^-22): the exact answer 2^-46 survives only with one rounding.
  float a[5], c[5], out[5];
  for (int i = 0; i < 5; ++i) {
    a[i] = 1.0f + std::ldexp(1.0f, -23);
    c[i] = -(1.0f + std::ldexp(1.0f, -22));
  }
  kernels_->fma_f32(a, a, c, out, 5);
  for (float v : out) {
    EXPECT_EQ(v, std::ldexp(1.0f, -46));
  }
}

// ---- reductions ----------------------------------------------------------------------------------------

template <class T>
void check_sum_dot(SimdTarget& test, std::mt19937& rng, T (*sum)(const T*, std::size_t) noexcept,
                   T (*dot)(const T*, const T*, std::size_t) noexcept) {
  (void)test;
  const long double u = unit_roundoff<T>();
  for (std::size_t n : test_lengths()) {
    for (std::size_t offset : k_offsets) {
      Buffer<T> a(n, offset), b(n, offset + 1);
      fill_random(a.data(), n, rng);
      fill_random(b.data(), n, rng);
      const ExactReductions exact = exact_reductions(a.data(), b.data(), n);
      // Slack for the long double reference itself (64-bit mantissa).
      long double slack = n * std::ldexp(1.0L, -63) * (exact.sum_magnitude + exact.dot_magnitude);
      long double got = sum(a.data(), n);
      ASSERT_LE(std::fabs(got - exact.sum), (n == 0 ? 0 : n - 1) * u * exact.sum_magnitude + slack)
          << "sum " << CONTEXT;
      long double got_dot = dot(a.data(), b.data(), n);
      ASSERT_LE(std::fabs(got_dot - exact.dot), n * u * exact.dot_magnitude + slack) << "dot " << CONTEXT;
    }
  }
}

TEST_P(SimdTarget, FloatingPointSumAndDotWithinStatedBound) {
  check_sum_dot<float>(*this, rng_, kernels_->sum_f32, kernels_->dot_f32);
  check_sum_dot<double>(*this, rng_, kernels_->sum_f64, kernels_->dot_f64);
}

TEST_P(SimdTarget, IntegerSumAndDotAreExact) {
  for (std::size_t n : test_lengths()) {
    for (std::size_t offset : k_offsets) {
      Buffer<std::int32_t> a(n, offset), b(n, offset + 1);
      Buffer<std::uint8_t> bytes(n, offset);
      fill_random(a.data(), n, rng_);
      fill_random(b.data(), n, rng_);
      fill_random(bytes.data(), n, rng_);
      std::uint64_t sum = 0, dot = 0, byte_sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        sum += static_cast<std::uint64_t>(static_cast<std::int64_t>(a[i]));
        dot += static_cast<std::uint64_t>(static_cast<std::int64_t>(a[i]) * b[i]);
        byte_sum += bytes[i];
      }
      ASSERT_EQ(kernels_->sum_i32(a.data(), n), static_cast<std::int64_t>(sum)) << CONTEXT;
      ASSERT_EQ(kernels_->dot_i32(a.data(), b.data(), n), static_cast<std::int64_t>(dot)) << CONTEXT;
      ASSERT_EQ(kernels_->sum_u8(bytes.data(), n), byte_sum) << CONTEXT;
    }
  }
  // All-maximum bytes: catches narrow accumulators.
  std::vector<std::uint8_t> full(100000, 255);
  EXPECT_EQ(kernels_->sum_u8(full.data(), full.size()), 255u * 100000u);
  std::vector<std::int32_t> big(70000, std::numeric_limits<std::int32_t>::max());
  EXPECT_EQ(kernels_->sum_i32(big.data(), big.size()), std::int64_t{std::numeric_limits<std::int32_t>::max()} * 70000);
}

template <class T>
void check_prefix(SimdTarget& test, std::mt19937& rng, void (*prefix)(const T*, T*, std::size_t) noexcept) {
  (void)test;
  for (std::size_t n : test_lengths()) {
    for (std::size_t offset : k_offsets) {
      Buffer<T> a(n, offset), out(n, offset + 1);
      fill_random(a.data(), n, rng);
      prefix(a.data(), out.data(), n);
      ASSERT_TRUE(out.guards_intact()) << "prefix " << CONTEXT;
      std::vector<T> in_place(a.data(), a.data() + n);
      prefix(in_place.data(), in_place.data(), n);
      long double exact = 0, magnitude = 0;
      T running = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if constexpr (std::is_floating_point_v<T>) {
          exact += a[i];
          magnitude += std::fabs(static_cast<long double>(a[i]));
          long double bound = i * unit_roundoff<T>() * magnitude + (i + 1) * std::ldexp(1.0L, -63) * magnitude;
          ASSERT_LE(std::fabs(out[i] - exact), bound) << "prefix " << CONTEXT << " i=" << i;
          // The grouping of additions follows the output's alignment, so in place (a different
          // address) may round differently: hold it to the same bound.
          ASSERT_LE(std::fabs(in_place[i] - exact), bound) << "prefix in place " << CONTEXT << " i=" << i;
        } else {
          running = w_add(running, a[i]);
          ASSERT_EQ(out[i], running) << "prefix " << CONTEXT << " i=" << i;
          ASSERT_EQ(in_place[i], running) << "prefix in place " << CONTEXT << " i=" << i;
        }
      }
    }
  }
}

TEST_P(SimdTarget, PrefixSum) {
  check_prefix<float>(*this, rng_, kernels_->prefix_sum_f32);
  check_prefix<double>(*this, rng_, kernels_->prefix_sum_f64);
  check_prefix<std::int32_t>(*this, rng_, kernels_->prefix_sum_i32);
}

// ---- search --------------------------------------------------------------------------------------------

template <class T> hone::simd::ValueIndex<T> ref_extreme(const T* a, std::size_t n, bool want_min) {
  std::size_t best = hone::simd::k_npos;
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != a[i]) {
      continue;
    }
    if (best == hone::simd::k_npos || (want_min ? a[i] < a[best] : a[i] > a[best])) {
      best = i;
    }
  }
  return {best == hone::simd::k_npos ? T{} : a[best], best};
}

template <class T>
void check_search(SimdTarget& test, std::mt19937& rng, hone::simd::ValueIndex<T> (*min)(const T*, std::size_t) noexcept,
                  hone::simd::ValueIndex<T> (*max)(const T*, std::size_t) noexcept,
                  std::size_t (*count)(const T*, std::size_t, T) noexcept,
                  std::size_t (*find)(const T*, std::size_t, T) noexcept) {
  (void)test;
  for (std::size_t n : test_lengths()) {
    for (std::size_t offset : k_offsets) {
      for (int variant = 0; variant < 4; ++variant) {
        Buffer<T> a(n, offset);
        // 0: wide random values; 1: few distinct values (ties, many matches); 2: specials
        // (NaN, infinities, extreme integers) sprinkled in; 3: all equal to the type's extreme.
        fill_random(a.data(), n, rng, variant != 0);
        if (variant == 2) {
          for (std::size_t i = 0; i < n; i += 7) {
            if constexpr (std::is_floating_point_v<T>) {
              a[i] = (i / 7) % 3 == 0   ? std::numeric_limits<T>::quiet_NaN()
                     : (i / 7) % 3 == 1 ? std::numeric_limits<T>::infinity()
                                        : -std::numeric_limits<T>::infinity();
            } else {
              a[i] = (i / 7) % 2 == 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
            }
          }
        }
        if (variant == 3) {
          for (std::size_t i = 0; i < n; ++i) {
            a[i] = std::is_floating_point_v<T>
                       ? (i % 2 == 0 ? std::numeric_limits<T>::quiet_NaN() : std::numeric_limits<T>::infinity())
                       : std::numeric_limits<T>::max();
          }
        }
        for (bool want_min : {true, false}) {
          auto expected = ref_extreme(a.data(), n, want_min);
          auto got = want_min ? min(a.data(), n) : max(a.data(), n);
          ASSERT_EQ(got.index, expected.index)
              << (want_min ? "min" : "max") << " variant " << variant << " " << CONTEXT;
          if (expected.index != hone::simd::k_npos) {
            ASSERT_TRUE(same_bits(got.value, expected.value)) << "min/max value " << CONTEXT;
          } else if constexpr (std::is_floating_point_v<T>) {
            ASSERT_TRUE(std::isnan(got.value)) << "no candidate gives NaN " << CONTEXT;
          }
        }
        for (T value : {T(0), T(1), T(3), n > 0 ? a[n - 1] : T(5), n > 0 ? a[n / 2] : T(6)}) {
          std::size_t expected_count = 0, expected_find = hone::simd::k_npos;
          for (std::size_t i = 0; i < n; ++i) {
            if (a[i] == value) {
              ++expected_count;
              if (expected_find == hone::simd::k_npos) {
                expected_find = i;
              }
            }
          }
          ASSERT_EQ(count(a.data(), n, value), expected_count) << "count variant " << variant << " " << CONTEXT;
          ASSERT_EQ(find(a.data(), n, value), expected_find) << "find variant " << variant << " " << CONTEXT;
        }
      }
    }
  }
}

TEST_P(SimdTarget, MinMaxCountFind) {
  const Kernels& k = *kernels_;
  check_search<float>(*this, rng_, k.min_f32, k.max_f32, k.count_f32, k.find_f32);
  check_search<double>(*this, rng_, k.min_f64, k.max_f64, k.count_f64, k.find_f64);
  check_search<std::int32_t>(*this, rng_, k.min_i32, k.max_i32, k.count_i32, k.find_i32);
  check_search<std::uint8_t>(*this, rng_, k.min_u8, k.max_u8, k.count_u8, k.find_u8);
}

TEST_P(SimdTarget, FindLocatesEveryPosition) {
  // A single match at each position of a vector-sized window, so every lane and tail slot is hit.
  for (std::size_t n : {1u, 15u, 16u, 63u, 64u, 65u, 200u, 300u}) {
    std::vector<std::uint8_t> bytes(n, 1);
    std::vector<float> floats(n, 1.0f);
    for (std::size_t at = 0; at < n; ++at) {
      bytes[at] = 9;
      floats[at] = -0.0f;  // finds +0.0 too: == semantics
      ASSERT_EQ(kernels_->find_u8(bytes.data(), n, 9), at);
      ASSERT_EQ(kernels_->find_f32(floats.data(), n, 0.0f), at);
      ASSERT_EQ(kernels_->count_u8(bytes.data(), n, 9), 1u);
      bytes[at] = 1;
      floats[at] = 1.0f;
    }
  }
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> nans(40, nan);
  EXPECT_EQ(kernels_->find_f32(nans.data(), nans.size(), nan), hone::simd::k_npos);
  EXPECT_EQ(kernels_->count_f32(nans.data(), nans.size(), nan), 0u);
}

// The public sum/dot take an inline path below detail::k_inline_reduction_max elements and the
// dispatched kernel from there on: both sides of the switch keep the stated bound.
TEST(SimdPublicApi, SmallArraysInlineWithinStatedBound) {
  std::mt19937 rng(7);
  for (std::size_t n = 0; n <= 2 * hone::simd::detail::k_inline_reduction_max; ++n) {
    std::vector<float> a(n), b(n);
    fill_random(a.data(), n, rng);
    fill_random(b.data(), n, rng);
    const ExactReductions exact = exact_reductions(a.data(), b.data(), n);
    const long double u = unit_roundoff<float>();
    EXPECT_LE(std::fabs(hone::simd::sum(a.data(), n) - exact.sum), (n == 0 ? 0 : n - 1) * u * exact.sum_magnitude)
        << "n=" << n;
    EXPECT_LE(std::fabs(hone::simd::dot(a.data(), b.data(), n) - exact.dot), n * u * exact.dot_magnitude) << "n=" << n;
  }
  const double three[] = {1.0, 2.0, 4.0};
  EXPECT_EQ(hone::simd::sum(three, 3), 7.0);
  EXPECT_EQ(hone::simd::dot(three, three, 3), 21.0);
  EXPECT_EQ(hone::simd::sum(static_cast<const float*>(nullptr), 0), 0.0f);
}

// min/max/count/find inline below detail::k_inline_search_max elements: the public API must give
// exactly what the scalar kernel gives, NaNs, ties, -0.0 and "no candidate" included.
TEST(SimdPublicApi, SmallArraySearchesMatchTheKernels) {
  const hone::simd::Kernels& scalar = *hone::simd::kernels_for(Target::scalar);
  std::mt19937 rng(11);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t n = 0; n <= 2 * hone::simd::detail::k_inline_search_max; ++n) {
    for (int trial = 0; trial < 20; ++trial) {
      std::vector<float> f(n);
      std::vector<std::uint8_t> b(n);
      for (std::size_t i = 0; i < n; ++i) {
        const unsigned r = rng() % 8;
        f[i] = r == 0 ? nan : r == 1 ? -0.0f : static_cast<float>(rng() % 5);  // ties, NaNs, signed zeros
        b[i] = static_cast<std::uint8_t>(rng() % 4);
      }
      const auto min = hone::simd::min(f.data(), n), want_min = scalar.min_f32(f.data(), n);
      const auto max = hone::simd::max(b.data(), n), want_max = scalar.max_u8(b.data(), n);
      ASSERT_EQ(min.index, want_min.index) << "n=" << n;
      if (min.index != hone::simd::k_npos) {
        ASSERT_EQ(min.value, want_min.value);
      } else {
        ASSERT_TRUE(std::isnan(min.value));
      }
      ASSERT_EQ(max.index, want_max.index);
      ASSERT_EQ(max.value, want_max.value);
      ASSERT_EQ(hone::simd::count(f.data(), n, 0.0f), scalar.count_f32(f.data(), n, 0.0f));
      ASSERT_EQ(hone::simd::count(f.data(), n, nan), 0u);
      ASSERT_EQ(hone::simd::find(b.data(), n, std::uint8_t{3}), scalar.find_u8(b.data(), n, 3));
      ASSERT_EQ(hone::simd::find(f.data(), n, 0.0f), scalar.find_f32(f.data(), n, 0.0f));
    }
  }
}

std::string target_param_name(const ::testing::TestParamInfo<Target>& info) {
  return hone::simd::target_name(info.param);
}

INSTANTIATE_TEST_SUITE_P(AllTargets, SimdTarget,
                         ::testing::Values(Target::scalar, Target::sse42, Target::avx2, Target::avx512),
                         target_param_name);

}  // namespace
