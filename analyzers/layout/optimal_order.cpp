// Exact minimum-size field ordering by dynamic programming over field classes (see optimal_order.h).
#include "optimal_order.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

namespace hone::layout {

std::vector<uint64_t> place_in_order(const std::vector<MovableUnit>& units, const std::vector<unsigned>& order,
                                     uint64_t start, uint64_t& end) {
  std::vector<uint64_t> offsets(units.size(), 0);
  uint64_t offset = start;
  for (unsigned index : order) {
    offset = align_to(offset, units[index].align);
    offsets[index] = offset;
    offset += units[index].size;
  }
  end = offset;
  return offsets;
}

std::vector<uint64_t> place_fields(const std::vector<PlacedField>& fields, uint64_t start_bits, uint64_t& end_bits) {
  std::vector<uint64_t> offsets;
  uint64_t position = start_bits;
  for (const PlacedField& field : fields) {
    if (!field.bit_field) {
      position = align_to(position, field.align_bits);
    } else if (field.align_bits && position % field.align_bits + field.size_bits > field.align_bits) {
      position = align_to(position, field.align_bits);  // it would straddle a unit of its type
    }
    offsets.push_back(position);
    position += field.size_bits;
  }
  end_bits = position;
  return offsets;
}

// Decreasing alignment, then decreasing size, then declaration order: the classic heuristic, and
// optimal whenever every size is a multiple of its alignment.
static std::vector<unsigned> by_decreasing_alignment(const std::vector<MovableUnit>& units) {
  std::vector<unsigned> order(units.size());
  std::iota(order.begin(), order.end(), 0u);
  // std::sort with the index as last key: as stable as std::stable_sort, which clang 19 rejects with
  // libstdc++ 12 (its temporary buffer helper is deprecated).
  std::sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    if (units[a].align != units[b].align) return units[a].align > units[b].align;
    if (units[a].size != units[b].size) return units[a].size > units[b].size;
    return a < b;
  });
  return order;
}

namespace {

// Units that are interchangeable (same size and alignment) form a class; members keep declaration
// order within it, so the search counts how many of each class are placed, not which.
struct UnitClasses {
  std::vector<MovableUnit> classes;
  std::vector<std::vector<unsigned>> members;  // unit indices per class, in declaration order
};

UnitClasses group_into_classes(const std::vector<MovableUnit>& units) {
  UnitClasses grouped;
  std::map<std::pair<uint64_t, uint64_t>, unsigned> class_of;
  for (unsigned i = 0; i < units.size(); ++i) {
    auto [it, inserted] = class_of.try_emplace({units[i].size, units[i].align}, grouped.classes.size());
    if (inserted) {
      grouped.classes.push_back(units[i]);
      grouped.members.emplace_back();
    }
    grouped.members[it->second].push_back(i);
  }
  return grouped;
}

// Mixed-radix encoding of count vectors: state = sum count_c * stride_c. False when the states would
// exceed `state_budget`.
bool encode_states(const UnitClasses& grouped, uint64_t state_budget, std::vector<uint64_t>& stride, uint64_t& states) {
  stride.resize(grouped.classes.size());
  states = 1;
  for (size_t c = 0; c < grouped.classes.size(); ++c) {
    stride[c] = states;
    uint64_t radix = grouped.members[c].size() + 1;
    if (states > state_budget / radix) return false;
    states *= radix;
  }
  return true;
}

// The dynamic program: for every state, the smallest end offset of any order placing exactly those
// counts, and the class placed last to reach it. Returns the order that reaches the full state.
std::vector<unsigned> best_order(const UnitClasses& grouped, const std::vector<uint64_t>& stride, uint64_t states,
                                 uint64_t start, uint64_t& full_end) {
  const std::vector<MovableUnit>& classes = grouped.classes;
  constexpr uint64_t k_unset = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> best_end(states, k_unset);
  std::vector<uint8_t> last_class(states, 0);
  best_end[0] = start;
  // States in increasing numeric order visit every predecessor (state - stride_c) first.
  for (uint64_t state = 0; state < states; ++state) {
    if (best_end[state] == k_unset) continue;
    uint64_t rest = state;
    for (size_t c = classes.size(); c-- > 0;) {
      uint64_t used = rest / stride[c];
      rest %= stride[c];
      if (used == grouped.members[c].size()) continue;
      uint64_t next = state + stride[c];
      uint64_t end = align_to(best_end[state], classes[c].align) + classes[c].size;
      if (end < best_end[next]) {
        best_end[next] = end;
        last_class[next] = static_cast<uint8_t>(c);
      }
    }
  }
  const uint64_t full = states - 1;
  full_end = best_end[full];
  std::vector<unsigned> reversed_classes;
  for (uint64_t state = full; state != 0;) {
    unsigned c = last_class[state];
    reversed_classes.push_back(c);
    state -= stride[c];
  }
  std::vector<size_t> taken(classes.size(), 0);
  std::vector<unsigned> order;
  for (auto it = reversed_classes.rbegin(); it != reversed_classes.rend(); ++it)
    order.push_back(grouped.members[*it][taken[*it]++]);
  return order;
}

}  // namespace

OrderResult find_minimum_size_order(const std::vector<MovableUnit>& units, uint64_t start, uint64_t record_align,
                                    uint64_t min_size, uint64_t state_budget) {
  auto finish = [&](uint64_t end) { return std::max(align_to(end, record_align), min_size); };
  uint64_t total = start;
  for (const MovableUnit& unit : units) total += unit.size;
  const uint64_t lower_bound = finish(total);

  OrderResult result;
  result.order = by_decreasing_alignment(units);
  place_in_order(units, result.order, start, result.end);
  result.size = finish(result.end);
  if (result.size == lower_bound) {
    result.proven_optimal = true;
    return result;
  }

  const UnitClasses grouped = group_into_classes(units);
  std::vector<uint64_t> stride;
  uint64_t states = 0;
  if (!encode_states(grouped, state_budget, stride, states))
    return result;  // too many states: keep the heuristic, not proven
  // The class count fits in uint8_t for any record we would search (budget caps it far below 256
  // classes with members); guard anyway.
  if (grouped.classes.size() > 255) return result;
  uint64_t best_end = 0;
  std::vector<unsigned> order = best_order(grouped, stride, states, start, best_end);
  if (finish(best_end) >= result.size) {
    result.proven_optimal = true;  // the DP is exact: the heuristic order was already optimal
    return result;
  }
  result.order = std::move(order);
  place_in_order(units, result.order, start, result.end);
  result.size = finish(result.end);
  result.proven_optimal = true;
  return result;
}

// The real size of `pieces` in `order`: every field placed by the ABI's rule.
static uint64_t size_of_piece_order(const std::vector<Piece>& pieces, const std::vector<unsigned>& order,
                                    uint64_t start, uint64_t record_align, uint64_t min_size) {
  std::vector<PlacedField> fields;
  for (unsigned index : order) fields.insert(fields.end(), pieces[index].fields.begin(), pieces[index].fields.end());
  uint64_t end_bits = 0;
  place_fields(fields, start * 8, end_bits);
  return std::max(align_to((end_bits + 7) / 8, record_align), min_size);
}

OrderResult find_minimum_size_piece_order(const std::vector<Piece>& pieces, uint64_t start, uint64_t record_align,
                                          uint64_t min_size) {
  OrderResult result;
  uint64_t total_bits = start * 8;
  for (const Piece& piece : pieces)
    for (const PlacedField& field : piece.fields) total_bits += field.size_bits;
  const uint64_t lower_bound = std::max(align_to((total_bits + 7) / 8, record_align), min_size);
  if (pieces.size() <= k_exhaustive_pieces) {
    std::vector<unsigned> order(pieces.size());
    std::iota(order.begin(), order.end(), 0u);
    result.size = UINT64_MAX;
    do {
      uint64_t size = size_of_piece_order(pieces, order, start, record_align, min_size);
      if (size < result.size) {
        result.size = size;
        result.order = order;
      }
    } while (result.size > lower_bound && std::next_permutation(order.begin(), order.end()));
    result.proven_optimal = true;
    return result;
  }
  std::vector<MovableUnit> units;
  for (const Piece& piece : pieces) units.push_back(piece.unit);
  result = find_minimum_size_order(units, start, record_align, min_size);
  result.size = size_of_piece_order(pieces, result.order, start, record_align, min_size);
  result.proven_optimal = result.size == lower_bound;
  return result;
}

}  // namespace hone::layout
