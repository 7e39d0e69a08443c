// Compile-time self-check of hone/layout.h: the header must compile on its own, and its facts must
// agree with the layouts the x86-64 and AArch64 ABIs give a few reference types. A wrong fact here is
// a build error, so a broken header can never ship.
#include "hone/layout.h"

#include <cstdint>

namespace hone::layout_selfcheck {

struct Packed {
  std::uint64_t a;
  std::uint32_t b;
  std::uint32_t c;
};
struct Holey {
  char c;
  std::uint64_t a;
};

HONE_ASSERT_NO_PADDING(Packed);
HONE_ASSERT_SIZE(Packed, 16);
static_assert(!has_padding_v<Packed>);
static_assert(has_padding_v<Holey>);
static_assert(LayoutFacts<Holey>::size == 16 && LayoutFacts<Holey>::alignment == 8);
static_assert(padding_bytes_v<Holey, char, std::uint64_t> == 7);
static_assert(never_straddles_cache_line_v<std::uint64_t>);
static_assert(!never_straddles_cache_line_v<Packed>);

}  // namespace hone::layout_selfcheck
