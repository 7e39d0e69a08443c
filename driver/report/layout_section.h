// The record model behind the layout section of `hone report`: what `hone layout --format json` says
// about one record, and the blocks drawn for it before and after the suggested order.
//
// The "after" drawing is computed here, not read: the JSON gives the suggested order and the new size,
// and the placement rule is the one the analyzer prints its own "suggested order" view with (non-field
// items keep their offsets, fields follow in order each at the next multiple of its alignment, a
// flexible array member last, tail padding up to the new size). blocks_after() checks that it arrives
// at the size the analyzer computed, so a drawing that disagrees with the analyzer is never shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/report/svg.h"

namespace hone::report {

struct LayoutMember {
  std::string kind;  // field, base, virtual_base, vptr
  std::string name;
  std::string type;
  std::uint64_t offset_bits = 0;
  std::uint64_t size_bits = 0;
  std::uint64_t align = 1;
  bool flexible_array = false;
  bool bit_field = false;
};

struct LayoutHole {
  std::uint64_t offset_bits = 0;
  std::uint64_t size_bits = 0;
  bool tail = false;
};

struct LayoutSuggestion {
  std::vector<std::string> order;  // field names
  std::uint64_t new_size = 0;
  std::uint64_t saved = 0;
  std::uint64_t new_cachelines = 0;
  bool proven_optimal = false;
  bool safe = false;
  std::string unwise_reason;
};

struct LayoutRecord {
  std::string check;  // hone-padding, hone-padding-keep-order, ...
  std::string message;
  std::string file;
  long line = 0;
  std::string name;
  std::string kind;
  std::uint64_t size = 0;
  std::uint64_t padding = 0;
  std::uint64_t cachelines = 0;
  std::vector<LayoutMember> members;
  std::vector<LayoutHole> holes;
  std::optional<LayoutSuggestion> suggestion;
};

// The record as it is: members and holes at their offsets.
std::vector<Block> blocks_before(const LayoutRecord& record);

// The record in the suggested order; nullopt when the record has no suggestion, or the order names a
// field the record does not have, or the placement does not reach the analyzer's new size.
std::optional<std::vector<Block>> blocks_after(const LayoutRecord& record);

}  // namespace hone::report
