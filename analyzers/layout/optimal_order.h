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

#include <cstddef>
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

// One field as the Itanium C++ ABI places it (x86-64 SysV and the other targets Clang lays out that way;
// not packed, no #pragma pack, no zero-width bit-fields): a plain field at the next offset aligned to
// its alignment; a bit-field at the next bit, unless its bits would straddle a storage unit of its
// declared type, when it starts the next unit.
struct PlacedField {
  bool bit_field = false;
  uint64_t size_bits = 0;   // plain field: its size; bit-field: its width
  uint64_t align_bits = 8;  // plain field: its alignment; bit-field: the size of its declared type
};

// The offset in bits of each field (in `fields`' order) placed from `start_bits`; `end_bits` is where
// the last one ends.
std::vector<uint64_t> place_fields(const std::vector<PlacedField>& fields, uint64_t start_bits, uint64_t& end_bits);

// The minimum-size order of pieces that move whole (a plain field, or a storage unit of bit-fields with
// `fields` in it), sized by place_fields, i.e. by where the ABI really puts every field. Up to
// k_exhaustive_pieces pieces every order is tried; beyond, the order is the dynamic program's over the
// pieces' `unit` (size and alignment of the whole unit), which bounds the real size from above.
// `proven_optimal` when every order was tried or the size meets the lower bound of all bits packed.
struct Piece {
  MovableUnit unit;
  std::vector<PlacedField> fields;
};
constexpr size_t k_exhaustive_pieces = 8;
OrderResult find_minimum_size_piece_order(const std::vector<Piece>& pieces, uint64_t start, uint64_t record_align,
                                          uint64_t min_size = 0);

inline uint64_t align_to(uint64_t value, uint64_t align) {
  return align <= 1 ? value : (value + align - 1) / align * align;
}

}  // namespace hone::layout
