// Checks hone layout's minimum-size field order search against brute force.
//
// For small random field sets every permutation is tried and the smallest resulting record size is
// compared with find_minimum_size_order(); the returned order must also really produce the size it
// claims. A budget of 1 state forces the decreasing-alignment fallback, which must never claim
// optimality it cannot prove.
#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "optimal_order.h"

namespace hone::layout {
namespace {

uint64_t size_of_order(const std::vector<MovableUnit>& units, const std::vector<unsigned>& order, uint64_t start,
                       uint64_t record_align) {
  uint64_t end = 0;
  place_in_order(units, order, start, end);
  return align_to(end, record_align);
}

uint64_t brute_force_size(const std::vector<MovableUnit>& units, uint64_t start, uint64_t record_align) {
  std::vector<unsigned> order(units.size());
  std::iota(order.begin(), order.end(), 0u);
  uint64_t best = UINT64_MAX;
  do {
    best = std::min(best, size_of_order(units, order, start, record_align));
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

std::vector<MovableUnit> random_units(std::mt19937& rng, unsigned count) {
  static const uint64_t k_aligns[] = {1, 2, 4, 8, 16};
  std::vector<MovableUnit> units;
  for (unsigned i = 0; i < count; ++i) {
    uint64_t align = k_aligns[rng() % 5];
    // Sizes that are not multiples of the alignment (e.g. packed-like members) exercise the cases
    // where sorting by alignment is not optimal.
    uint64_t size = align * (1 + rng() % 3) + ((rng() % 4 == 0) ? rng() % align : 0);
    units.push_back({size, align});
  }
  return units;
}

TEST(OptimalOrder, AgreesWithBruteForceOnRandomSets) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 400; ++round) {
    auto units = random_units(rng, 1 + rng() % 7);
    uint64_t record_align = 1;
    for (const auto& unit : units) record_align = std::max(record_align, unit.align);
    uint64_t start = (rng() % 3 == 0) ? 8 * (rng() % 2) + 1 : 0;
    OrderResult result = find_minimum_size_order(units, start, record_align);
    ASSERT_EQ(result.order.size(), units.size());
    EXPECT_EQ(result.size, brute_force_size(units, start, record_align)) << "round " << round;
    EXPECT_EQ(size_of_order(units, result.order, start, record_align), result.size) << "round " << round;
    EXPECT_TRUE(result.proven_optimal);
    std::vector<unsigned> sorted = result.order;
    std::sort(sorted.begin(), sorted.end());
    for (unsigned i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i], i);
  }
}

TEST(OptimalOrder, ClassicCharIntCharShrinks) {
  std::vector<MovableUnit> units = {{1, 1}, {8, 8}, {1, 1}, {4, 4}};
  OrderResult result = find_minimum_size_order(units, 0, 8);
  EXPECT_EQ(result.size, 16u);
  EXPECT_TRUE(result.proven_optimal);
}

TEST(OptimalOrder, FallbackNeverOverclaims) {
  std::mt19937 rng(777);
  for (int round = 0; round < 200; ++round) {
    auto units = random_units(rng, 2 + rng() % 5);
    uint64_t record_align = 1;
    for (const auto& unit : units) record_align = std::max(record_align, unit.align);
    OrderResult fallback = find_minimum_size_order(units, 0, record_align, 0, /*state_budget=*/1);
    uint64_t best = brute_force_size(units, 0, record_align);
    EXPECT_GE(fallback.size, best);
    if (fallback.proven_optimal) {
      EXPECT_EQ(fallback.size, best) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace hone::layout
