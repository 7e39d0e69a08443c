// Planning `hone layout --fix`: the source edits that put a record's fields in a new order, and the
// reasons not to.
//
// A record is rewritten by "slots": every field declaration, together with its leading comment lines
// (no blank line between), its attributes and its same-line trailing comment, is one unit; the i-th
// unit in source order is replaced by the text of the unit that must come i-th. Everything between
// the units (methods, nested types, blank lines, indentation) stays where it is. Constructors' written
// mem-initializer lists are permuted the same way so they keep following the declaration order.
//
// The plan is refused, with a reason meant for the user, where a textual move is not safe: fields
// declared together (`int a, b;`), anything coming from a macro, fields under different access
// specifiers, template instantiations (the pattern is shared by every instantiation). Whether the new
// order could change behaviour is decided before a plan is made (order_uses.h).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace hone::layout {

// Replace `length` bytes at `offset` of `file` with `text`.
struct SourceEdit {
  std::string file;  // absolute path
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
  bool operator<(const SourceEdit& other) const {
    return std::tie(file, offset, length, text) < std::tie(other.file, other.offset, other.length, other.text);
  }
  bool operator==(const SourceEdit& other) const {
    return file == other.file && offset == other.offset && length == other.length && text == other.text;
  }
};

// The content a plan was computed against: edits are only applied to a file whose content hash is
// still this one.
struct FileVersion {
  std::string file;
  uint64_t hash = 0;
};

struct FixPlan {
  std::string refusal;                // non-empty: do not touch the record, and why
  std::vector<SourceEdit> edits;      // field moves and mem-initializer list moves
  std::vector<FileVersion> versions;  // every file the edits touch
  std::vector<std::string> notes;     // what else was changed, e.g. a mem-initializer list
};

// `new_order` holds every field of `record` exactly once, in the desired declaration order.
FixPlan plan_field_moves(const clang::ASTContext& context, const clang::RecordDecl& record,
                         const std::vector<const clang::FieldDecl*>& new_order);

}  // namespace hone::layout
