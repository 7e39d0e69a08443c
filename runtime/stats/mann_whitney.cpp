// The two-sided Mann-Whitney U test (see hone/stats.h for why ranks and not means).
//
// U of the first sample is its rank sum minus n1(n1+1)/2, with tied values sharing their mean rank.
// Exact p-values: under the null hypothesis every arrangement of the pooled ranks is equally likely
// (Mann & Whitney 1947), and the number of arrangements with a given U is a coefficient of a
// Gaussian binomial coefficient (see exact_lower_tail). Memory is m n + m + n + 1 doubles.
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
//
// The number of arrangements with U = u is the coefficient of q^u in the Gaussian binomial
// coefficient [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i). It is built one factor at a
// time: multiplying by (1 - q^(n+i)) is one subtraction per coefficient and dividing by (1 - q^i) a
// running sum with stride i, so the cost is O(m * m * n) instead of the O(m^2 n^2) of the textbook
// recursion over (m, n) tables (4.7 ms -> tens of microseconds at 50 + 50). After each factor the
// polynomial is again a Gaussian binomial, whose coefficients are non-negative integers; the small
// coefficients that make up the tails are computed only from other small coefficients, so the tail
// probabilities stay accurate even though the middle coefficients reach ~1e29 at 50 + 50.
double exact_lower_tail(std::size_t m, std::size_t n, std::size_t u_max) {
  if (m > n) std::swap(m, n);  // U's distribution is the same for (m, n) and (n, m); fewer factors
  std::vector<double> coefficients(m * n + n + m + 1, 0.0);
  coefficients[0] = 1.0;
  std::size_t degree = 0;
  for (std::size_t i = 1; i <= m; ++i) {
    const std::size_t shift = n + i;
    for (std::size_t k = degree + shift; k >= shift; --k) coefficients[k] -= coefficients[k - shift];
    const std::size_t new_degree = degree + n;
    for (std::size_t k = i; k <= new_degree; ++k) coefficients[k] += coefficients[k - i];
    for (std::size_t k = new_degree + 1; k <= degree + shift; ++k) coefficients[k] = 0.0;  // zero remainder
    degree = new_degree;
  }
  double total = 0.0, tail = 0.0;
  for (std::size_t u = 0; u <= degree; ++u) {
    total += coefficients[u];
    if (u <= u_max) tail += coefficients[u];
  }
  return tail / total;
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
  std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

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

}  // namespace

MannWhitneyResult mann_whitney_u(std::span<const double> first, std::span<const double> second) noexcept {
  try {
    return compute(first, second);
  } catch (const std::bad_alloc&) {
    return MannWhitneyResult{};
  }
}

}  // namespace hone::stats
