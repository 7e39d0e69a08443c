// The two-sided Mann-Whitney U test (see hone/stats.h for why ranks and not means).
//
// U of the first sample is its rank sum minus n1(n1+1)/2, with tied values sharing their mean rank.
// Exact p-values: the null distribution of U follows from the recursion on which sample holds the
// largest value, p(m, n, u) = m/(m+n) p(m-1, n, u-n) + n/(m+n) p(m, n-1, u) (Mann & Whitney 1947).
// Working with probabilities instead of counts keeps every term non-negative and below 1, so there
// is no overflow or cancellation even at 50 + 50 values where the counts exceed 2^53. Two rows of
// the (m, n) table are kept, so memory is O(n2 * n1 * n2) doubles, about 2 MB at the limit.
// Large samples or ties use the normal approximation with variance
// n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))) and a continuity correction of 1/2.
#include "hone/stats.h"

#include <algorithm>
#include <cmath>
#include <new>
#include <utility>
#include <vector>

namespace hone::stats {
namespace {

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// P(U <= u_max) under the null hypothesis for sample sizes m and n, exactly.
double exact_lower_tail(std::size_t m, std::size_t n, std::size_t u_max) {
  // previous[j] / current[j]: distribution of U for sizes (i-1, j) / (i, j), index = value of U.
  std::vector<std::vector<double>> previous(n + 1), current(n + 1);
  for (std::size_t j = 0; j <= n; ++j) previous[j] = {1.0};  // i = 0: U is always 0
  for (std::size_t i = 1; i <= m; ++i) {
    current[0] = {1.0};  // j = 0: U is always 0
    for (std::size_t j = 1; j <= n; ++j) {
      std::vector<double>& row = current[j];
      row.assign(i * j + 1, 0.0);
      const double from_first = static_cast<double>(i) / static_cast<double>(i + j);
      const double from_second = 1.0 - from_first;
      const std::vector<double>& first_largest = previous[j];   // sizes (i-1, j), shifted by j
      const std::vector<double>& second_largest = current[j - 1];  // sizes (i, j-1)
      for (std::size_t u = 0; u < first_largest.size(); ++u) row[u + j] += from_first * first_largest[u];
      for (std::size_t u = 0; u < second_largest.size(); ++u) row[u] += from_second * second_largest[u];
    }
    std::swap(previous, current);
  }
  const std::vector<double>& distribution = previous[n];
  double tail = 0.0;
  for (std::size_t u = 0; u <= u_max && u < distribution.size(); ++u) tail += distribution[u];
  return tail;
}

MannWhitneyResult compute(std::span<const double> first, std::span<const double> second) {
  MannWhitneyResult result;
  const std::size_t n1 = first.size();
  const std::size_t n2 = second.size();
  if (n1 == 0 || n2 == 0 || !all_finite(first) || !all_finite(second)) return result;

  // Pool the samples, remembering which one each value came from, and rank them.
  std::vector<std::pair<double, bool>> pooled;  // (value, from first sample)
  pooled.reserve(n1 + n2);
  for (double v : first) pooled.emplace_back(v, true);
  for (double v : second) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  double first_rank_sum = 0.0;
  double tie_term = 0.0;  // sum over groups of tied values of t^3 - t
  for (std::size_t start = 0; start < pooled.size();) {
    std::size_t end = start + 1;
    while (end < pooled.size() && pooled[end].first == pooled[start].first) ++end;
    const double t = static_cast<double>(end - start);
    const double mean_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t k = start; k < end; ++k)
      if (pooled[k].second) first_rank_sum += mean_rank;
    tie_term += t * t * t - t;
    start = end;
  }

  const double m = static_cast<double>(n1);
  const double n = static_cast<double>(n2);
  result.valid = true;
  result.u = first_rank_sum - m * (m + 1.0) / 2.0;
  const double mean_u = m * n / 2.0;

  if (tie_term == 0.0 && n1 <= k_exact_max_sample && n2 <= k_exact_max_sample) {
    // U is an integer without ties; the null distribution is symmetric about m n / 2.
    const double smaller = std::min(result.u, m * n - result.u);
    const auto u_max = static_cast<std::size_t>(std::llround(smaller));
    result.exact = true;
    result.p_value = std::min(1.0, 2.0 * exact_lower_tail(n1, n2, u_max));
    return result;
  }

  const double total = m + n;
  const double variance = m * n / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)));
  if (variance <= 0.0) {  // every value is the same: no evidence of any difference
    result.p_value = 1.0;
    return result;
  }
  const double distance = std::max(0.0, std::fabs(result.u - mean_u) - 0.5);
  const double z = distance / std::sqrt(variance);
  result.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return result;
}

} // namespace

MannWhitneyResult mann_whitney_u(std::span<const double> first, std::span<const double> second) noexcept {
  try {
    return compute(first, second);
  } catch (const std::bad_alloc&) {
    return MannWhitneyResult{};
  }
}

} // namespace hone::stats
