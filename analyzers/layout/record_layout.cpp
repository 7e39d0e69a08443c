// Reading a record's layout out of clang::ASTRecordLayout, deciding whether it may be reordered, and
// printing the pahole-style view (see record_layout.h).
//
// Reordering is refused, with the reason shown to the user, where the declaration order is part of a
// contract: packed records (the layout is the point), extern "C" records (shared with C code and
// often with files or the wire), fields aligned on purpose (alignas usually separates cache lines to
// avoid false sharing), unions, virtual bases, bit-fields and [[no_unique_address]] (their placement
// depends on neighbours, so the optimum is not computed by the simple placement model), and
// constructors whose member initializers read other members (their order would change meaning).
#include "record_layout.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/RecordLayout.h>
#include <clang/AST/RecursiveASTVisitor.h>
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
    if (field->isUnnamedBitField())
      continue;  // `int :32;` is not a member: its bits are padding, as pahole reports them
    layout.items.push_back(field_item(context, info, field));
  }
  sort_by_offset(layout.items);
  find_holes(record.isUnion(), layout);
  return layout;
}

namespace {

// Finds constructor member initializers that read another member of the same record.
class ReadsMember : public clang::RecursiveASTVisitor<ReadsMember> {
public:
  explicit ReadsMember(const clang::RecordDecl& record) : record_(record) {}
  bool VisitMemberExpr(clang::MemberExpr* expr) {
    if (const auto* field = llvm::dyn_cast<clang::FieldDecl>(expr->getMemberDecl())) {
      if (field->getParent() == &record_ && llvm::isa<clang::CXXThisExpr>(expr->getBase()->IgnoreImpCasts()))
        found_name = field->getNameAsString();
    }
    return found_name.empty();
  }
  std::string found_name;

private:
  const clang::RecordDecl& record_;
};

std::string order_dependent_constructor(const clang::RecordDecl& record) {
  const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record);
  if (!cxx) return "";
  for (const clang::CXXConstructorDecl* constructor : cxx->ctors()) {
    const clang::CXXConstructorDecl* definition = constructor;
    if (const clang::FunctionDecl* body_decl = nullptr; constructor->hasBody(body_decl))
      definition = llvm::cast<clang::CXXConstructorDecl>(body_decl);
    for (const clang::CXXCtorInitializer* init : definition->inits()) {
      if (!init->isMemberInitializer() || !init->isWritten()) continue;
      ReadsMember visitor(record);
      visitor.TraverseStmt(init->getInit());
      if (!visitor.found_name.empty())
        return "the initializer of '" + init->getMember()->getNameAsString() + "' reads '" + visitor.found_name +
               "', so the constructor depends on the declaration order";
    }
  }
  return "";
}

}  // namespace

Suggestion suggest_order(const clang::ASTContext& context, const clang::RecordDecl& record, const RecordLayout& layout,
                         uint64_t cacheline) {
  (void)context;
  Suggestion suggestion;
  suggestion.new_size = layout.size;
  if (record.isUnion() || layout.has_bit_fields) return suggestion;
  std::vector<MovableUnit> units;
  std::vector<unsigned> unit_item;
  uint64_t start = 0;
  std::string blocker;
  for (unsigned i = 0; i < layout.items.size(); ++i) {
    const LayoutItem& item = layout.items[i];
    if (item.kind == ItemKind::VirtualBase) {
      blocker = "it has a virtual base, whose placement the ABI decides after the fields";
      continue;
    }
    if (item.kind != ItemKind::Field) {
      start = std::max(start, (item.offset_bits + item.size_bits + 7) / 8);
      continue;
    }
    // Bit-fields pack into their neighbours' storage units and [[no_unique_address]] members may
    // overlap them: the one-field-after-another model cannot price those orders, so no figure is
    // offered rather than a wrong one (the layout and its bit holes are still reported).
    if (item.bit_field || item.no_unique_address) return suggestion;
    if (item.flexible_array)
      continue;  // stays last
    else if (item.explicitly_aligned)
      blocker = "'" + item.name + "' is explicitly aligned (" + std::to_string(item.align) + " bytes)" +
                (item.align >= cacheline ? ", typically to keep it on its own cache line (false sharing)" : "");
    units.push_back({item.size_bits / 8, item.align});
    unit_item.push_back(i);
  }
  if (units.size() < 2) return suggestion;
  uint64_t min_size = llvm::isa<clang::CXXRecordDecl>(record) ? 1 : 0;
  OrderResult result = find_minimum_size_order(units, start, layout.align, min_size);
  if (result.size >= layout.size) return suggestion;
  suggestion.new_size = result.size;
  suggestion.proven_optimal = result.proven_optimal;
  for (unsigned index : result.order) suggestion.order.push_back(unit_item[index]);
  if (layout.packed)
    blocker = "it is packed: its layout is deliberate";
  else if (record.isExternCContext())
    blocker = "it is declared extern \"C\": C code, files or the wire may depend on its layout";
  if (blocker.empty()) blocker = order_dependent_constructor(record);
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
  out << "    " << llvm::left_justify(declaration, 40) << " /* ";
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

static void print_cacheline_marks(llvm::raw_ostream& out, uint64_t& next_line_bits, uint64_t offset_bits,
                                  uint64_t cacheline) {
  while (offset_bits >= next_line_bits) {
    out << "    /* --- cacheline " << next_line_bits / (cacheline * 8) << " boundary (" << next_line_bits / 8
        << " bytes) --- */\n";
    next_line_bits += cacheline * 8;
  }
}

static void print_footer(llvm::raw_ostream& out, uint64_t size, uint64_t align, uint64_t padding, uint64_t cacheline) {
  out << "    /* size: " << size << ", align: " << align << ", padding: " << padding
      << " bytes, cachelines: " << cache_lines(size, cacheline) << " */\n};\n";
}

std::string annotated_view(const RecordLayout& layout, uint64_t cacheline) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << layout.kind << " " << layout.name << " {\n";
  uint64_t next_line_bits = cacheline * 8;
  size_t hole_index = 0;
  for (const LayoutItem& item : layout.items) {
    while (hole_index < layout.holes.size() && !layout.holes[hole_index].tail &&
           layout.holes[hole_index].offset_bits + layout.holes[hole_index].size_bits <= item.offset_bits)
      print_hole(out, layout.holes[hole_index++]);
    print_cacheline_marks(out, next_line_bits, item.offset_bits, cacheline);
    print_item_line(out, item, item.offset_bits, item.size_bits);
  }
  for (; hole_index < layout.holes.size(); ++hole_index) print_hole(out, layout.holes[hole_index]);
  print_footer(out, layout.size, layout.align, layout.padding_bits / 8, cacheline);
  return text;
}

std::string annotated_view_for_order(const RecordLayout& layout, const Suggestion& suggestion, uint64_t cacheline) {
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
