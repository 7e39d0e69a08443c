// The minimum-size order of a record's movable fields.
//
// Placing fields one after another, a field of alignment a lands at alignTo(end, a). alignTo is
// monotone in `end`, so among all orders of a set S of fields, the one ending earliest is also the
// best prefix for every completion: min_end(S) = min over f in S of alignTo(min_end(S - f), a_f) + s_f
// is an exact dynamic program. Fields with equal (size, alignment) are interchangeable, so the DP
// runs over count vectors of these classes instead of subsets: the state space is the product of
// (count_c + 1), small for real records (a 40-field struct typically has < 8 classes). When that
// product exceeds a budget we fall back to the decreasing-alignment order, and call it optimal only
// if it meets the lower bound alignTo(start + sum of sizes, record alignment).
#pragma once

#include <cstdint>
#include <vector>

namespace hone::layout {

struct MovableUnit {
  uint64_t size = 0;   // bytes
  uint64_t align = 1;  // bytes, power of two
};

struct OrderResult {
  std::vector<unsigned> order;  // indices into the input units, in the new declaration order
  uint64_t end = 0;             // end offset of the last unit (before tail padding)
  uint64_t size = 0;            // alignTo(end, record_align), at least min_size
  bool proven_optimal = false;
};

// Best order of `units` placed from byte offset `start`; the record's size is rounded up to
// `record_align` and is never below `min_size` (e.g. 1 for an empty C++ record).
OrderResult find_minimum_size_order(const std::vector<MovableUnit>& units, uint64_t start, uint64_t record_align,
                                    uint64_t min_size = 0, uint64_t state_budget = 4'000'000);

// Layout of `units` in the given order from `start`: each unit's offset, and the end offset.
std::vector<uint64_t> place_in_order(const std::vector<MovableUnit>& units, const std::vector<unsigned>& order,
                                     uint64_t start, uint64_t& end);

inline uint64_t align_to(uint64_t value, uint64_t align) {
  return align <= 1 ? value : (value + align - 1) / align * align;
}

}  // namespace hone::layout
