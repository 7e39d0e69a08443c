// Log-linear bucketing for the profiler's per-zone duration histograms.
//
// Values below 16 get one exact bucket each; above that, every power of two is split into 16 equal
// sub-buckets, so any value is placed in a bucket whose width is at most 1/16 (6.25%) of its lower
// bound. That bounds the error of a reported percentile at ~3% around the bucket midpoint while a whole
// histogram covering 0 .. 2^40 ticks (about 18 minutes in nanoseconds) fits in 592 counters. Values above
// the range land in the last bucket. Header-only and allocation-free so the hot path can inline it.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace hone::profiling::detail {

inline constexpr unsigned k_sub_bucket_bits = 4;
inline constexpr std::uint64_t k_sub_buckets = std::uint64_t{1} << k_sub_bucket_bits;
inline constexpr unsigned k_max_value_bits = 40;
inline constexpr std::size_t k_bucket_count = k_sub_buckets + (k_max_value_bits - k_sub_bucket_bits) * k_sub_buckets;

// The bucket holding `value`. Written to be branch-free on the profiler's hot path (a BSR, two
// shifts, an add and a clamp): with m = max(msb(value), k_sub_bucket_bits) and s = m -
// k_sub_bucket_bits, the index is s * k_sub_buckets + (value >> s). For value < k_sub_buckets that is
// value itself; above, value >> s is the top k_sub_bucket_bits + 1 bits, in [16, 32), so consecutive
// powers of two get consecutive runs of 16 buckets. Indexes past the range are clamped to the last.
constexpr std::size_t bucket_index(std::uint64_t value) noexcept {
  const unsigned msb = static_cast<unsigned>(std::bit_width(value | k_sub_buckets)) - 1;
  const unsigned shift = msb - k_sub_bucket_bits;
  const std::uint64_t index = (std::uint64_t{shift} << k_sub_bucket_bits) + (value >> shift);
  return static_cast<std::size_t>(index < k_bucket_count ? index : k_bucket_count - 1);
}

// Smallest value that lands in bucket `index`.
constexpr std::uint64_t bucket_lower_bound(std::size_t index) noexcept {
  if (index < k_sub_buckets) return index;
  const std::uint64_t shift = (index - k_sub_buckets) / k_sub_buckets;
  const std::uint64_t mantissa = k_sub_buckets + (index - k_sub_buckets) % k_sub_buckets;
  return mantissa << shift;
}

// Largest value that lands in bucket `index` (the last bucket also takes everything above the range).
constexpr std::uint64_t bucket_upper_bound(std::size_t index) noexcept {
  if (index + 1 >= k_bucket_count) return UINT64_MAX;
  return bucket_lower_bound(index + 1) - 1;
}

// The value at quantile `q` (0..1] of the distribution described by `counts` (k_bucket_count
// entries, `total` their sum), using the nearest-rank definition: the smallest value v such that at
// least ceil(q * total) recorded values are <= v. The answer is the midpoint of the bucket holding
// that rank, clamped to [min_value, max_value] so exact extremes are never made worse. Returns 0 for
// an empty histogram.
constexpr std::uint64_t percentile(const std::uint64_t* counts, std::uint64_t total, double q, std::uint64_t min_value,
                                   std::uint64_t max_value) noexcept {
  if (total == 0) return 0;
  double wanted = q * static_cast<double>(total);
  std::uint64_t rank = static_cast<std::uint64_t>(wanted);
  if (static_cast<double>(rank) < wanted) ++rank;
  if (rank == 0) rank = 1;
  if (rank > total) rank = total;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < k_bucket_count; ++i) {
    seen += counts[i];
    if (seen >= rank) {
      const std::uint64_t low = bucket_lower_bound(i);
      const std::uint64_t high = i + 1 >= k_bucket_count ? max_value : bucket_upper_bound(i);
      std::uint64_t mid = low + (high - low) / 2;
      if (mid < min_value) mid = min_value;
      if (mid > max_value) mid = max_value;
      return mid;
    }
  }
  return max_value;
}

}  // namespace hone::profiling::detail
