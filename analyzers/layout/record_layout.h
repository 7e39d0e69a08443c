// What Clang laid out for one record: every byte range with what occupies it, the holes between,
// and whether the fields may be reordered (and if not, why).
//
// All figures come from clang::ASTRecordLayout, the same object code generation uses, so they are
// the ABI's figures by construction. Offsets are kept in bits so bit-fields and the holes between
// them are exact.
#pragma once

#include "optimal_order.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hone::layout {

enum class ItemKind { VtablePointer, Base, VirtualBase, Field };

struct LayoutItem {
  std::string name;         // field or base name
  std::string type;         // printed type
  std::string declaration;  // fields: type and name as declared, e.g. "int i[3]"
  uint64_t offset_bits = 0;
  uint64_t size_bits = 0;     // 0 for an empty base or [[no_unique_address]] empty field
  uint64_t align = 1;         // bytes
  uint64_t storage_bits = 0;  // bit-fields: size of the declared type (the storage unit)
  const clang::FieldDecl* field = nullptr;
  ItemKind kind = ItemKind::Field;
  bool bit_field = false;
  bool primary_base = false;
  bool empty_base = false;  // occupies no storage (empty-base optimization)
  bool no_unique_address = false;
  bool flexible_array = false;
  bool explicitly_aligned = false;  // alignas / __attribute__((aligned)) on the field
};

struct Hole {
  uint64_t offset_bits = 0;  // where the unused range begins
  uint64_t size_bits = 0;
  bool tail = false;  // after the last item, up to sizeof
  bool bits = false;  // inside a bit-field's storage unit (pahole's "bit hole")
};

struct RecordLayout {
  std::string kind;        // struct | class | union
  std::string name;        // qualified, with template arguments
  uint64_t size = 0;       // bytes (sizeof)
  uint64_t align = 1;      // bytes (alignof)
  uint64_t data_size = 0;  // bytes (dsize: what a derived class may not reuse)
  bool packed = false;
  bool has_explicit_align = false;
  bool has_bit_fields = false;    // named or not
  std::vector<LayoutItem> items;  // in offset order
  // Unnamed bit-fields (`int :32;`, often reserved space): not members, so their bits are counted as
  // padding like pahole does, but shown and moved as what they are.
  std::vector<LayoutItem> reserved;
  std::vector<Hole> holes;    // in offset order, tail padding last
  uint64_t padding_bits = 0;  // sum of holes
};

RecordLayout describe_record(const clang::ASTContext& context, const clang::RecordDecl& record);

// Suggested minimum-size order (only for reorderable records).
// Where a field lands in a suggested order of a record with bit-fields (whose offsets are placed by the
// ABI's bit-field rule, not byte by byte).
struct PlacedItem {
  bool reserved = false;  // index into RecordLayout::reserved, else into RecordLayout::items
  unsigned index = 0;
  uint64_t offset_bits = 0;
};

struct Suggestion {
  std::string unwise_reason;    // non-empty: reordering would save bytes but is unwise, and why
  std::vector<unsigned> order;  // indices into RecordLayout::items (named fields only), new order
  // Every field of the record, unnamed bit-fields and a flexible array member included, in the new
  // order (only while the TU's AST lives: for planning --fix).
  std::vector<const clang::FieldDecl*> field_order;
  std::vector<PlacedItem> placed;  // records with bit-fields: every field with its new offset
  uint64_t new_size = 0;
  bool reorderable = false;
  bool proven_optimal = false;
};

Suggestion suggest_order(const clang::ASTContext& context, const clang::RecordDecl& record, const RecordLayout& layout,
                         uint64_t cacheline);

// pahole-style annotated view: one line per item with /* offset size */, holes and tail padding
// marked, and cache line boundaries.
std::string annotated_view(const RecordLayout& layout, uint64_t cacheline);

// The same view for a suggested order (fields moved, offsets recomputed).
std::string annotated_view_for_order(const RecordLayout& layout, const Suggestion& suggestion, uint64_t cacheline);

inline uint64_t cache_lines(uint64_t size, uint64_t cacheline) {
  return size == 0 ? 0 : (size + cacheline - 1) / cacheline;
}

}  // namespace hone::layout
