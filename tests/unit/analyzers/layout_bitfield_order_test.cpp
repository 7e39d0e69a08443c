// Checks hone layout's order search for records with bit-fields against brute force: pieces (plain
// fields, and storage units of bit-fields that move whole) are placed by the ABI's bit-field rule
// (place_fields), and for random records every order of the pieces is tried; the search must find a
// size no larger. glibc's struct timex (eleven reserved `int :32;`) must reach 200 bytes, the bound of
// all its bits packed, which no order can beat. place_fields itself is checked on layouts Clang is
// known to produce.
#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "optimal_order.h"

namespace hone::layout {
namespace {

PlacedField plain(uint64_t bytes, uint64_t align) {
  return {false, bytes * 8, align * 8};
}
PlacedField bits(uint64_t width, uint64_t type_bytes) {
  return {true, width, type_bytes * 8};
}

uint64_t real_size(const std::vector<Piece>& pieces, const std::vector<unsigned>& order, uint64_t align) {
  std::vector<PlacedField> fields;
  for (unsigned index : order) fields.insert(fields.end(), pieces[index].fields.begin(), pieces[index].fields.end());
  uint64_t end_bits = 0;
  place_fields(fields, 0, end_bits);
  return align_to((end_bits + 7) / 8, align);
}

uint64_t brute_force(const std::vector<Piece>& pieces, uint64_t align) {
  std::vector<unsigned> order(pieces.size());
  std::iota(order.begin(), order.end(), 0u);
  uint64_t best = UINT64_MAX;
  do {
    best = std::min(best, real_size(pieces, order, align));
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

TEST(PlaceFields, MatchesTheItaniumRule) {
  // struct { unsigned a : 3; unsigned b : 30; char c; unsigned long d : 5; }: Clang puts b at 4, c at 8,
  // d at 9 (bit 72; it fits the long unit [64, 128)), 16 bytes.
  uint64_t end = 0;
  std::vector<uint64_t> offsets = place_fields({bits(3, 4), bits(30, 4), plain(1, 1), bits(5, 8)}, 0, end);
  EXPECT_EQ(offsets, (std::vector<uint64_t>{0, 32, 64, 72}));
  EXPECT_EQ(end, 77u);
  // struct { char c; int x : 8; }: x shares the int unit with c.
  offsets = place_fields({plain(1, 1), bits(8, 4)}, 0, end);
  EXPECT_EQ(offsets[1], 8u);
}

TEST(BitFieldOrder, TimexReachesTheBoundOfAllItsBits) {
  // glibc's struct timex on x86-64: 20 members and 11 reserved `int :32;`, 208 bytes as declared.
  std::vector<Piece> pieces;
  auto add_plain = [&](uint64_t size, uint64_t align) { pieces.push_back({{size, align}, {plain(size, align)}}); };
  add_plain(4, 4);                              // modes
  for (int i = 0; i < 4; ++i) add_plain(8, 8);  // offset, freq, maxerror, esterror
  add_plain(4, 4);                              // status
  for (int i = 0; i < 3; ++i) add_plain(8, 8);  // constant, precision, tolerance
  add_plain(16, 8);                             // time
  for (int i = 0; i < 3; ++i) add_plain(8, 8);  // tick, ppsfreq, jitter
  add_plain(4, 4);                              // shift
  for (int i = 0; i < 5; ++i) add_plain(8, 8);  // stabil, jitcnt, calcnt, errcnt, stbcnt
  add_plain(4, 4);                              // tai
  for (int i = 0; i < 11; ++i) pieces.push_back({{4, 4}, {bits(32, 4)}});
  std::vector<unsigned> declared(pieces.size());
  std::iota(declared.begin(), declared.end(), 0u);
  ASSERT_EQ(real_size(pieces, declared, 8), 208u);
  OrderResult result = find_minimum_size_piece_order(pieces, 0, 8);
  EXPECT_EQ(result.size, 200u);
  EXPECT_TRUE(result.proven_optimal);
  EXPECT_EQ(real_size(pieces, result.order, 8), result.size);
}

// Random records of up to k_exhaustive_pieces + 2 pieces: plain fields and bit-field units with one to
// three bit-fields that fit their unit. Above the exhaustive limit the search is the unit DP; it must
// still match brute force on these sizes or say it is not proven.
TEST(BitFieldOrder, NoLargerThanBruteForce) {
  std::mt19937 rng(15);
  const uint64_t type_bytes[] = {1, 2, 4, 8};
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<Piece> pieces;
    uint64_t align = 1;
    const unsigned count = 2 + rng() % (trial < 250 ? 6 : 8);
    for (unsigned i = 0; i < count; ++i) {
      uint64_t bytes = type_bytes[rng() % 4];
      align = std::max(align, bytes);
      if (rng() % 2) {
        pieces.push_back({{bytes, bytes}, {plain(bytes, bytes)}});
        continue;
      }
      Piece unit{{bytes, bytes}, {}};
      uint64_t left = bytes * 8;
      for (unsigned f = 0, fields = 1 + rng() % 3; f < fields && left > 0; ++f) {
        uint64_t width = 1 + rng() % left;
        unit.fields.push_back(bits(width, bytes));
        left -= width;
      }
      pieces.push_back(std::move(unit));
    }
    OrderResult result = find_minimum_size_piece_order(pieces, 0, align);
    ASSERT_EQ(real_size(pieces, result.order, align), result.size) << "trial " << trial;
    const uint64_t best = brute_force(pieces, align);
    if (pieces.size() <= k_exhaustive_pieces) {
      EXPECT_EQ(result.size, best) << "trial " << trial;
      EXPECT_TRUE(result.proven_optimal);
    } else if (result.proven_optimal) {
      EXPECT_EQ(result.size, best) << "trial " << trial;
    }
  }
}

}  // namespace
}  // namespace hone::layout
