// The log-linear histogram behind zone percentiles: bucket bounds are contiguous and tight, and
// percentiles agree with a sorted reference within the bucket resolution.
#include "hone/detail/log_linear_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace hp = hone::profiling::detail;

namespace {

TEST(ProfilingHistogram, SmallValuesAreExact) {
  for (std::uint64_t v = 0; v < hp::k_sub_buckets; ++v) {
    EXPECT_EQ(hp::bucket_index(v), v);
    EXPECT_EQ(hp::bucket_lower_bound(v), v);
    EXPECT_EQ(hp::bucket_upper_bound(v), v);
  }
}

TEST(ProfilingHistogram, BucketsAreContiguousAndWithinOneSixteenth) {
  for (std::size_t i = 0; i + 1 < hp::k_bucket_count; ++i) {
    const std::uint64_t low = hp::bucket_lower_bound(i);
    const std::uint64_t high = hp::bucket_upper_bound(i);
    ASSERT_EQ(hp::bucket_index(low), i);
    ASSERT_EQ(hp::bucket_index(high), i);
    ASSERT_EQ(hp::bucket_lower_bound(i + 1), high + 1);
    ASSERT_LE(static_cast<double>(high - low + 1), std::max(1.0, static_cast<double>(low) / 16.0));
  }
  EXPECT_EQ(hp::bucket_index(UINT64_MAX), hp::k_bucket_count - 1);
  EXPECT_EQ(hp::bucket_index(std::uint64_t{1} << 45), hp::k_bucket_count - 1);
}

std::uint64_t nearest_rank(const std::vector<std::uint64_t>& sorted, double q) {
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void expect_percentiles_match(std::vector<std::uint64_t> values) {
  std::vector<std::uint64_t> counts(hp::k_bucket_count, 0);
  for (const std::uint64_t v : values) ++counts[hp::bucket_index(v)];
  std::sort(values.begin(), values.end());
  for (const double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const std::uint64_t exact = nearest_rank(values, q);
    const std::uint64_t estimate = hp::percentile(counts.data(), values.size(), q, values.front(), values.back());
    // The estimate is the midpoint of the bucket holding the exact value: within half a bucket.
    const double tolerance = std::max(1.0, static_cast<double>(exact) / 32.0 + 1.0);
    EXPECT_NEAR(static_cast<double>(estimate), static_cast<double>(exact), tolerance) << "q=" << q;
  }
}

TEST(ProfilingHistogram, PercentilesMatchSortedReferenceLogNormal) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(8.0, 1.5);
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 100000; ++i) values.push_back(static_cast<std::uint64_t>(dist(rng)));
  expect_percentiles_match(values);
}

TEST(ProfilingHistogram, PercentilesMatchSortedReferenceUniformAndBimodal) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::uint64_t> small(0, 40), fast(900, 1100), slow(2'000'000, 3'000'000);
  std::vector<std::uint64_t> uniform, bimodal;
  for (int i = 0; i < 20000; ++i) uniform.push_back(small(rng));
  for (int i = 0; i < 20000; ++i) bimodal.push_back(i % 20 == 0 ? slow(rng) : fast(rng));
  expect_percentiles_match(uniform);
  expect_percentiles_match(bimodal);
}

TEST(ProfilingHistogram, EmptyAndSingleValue) {
  std::vector<std::uint64_t> counts(hp::k_bucket_count, 0);
  EXPECT_EQ(hp::percentile(counts.data(), 0, 0.5, 0, 0), 0u);
  counts[hp::bucket_index(12345)] = 1;
  // One value: every percentile is clamped to it exactly.
  EXPECT_EQ(hp::percentile(counts.data(), 1, 0.5, 12345, 12345), 12345u);
  EXPECT_EQ(hp::percentile(counts.data(), 1, 0.99, 12345, 12345), 12345u);
}

}  // namespace
