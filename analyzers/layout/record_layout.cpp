// Reading a record's layout out of clang::ASTRecordLayout, deciding whether it may be reordered, and
// printing the pahole-style view (see record_layout.h).
//
// Reordering is refused, with the reason shown to the user, where the declaration order is part of a
// contract: packed records (the layout is the point), extern "C" records (shared with C code and
// often with files or the wire), fields aligned on purpose (alignas usually separates cache lines to
// avoid false sharing), unions, virtual bases, bit-fields and [[no_unique_address]] (their placement
// depends on neighbours, so the optimum is not computed by the simple placement model), and whatever
// inside the record observes the order (order_uses: initializers, destructors, defaulted comparisons,
// #pragma pack).
#include "record_layout.h"

#include "order_uses.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/RecordLayout.h>
#include <clang/Basic/TargetInfo.h>
#include <llvm/Support/Format.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>

namespace hone::layout {

static std::string record_name(const clang::ASTContext& context, const clang::RecordDecl& record) {
  std::string name;
  llvm::raw_string_ostream out(name);
  clang::PrintingPolicy policy(context.getLangOpts());
  policy.SuppressTagKeyword = true;
  policy.FullyQualifiedName = true;
  context.getRecordType(&record).print(out, policy);
  return name;
}

static std::string type_name(const clang::ASTContext& context, clang::QualType type) {
  clang::PrintingPolicy policy(context.getLangOpts());
  policy.SuppressTagKeyword = false;
  return type.getAsString(policy);
}

// "int i[3]", "void (*f)(int)": the type printed around the name, as in the source.
static std::string declaration_text(const clang::ASTContext& context, clang::QualType type, const std::string& name) {
  clang::PrintingPolicy policy(context.getLangOpts());
  policy.SuppressTagKeyword = false;
  std::string text;
  llvm::raw_string_ostream out(text);
  type.print(out, policy, name);
  return text;
}

// The vtable pointer a dynamic class's own layout starts with.
static LayoutItem vtable_pointer_item(const clang::ASTContext& context) {
  LayoutItem vptr;
  vptr.kind = ItemKind::VtablePointer;
  vptr.name = "vptr";
  vptr.type = "vtable pointer";
  vptr.size_bits = context.getTargetInfo().getPointerWidth(clang::LangAS::Default);
  vptr.align = vptr.size_bits / 8;
  return vptr;
}

// A direct base (`is_virtual` false) or a virtual base of the record whose layout is `info`.
static LayoutItem base_item(const clang::ASTContext& context, const clang::ASTRecordLayout& info,
                            const clang::CXXRecordDecl& base_decl, bool is_virtual) {
  const clang::ASTRecordLayout& base_info = context.getASTRecordLayout(&base_decl);
  LayoutItem item;
  item.kind = is_virtual ? ItemKind::VirtualBase : ItemKind::Base;
  item.name = record_name(context, base_decl);
  item.type = (is_virtual ? "virtual base " : "base ") + item.name;
  item.offset_bits = static_cast<uint64_t>(
      context.toBits(is_virtual ? info.getVBaseClassOffset(&base_decl) : info.getBaseClassOffset(&base_decl)));
  item.empty_base = base_decl.isEmpty();
  item.size_bits = item.empty_base ? 0 : static_cast<uint64_t>(context.toBits(base_info.getNonVirtualSize()));
  item.align = static_cast<uint64_t>(base_info.getNonVirtualAlignment().getQuantity());
  item.primary_base = info.getPrimaryBase() == &base_decl && (!is_virtual || info.isPrimaryBaseVirtual());
  return item;
}

static void add_bases(const clang::ASTContext& context, const clang::ASTRecordLayout& info,
                      const clang::CXXRecordDecl& cxx, std::vector<LayoutItem>& items) {
  for (const clang::CXXBaseSpecifier& base : cxx.bases()) {
    const clang::CXXRecordDecl* base_decl = base.getType()->getAsCXXRecordDecl();
    if (base_decl && !base.isVirtual()) items.push_back(base_item(context, info, *base_decl, false));
  }
  for (const clang::CXXBaseSpecifier& base : cxx.vbases()) {
    if (const clang::CXXRecordDecl* base_decl = base.getType()->getAsCXXRecordDecl())
      items.push_back(base_item(context, info, *base_decl, true));
  }
}

// A named field (or bit-field) at its offset in `info`.
static LayoutItem field_item(const clang::ASTContext& context, const clang::ASTRecordLayout& info,
                             const clang::FieldDecl* field) {
  LayoutItem item;
  item.kind = ItemKind::Field;
  item.field = field;
  item.name = field->getName().empty() ? "(anonymous)" : field->getNameAsString();
  item.type = type_name(context, field->getType());
  item.declaration = declaration_text(context, field->getType(), item.name);
  if (const clang::RecordDecl* member = field->getType()->getAsRecordDecl();
      member && member->isAnonymousStructOrUnion()) {
    // `union { int i; double d; };` has no name and its type prints as "(anonymous at file:line:col)".
    item.name = member->isUnion() ? "(anonymous union)" : "(anonymous struct)";
    item.type = member->isUnion() ? "union" : "struct";
    item.declaration = item.type + " { ... }";
  }
  item.offset_bits = info.getFieldOffset(field->getFieldIndex());
  item.no_unique_address = field->hasAttr<clang::NoUniqueAddressAttr>();
  item.explicitly_aligned = field->hasAttr<clang::AlignedAttr>();
  clang::QualType type = field->getType();
  if (field->isBitField()) {
    item.bit_field = true;
    item.size_bits = field->getBitWidthValue(context);
    item.storage_bits = context.getTypeSize(type);
    item.align = static_cast<uint64_t>(context.getTypeAlignInChars(type).getQuantity());
  } else if (type->isIncompleteArrayType()) {
    item.flexible_array = true;
    item.size_bits = 0;
    item.align = static_cast<uint64_t>(context.getTypeAlignInChars(type).getQuantity());
  } else {
    clang::TypeInfoChars type_info =
        item.no_unique_address ? context.getTypeInfoDataSizeInChars(type) : context.getTypeInfoInChars(type);
    item.size_bits = static_cast<uint64_t>(context.toBits(type_info.Width));
    if (item.no_unique_address && type->getAsCXXRecordDecl() && type->getAsCXXRecordDecl()->isEmpty())
      item.size_bits = 0;
    item.align = static_cast<uint64_t>(context.getDeclAlign(field).getQuantity());
  }
  return item;
}

// By offset, keeping declaration order among equal offsets (vptr, empty bases, the first field).
// std::sort on (offset, index) rather than std::stable_sort, which clang 19 rejects with libstdc++ 12.
static void sort_by_offset(std::vector<LayoutItem>& items) {
  std::vector<std::pair<uint64_t, size_t>> keys;
  for (size_t i = 0; i < items.size(); ++i) keys.emplace_back(items[i].offset_bits, i);
  std::sort(keys.begin(), keys.end());
  std::vector<LayoutItem> sorted;
  for (const auto& key : keys) sorted.push_back(std::move(items[key.second]));
  items = std::move(sorted);
}

// Holes: the ranges no item covers. Unions overlap by design; they only have tail padding. Like
// pahole, unused bits inside a bit-field's storage unit are a bit hole, the rest byte holes.
static void find_holes(bool is_union, RecordLayout& layout) {
  uint64_t end_bits = 0;
  uint64_t unit_end_bits = 0;  // end of the last bit-field's storage unit
  auto add_gap = [&](uint64_t from, uint64_t to, bool tail) {
    uint64_t split = std::clamp(unit_end_bits, from, to);
    if (split > from) layout.holes.push_back({from, split - from, tail, true});
    if (to > split) layout.holes.push_back({split, to - split, tail, false});
  };
  for (const LayoutItem& item : layout.items) {
    if (!is_union && item.offset_bits > end_bits) add_gap(end_bits, item.offset_bits, false);
    end_bits = std::max(end_bits, item.offset_bits + item.size_bits);
    if (item.bit_field && item.storage_bits)
      unit_end_bits =
          std::max(unit_end_bits, item.offset_bits / item.storage_bits * item.storage_bits + item.storage_bits);
  }
  uint64_t size_bits = layout.size * 8;
  if (size_bits > end_bits) add_gap(end_bits, size_bits, true);
  for (const Hole& hole : layout.holes) layout.padding_bits += hole.size_bits;
}

RecordLayout describe_record(const clang::ASTContext& context, const clang::RecordDecl& record) {
  const clang::ASTRecordLayout& info = context.getASTRecordLayout(&record);
  RecordLayout layout;
  layout.kind = record.isUnion() ? "union" : record.isClass() ? "class" : "struct";
  layout.name = record_name(context, record);
  layout.size = static_cast<uint64_t>(info.getSize().getQuantity());
  layout.align = static_cast<uint64_t>(info.getAlignment().getQuantity());
  layout.data_size = static_cast<uint64_t>(info.getDataSize().getQuantity());
  layout.packed = record.hasAttr<clang::PackedAttr>();
  layout.has_explicit_align = record.hasAttr<clang::AlignedAttr>();

  if (const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record)) {
    if (info.hasOwnVFPtr()) layout.items.push_back(vtable_pointer_item(context));
    add_bases(context, info, *cxx, layout.items);
  }
  for (const clang::FieldDecl* field : record.fields()) {
    if (field->isBitField()) layout.has_bit_fields = true;
    if (field->isUnnamedBitField()) {
      // `int :32;` is not a member: its bits are padding, as pahole reports them, but it is shown (and
      // moved by --fix) as the declaration it is.
      LayoutItem reserved = field_item(context, info, field);
      reserved.name = "";
      reserved.declaration = type_name(context, field->getType()) + " ";
      layout.reserved.push_back(std::move(reserved));
      continue;
    }
    layout.items.push_back(field_item(context, info, field));
  }
  sort_by_offset(layout.items);
  find_holes(record.isUnion(), layout);
  return layout;
}

namespace {

// One movable piece of a record: a plain field, or one storage unit of bit-fields (named and unnamed)
// as Clang allocated it. A unit moves whole, to an offset aligned to its size, so the bits inside it
// are placed exactly as before.
struct RecordPiece {
  MovableUnit unit;
  std::vector<PlacedItem> members;  // in offset order; offset_bits is the old offset
  uint64_t unit_begin_bits = 0;     // bit-field units: the unit's bits in the current layout
  uint64_t unit_end_bits = 0;
  bool bit_fields = false;
};

const LayoutItem& item_of(const RecordLayout& layout, const PlacedItem& placed) {
  return placed.reserved ? layout.reserved[placed.index] : layout.items[placed.index];
}

// Splits the fields into pieces; false (no suggestion) when a bit-field unit shares bits with a plain
// field or another unit, or a zero-width bit-field forces alignment: whole units cannot model those.
bool split_into_pieces(const RecordLayout& layout, uint64_t start_bytes, std::vector<RecordPiece>& pieces,
                       std::string& blocker, uint64_t cacheline) {
  std::vector<PlacedItem> fields;
  for (unsigned i = 0; i < layout.items.size(); ++i)
    if (layout.items[i].kind == ItemKind::Field && !layout.items[i].flexible_array)
      fields.push_back({false, i, layout.items[i].offset_bits});
  for (unsigned i = 0; i < layout.reserved.size(); ++i) fields.push_back({true, i, layout.reserved[i].offset_bits});
  std::sort(fields.begin(), fields.end(), [&](const PlacedItem& a, const PlacedItem& b) {
    return std::make_pair(a.offset_bits, item_of(layout, a).field->getFieldIndex()) <
           std::make_pair(b.offset_bits, item_of(layout, b).field->getFieldIndex());
  });
  uint64_t plain_end_bits = start_bytes * 8;
  for (const PlacedItem& placed : fields) {
    const LayoutItem& item = item_of(layout, placed);
    RecordPiece* open = !pieces.empty() && pieces.back().bit_fields ? &pieces.back() : nullptr;
    if (!item.bit_field) {
      // [[no_unique_address]] members may overlap their neighbours: no placement model prices that.
      if (item.no_unique_address || (open && item.offset_bits < open->unit_end_bits)) return false;
      if (item.explicitly_aligned)
        blocker = "'" + item.name + "' is explicitly aligned (" + std::to_string(item.align) + " bytes)" +
                  (item.align >= cacheline ? ", typically to keep it on its own cache line (false sharing)" : "");
      pieces.push_back({{item.size_bits / 8, item.align}, {placed}, 0, 0, false});
      plain_end_bits = item.offset_bits + item.size_bits;
      continue;
    }
    if (item.size_bits == 0 || item.storage_bits == 0) return false;
    const uint64_t unit_begin = item.offset_bits / item.storage_bits * item.storage_bits;
    if (open && item.offset_bits >= open->unit_begin_bits && item.offset_bits + item.size_bits <= open->unit_end_bits) {
      open->members.push_back(placed);
      continue;
    }
    if (unit_begin < plain_end_bits || (open && unit_begin < open->unit_end_bits)) return false;
    pieces.push_back(
        {{item.storage_bits / 8, item.storage_bits / 8}, {placed}, unit_begin, unit_begin + item.storage_bits, true});
  }
  return true;
}

}  // namespace

Suggestion suggest_order(const clang::ASTContext& context, const clang::RecordDecl& record, const RecordLayout& layout,
                         uint64_t cacheline) {
  Suggestion suggestion;
  suggestion.new_size = layout.size;
  if (record.isUnion()) return suggestion;
  uint64_t start = 0;
  std::string blocker;
  bool has_flexible_array = false;
  for (const LayoutItem& item : layout.items) {
    if (item.kind == ItemKind::VirtualBase)
      blocker = "it has a virtual base, whose placement the ABI decides after the fields";
    else if (item.kind != ItemKind::Field)
      start = std::max(start, (item.offset_bits + item.size_bits + 7) / 8);
    else if (item.flexible_array)
      has_flexible_array = true;  // stays last
  }
  std::vector<RecordPiece> pieces;
  if (!split_into_pieces(layout, start, pieces, blocker, cacheline)) return suggestion;
  if (pieces.size() < 2 || (has_flexible_array && layout.has_bit_fields)) return suggestion;
  // place_fields knows the natural rule only; a packed bit-field record gets no figure rather than a wrong one.
  if (layout.has_bit_fields && (layout.packed || record.hasAttr<clang::MaxFieldAlignmentAttr>())) return suggestion;
  const uint64_t min_size = llvm::isa<clang::CXXRecordDecl>(record) ? 1 : 0;
  OrderResult result;
  if (!layout.has_bit_fields) {
    std::vector<MovableUnit> units;
    for (const RecordPiece& piece : pieces) units.push_back(piece.unit);
    result = find_minimum_size_order(units, start, layout.align, min_size);
  } else {
    // The ABI's bit-field rule says exactly where each field of an order lands (a bit-field may start
    // inside the previous unit): that size is searched and claimed.
    std::vector<Piece> placeable;
    for (const RecordPiece& piece : pieces) {
      Piece entry{piece.unit, {}};
      for (const PlacedItem& member : piece.members) {
        const LayoutItem& item = item_of(layout, member);
        entry.fields.push_back({item.bit_field, item.size_bits, item.bit_field ? item.storage_bits : item.align * 8});
      }
      placeable.push_back(std::move(entry));
    }
    result = find_minimum_size_piece_order(placeable, start, layout.align, min_size);
    std::vector<PlacedField> fields;
    std::vector<PlacedItem> order;
    for (unsigned index : result.order) {
      fields.insert(fields.end(), placeable[index].fields.begin(), placeable[index].fields.end());
      order.insert(order.end(), pieces[index].members.begin(), pieces[index].members.end());
    }
    uint64_t end_bits = 0;
    std::vector<uint64_t> offsets = place_fields(fields, start * 8, end_bits);
    for (size_t i = 0; i < order.size(); ++i) order[i].offset_bits = offsets[i];
    suggestion.placed = std::move(order);
  }
  const uint64_t new_size = result.size;
  if (new_size >= layout.size) {
    suggestion.placed.clear();
    return suggestion;
  }
  suggestion.new_size = new_size;
  suggestion.proven_optimal = result.proven_optimal;
  for (unsigned index : result.order) {
    for (const PlacedItem& member : pieces[index].members) {
      suggestion.field_order.push_back(item_of(layout, member).field);
      if (!member.reserved) suggestion.order.push_back(member.index);
    }
  }
  for (const LayoutItem& item : layout.items)
    if (item.flexible_array) suggestion.field_order.push_back(item.field);
  if (layout.packed)
    blocker = "it is packed: its layout is deliberate";
  else if (record.isExternCContext())
    blocker = "it is declared extern \"C\": C code, files or the wire may depend on its layout";
  if (blocker.empty()) blocker = order_observed_inside(context, record, suggestion.field_order);
  suggestion.unwise_reason = blocker;
  suggestion.reorderable = blocker.empty();
  return suggestion;
}

static void print_item_line(llvm::raw_ostream& out, const LayoutItem& item, uint64_t offset_bits, uint64_t size_bits) {
  std::string declaration;
  switch (item.kind) {
    case ItemKind::VtablePointer: declaration = "/* vtable pointer */"; break;
    case ItemKind::Base:
      declaration = std::string("/* ") + (item.primary_base ? "primary " : "") + "base " + item.name +
                    (item.empty_base ? " (empty, EBO)" : "") + " */";
      break;
    case ItemKind::VirtualBase:
      declaration = "/* virtual base " + item.name + (item.empty_base ? " (empty)" : "") + " */";
      break;
    case ItemKind::Field:
      declaration = (item.no_unique_address ? "[[no_unique_address]] " : "") + item.declaration;
      if (item.bit_field) declaration += ":" + std::to_string(size_bits);
      declaration += ";";
      break;
  }
  // A declaration longer than its column gets a line of its own, so the offsets stay in theirs.
  constexpr size_t k_declaration_width = 40;
  if (declaration.size() > k_declaration_width)
    out << "    " << declaration << "\n    " << std::string(k_declaration_width, ' ') << " /* ";
  else
    out << "    " << llvm::left_justify(declaration, k_declaration_width) << " /* ";
  if (item.bit_field)
    out << llvm::format("%5llu:%-2llu %4llu", static_cast<unsigned long long>(offset_bits / 8),
                        static_cast<unsigned long long>(offset_bits % 8),
                        static_cast<unsigned long long>((size_bits + 7) / 8));
  else
    out << llvm::format("%8llu %4llu", static_cast<unsigned long long>(offset_bits / 8),
                        static_cast<unsigned long long>(size_bits / 8));
  out << " */\n";
}

static void print_hole(llvm::raw_ostream& out, const Hole& hole) {
  if (hole.tail && hole.bits)
    out << "    /* tail bit padding: " << hole.size_bits << " bits";
  else if (hole.tail)
    out << "    /* tail padding: " << hole.size_bits / 8 << " bytes";
  else if (hole.bits || hole.size_bits % 8 || hole.offset_bits % 8)
    out << "    /* XXX " << hole.size_bits << " bits hole";
  else
    out << "    /* XXX " << hole.size_bits / 8 << " bytes hole";
  out << " */\n";
}

// One marker before the first item on a new cache line. A member that straddles several lines (a big
// array) passes more than one boundary; like pahole, only the last is marked, with how far back it was.
static void print_cacheline_marks(llvm::raw_ostream& out, uint64_t& next_line_bits, uint64_t offset_bits,
                                  uint64_t cacheline) {
  if (offset_bits < next_line_bits) return;
  const uint64_t line_bits = cacheline * 8;
  const uint64_t boundary_bits = offset_bits / line_bits * line_bits;
  out << "    /* --- cacheline " << boundary_bits / line_bits << " boundary (" << boundary_bits / 8 << " bytes)";
  if (offset_bits > boundary_bits) out << " was " << (offset_bits - boundary_bits) / 8 << " bytes ago";
  out << " --- */\n";
  next_line_bits = boundary_bits + line_bits;
}

// `reserved`: bytes of the padding that unnamed bit-fields declare (counted as padding, like pahole).
static void print_footer(llvm::raw_ostream& out, uint64_t size, uint64_t align, uint64_t padding, uint64_t cacheline,
                         uint64_t reserved = 0) {
  out << "    /* size: " << size << ", align: " << align << ", padding: " << padding << " bytes";
  if (reserved) out << " (" << reserved << " in unnamed bit-fields)";
  out << ", cachelines: " << cache_lines(size, cacheline) << " */\n};\n";
}

// The holes with the ranges of unnamed bit-fields cut out: those are shown as declarations.
static std::vector<Hole> holes_around_reserved(const RecordLayout& layout) {
  std::vector<Hole> holes;
  for (const Hole& hole : layout.holes) {
    uint64_t from = hole.offset_bits;
    const uint64_t to = hole.offset_bits + hole.size_bits;
    for (const LayoutItem& reserved : layout.reserved) {
      uint64_t begin = std::max(from, reserved.offset_bits);
      uint64_t end = std::min(to, reserved.offset_bits + reserved.size_bits);
      if (begin >= end) continue;
      if (begin > from) holes.push_back({from, begin - from, hole.tail, hole.bits});
      from = end;
    }
    if (to > from) holes.push_back({from, to - from, hole.tail, hole.bits});
  }
  return holes;
}

std::string annotated_view(const RecordLayout& layout, uint64_t cacheline) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << layout.kind << " " << layout.name << " {\n";
  uint64_t next_line_bits = cacheline * 8;
  // Items and unnamed bit-fields by offset; the holes between them.
  std::vector<const LayoutItem*> entries;
  for (const LayoutItem& item : layout.items) entries.push_back(&item);
  for (const LayoutItem& item : layout.reserved) entries.push_back(&item);
  std::sort(entries.begin(), entries.end(), [](const LayoutItem* a, const LayoutItem* b) {
    return a->offset_bits < b->offset_bits || (a->offset_bits == b->offset_bits && a < b);
  });
  const std::vector<Hole> holes = holes_around_reserved(layout);
  size_t hole_index = 0;
  uint64_t reserved_bits = 0;
  for (const LayoutItem* item : entries) {
    while (hole_index < holes.size() &&
           holes[hole_index].offset_bits + holes[hole_index].size_bits <= item->offset_bits)
      print_hole(out, holes[hole_index++]);
    print_cacheline_marks(out, next_line_bits, item->offset_bits, cacheline);
    print_item_line(out, *item, item->offset_bits, item->size_bits);
    if (item->name.empty() && item->bit_field) reserved_bits += item->size_bits;
  }
  for (; hole_index < holes.size(); ++hole_index) print_hole(out, holes[hole_index]);
  print_footer(out, layout.size, layout.align, layout.padding_bits / 8, cacheline, reserved_bits / 8);
  return text;
}

// A suggested order of a record with bit-fields: every field at the offset the ABI's rule gives it.
static std::string placed_view(const RecordLayout& layout, const Suggestion& suggestion, uint64_t cacheline) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << layout.kind << " " << layout.name << " {\n";
  uint64_t next_line_bits = cacheline * 8;
  uint64_t end_bits = 0;
  uint64_t used_bits = 0;
  uint64_t reserved_bits = 0;
  auto place = [&](const LayoutItem& item, uint64_t offset_bits) {
    if (offset_bits > end_bits) print_hole(out, Hole{end_bits, offset_bits - end_bits, false, item.bit_field});
    print_cacheline_marks(out, next_line_bits, offset_bits, cacheline);
    print_item_line(out, item, offset_bits, item.size_bits);
    end_bits = std::max(end_bits, offset_bits + item.size_bits);
    if (item.name.empty() && item.bit_field)
      reserved_bits += item.size_bits;
    else
      used_bits += item.size_bits;
  };
  for (const LayoutItem& item : layout.items)
    if (item.kind != ItemKind::Field) place(item, item.offset_bits);
  for (const PlacedItem& placed : suggestion.placed)
    place(placed.reserved ? layout.reserved[placed.index] : layout.items[placed.index], placed.offset_bits);
  if (suggestion.new_size * 8 > end_bits)
    print_hole(out, Hole{end_bits, suggestion.new_size * 8 - end_bits, true, end_bits % 8 != 0});
  print_footer(out, suggestion.new_size, layout.align, (suggestion.new_size * 8 - used_bits) / 8, cacheline,
               reserved_bits / 8);
  return text;
}

std::string annotated_view_for_order(const RecordLayout& layout, const Suggestion& suggestion, uint64_t cacheline) {
  if (!suggestion.placed.empty()) return placed_view(layout, suggestion, cacheline);
  // Non-field items keep their place at the front; the fields follow in the suggested order.
  std::string text;
  llvm::raw_string_ostream out(text);
  out << layout.kind << " " << layout.name << " {\n";
  uint64_t next_line_bits = cacheline * 8;
  uint64_t end = 0;
  uint64_t used = 0;
  auto place = [&](const LayoutItem& item, uint64_t offset) {
    if (offset > end) {
      Hole hole{end * 8, (offset - end) * 8, false};
      print_hole(out, hole);
    }
    print_cacheline_marks(out, next_line_bits, offset * 8, cacheline);
    print_item_line(out, item, offset * 8, item.size_bits);
    end = std::max(end, offset + item.size_bits / 8);
    used += item.size_bits / 8;
  };
  for (const LayoutItem& item : layout.items)
    if (item.kind != ItemKind::Field) place(item, item.offset_bits / 8);
  for (unsigned index : suggestion.order) {
    const LayoutItem& item = layout.items[index];
    place(item, align_to(end, item.align));
  }
  for (const LayoutItem& item : layout.items)
    if (item.flexible_array) place(item, align_to(end, item.align));
  if (suggestion.new_size > end) print_hole(out, Hole{end * 8, (suggestion.new_size - end) * 8, true});
  print_footer(out, suggestion.new_size, layout.align, suggestion.new_size - used, cacheline);
  return text;
}

}  // namespace hone::layout
