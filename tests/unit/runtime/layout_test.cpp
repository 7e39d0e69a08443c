// Unit tests of hone/layout.h: the facts are compile-time, so most checks are static_asserts; the
// TEST bodies make them show up as named tests and cover the run-time view of the same values.
#include "hone/layout.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace {

struct NoPadding {
  std::uint32_t id;
  std::uint16_t kind;
  std::uint16_t flags;
};
struct TailPadding {
  std::uint64_t key;
  std::uint8_t tag;
};
struct WithFloats {
  float x, y, z;
  std::uint32_t id;
};
struct alignas(64) CacheLine {
  std::uint64_t words[8];
};

HONE_ASSERT_NO_PADDING(NoPadding);
HONE_ASSERT_SIZE(NoPadding, 8);
HONE_ASSERT_NO_PADDING(CacheLine);

TEST(Layout, FactsMatchTheAbi) {
  using Facts = hone::LayoutFacts<TailPadding>;
  static_assert(Facts::size == 16 && Facts::alignment == 8 && Facts::trivially_copyable);
  EXPECT_FALSE(Facts::unique_representation);
  EXPECT_TRUE(hone::has_padding_v<TailPadding>);
  EXPECT_FALSE(hone::has_padding_v<NoPadding>);
}

TEST(Layout, FloatingPointMembersNeedTheStructuralCheck) {
  // has_unique_object_representations is false for floats even without padding...
  EXPECT_FALSE(hone::LayoutFacts<WithFloats>::unique_representation);
  // ...so padding_bytes_v counts the bytes beyond the listed members.
  EXPECT_EQ((hone::padding_bytes_v<WithFloats, float, float, float, std::uint32_t>), 0u);
  EXPECT_EQ((hone::padding_bytes_v<TailPadding, std::uint64_t, std::uint8_t>), 7u);
}

TEST(Layout, CacheLineFacts) {
  EXPECT_TRUE(hone::never_straddles_cache_line_v<CacheLine>);
  EXPECT_TRUE(hone::never_straddles_cache_line_v<std::uint64_t>);
  EXPECT_FALSE(hone::never_straddles_cache_line_v<TailPadding>);
  EXPECT_EQ(hone::k_cache_line_bytes, 64u);
}

}  // namespace
