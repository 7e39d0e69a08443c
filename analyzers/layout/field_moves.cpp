// Source edits for `hone layout --fix` (see field_moves.h).
//
// The record body is lexed raw, comments kept, so a field's unit can be found without trusting
// declaration ranges for attributes and comments: from the field's first token back to the previous
// ';', '{', '}' or ':' (the end of whatever came before), and forward to its ';' plus comments on the
// same line. Offsets are into the file buffer the TU parsed; the file's hash travels with the edits so
// a file changed on disk since is never patched.
#include "field_moves.h"

#include "tu_runner.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <llvm/Support/xxhash.h>

#include <algorithm>
#include <map>

namespace hone::layout {
namespace {

struct RawToken {
  clang::tok::TokenKind kind;
  unsigned offset;
  unsigned length;
  unsigned line;      // of the first character
  unsigned end_line;  // of the last character
};

// A field's unit: [begin, end) in the file buffer.
struct Unit {
  unsigned begin = 0;
  unsigned end = 0;
};

bool is_comment(const RawToken& token) {
  return token.kind == clang::tok::comment;
}

bool ends_previous_member(const RawToken& token) {
  return token.kind == clang::tok::semi || token.kind == clang::tok::l_brace || token.kind == clang::tok::r_brace ||
         token.kind == clang::tok::colon;
}

std::string quoted(const clang::NamedDecl& decl) {
  if (decl.getName().empty()) {  // an anonymous struct or union member
    const auto* field = llvm::dyn_cast<clang::FieldDecl>(&decl);
    const clang::RecordDecl* record = field ? field->getType()->getAsRecordDecl() : nullptr;
    return record && record->isUnion() ? "the anonymous union" : "the anonymous struct";
  }
  return "'" + decl.getNameAsString() + "'";
}

// Where a field's declaration ends: its last token, or for an anonymous struct or union member (whose
// FieldDecl covers only the keyword) the closing brace of its body.
clang::SourceLocation declaration_end(const clang::FieldDecl& field) {
  if (const clang::RecordDecl* record = field.getType()->getAsRecordDecl();
      record && record->isAnonymousStructOrUnion() && record->getBraceRange().isValid())
    return record->getBraceRange().getEnd();
  return field.getEndLoc();
}

std::string where(const clang::SourceManager& sources, clang::SourceLocation location) {
  analyze::PresumedPlace place = analyze::place_of(sources, location);
  return place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column);
}

// The constructors defined in this TU and their written member initializers in source order.
struct WrittenInitializers {
  const clang::CXXConstructorDecl* constructor = nullptr;
  std::vector<const clang::CXXCtorInitializer*> inits;
};

std::vector<WrittenInitializers> written_initializers(const clang::CXXRecordDecl& record) {
  std::vector<WrittenInitializers> result;
  for (const clang::CXXConstructorDecl* constructor : record.ctors()) {
    const clang::FunctionDecl* body = nullptr;
    if (!constructor->hasBody(body)) continue;
    const auto* definition = llvm::cast<clang::CXXConstructorDecl>(body);
    WrittenInitializers entry{definition, {}};
    for (const clang::CXXCtorInitializer* init : definition->inits())
      if (init->isWritten() && (init->isMemberInitializer() || init->isIndirectMemberInitializer()))
        entry.inits.push_back(init);
    std::sort(entry.inits.begin(), entry.inits.end(),
              [](const auto* a, const auto* b) { return a->getSourceOrder() < b->getSourceOrder(); });
    result.push_back(std::move(entry));
  }
  return result;
}

class Planner {
public:
  Planner(const clang::ASTContext& context, const clang::RecordDecl& record,
          const std::vector<const clang::FieldDecl*>& new_order)
      : context_(context), sources_(context.getSourceManager()), record_(record), new_order_(new_order) {}

  FixPlan plan() {
    FixPlan plan;
    plan.refusal = refusal();
    if (!plan.refusal.empty()) return plan;
    plan.refusal = plan_fields(plan);
    if (plan.refusal.empty()) plan.refusal = plan_initializers(plan);
    if (!plan.refusal.empty()) plan.edits.clear();
    return plan;
  }

private:
  // Reasons that do not need the source text.
  std::string refusal() const {
    if (const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record_)) {
      if (llvm::isa<clang::ClassTemplateSpecializationDecl>(cxx) || cxx->getTemplateInstantiationPattern())
        return "it is a template instantiation: its fields are declared once for every instantiation, and "
               "the best order depends on the template arguments";
    }
    clang::SourceRange braces = record_.getBraceRange();
    if (braces.isInvalid() || braces.getBegin().isMacroID() || braces.getEnd().isMacroID())
      return "its definition comes from a macro expansion";
    const clang::FieldDecl* first = *record_.field_begin();
    for (const clang::FieldDecl* field : record_.fields()) {
      if (field->getBeginLoc().isMacroID() || field->getEndLoc().isMacroID())
        return "field " + quoted(*field) + " comes from a macro expansion";
      if (field->getAccess() != first->getAccess())
        return "fields " + quoted(*first) + " and " + quoted(*field) +
               " are under different access specifiers; moving them would change their access";
    }
    return "";
  }

  // Lexes the record body, comments kept.
  std::vector<RawToken> lex_body(clang::FileID file, unsigned begin, unsigned end) const {
    llvm::StringRef buffer = sources_.getBufferData(file);
    clang::Lexer lexer(sources_.getLocForStartOfFile(file), context_.getLangOpts(), buffer.begin(),
                       buffer.begin() + begin, buffer.end());
    lexer.SetCommentRetentionState(true);
    std::vector<RawToken> tokens;
    clang::Token token;
    while (!lexer.LexFromRawLexer(token)) {
      unsigned offset = sources_.getFileOffset(token.getLocation());
      if (offset >= end) break;
      unsigned length = token.getLength();
      tokens.push_back({token.getKind(), offset, length, sources_.getLineNumber(file, offset),
                        sources_.getLineNumber(file, offset + (length ? length - 1 : 0))});
    }
    return tokens;
  }

  static int token_at(const std::vector<RawToken>& tokens, unsigned offset) {
    auto it = std::lower_bound(tokens.begin(), tokens.end(), offset,
                               [](const RawToken& token, unsigned value) { return token.offset < value; });
    return it != tokens.end() && it->offset == offset ? static_cast<int>(it - tokens.begin()) : -1;
  }

  std::string plan_fields(FixPlan& plan) {
    clang::SourceRange braces = record_.getBraceRange();
    clang::FileID file = sources_.getFileID(braces.getBegin());
    if (sources_.getFileID(braces.getEnd()) != file) return "its braces are in different files";
    unsigned body_begin = sources_.getFileOffset(braces.getBegin()) + 1;
    unsigned body_end = sources_.getFileOffset(braces.getEnd());
    std::vector<RawToken> tokens = lex_body(file, body_begin, body_end);
    const unsigned brace_line = sources_.getLineNumber(file, body_begin - 1);

    std::vector<const clang::FieldDecl*> fields(record_.field_begin(), record_.field_end());
    std::vector<Unit> units;
    for (size_t i = 0; i < fields.size(); ++i) {
      const clang::FieldDecl& field = *fields[i];
      if (sources_.getFileID(field.getBeginLoc()) != file || sources_.getFileID(declaration_end(field)) != file)
        return "field " + quoted(field) + " is declared in another file (an #include inside the record)";
      if (i > 0 && field.getBeginLoc() == fields[i - 1]->getBeginLoc())
        return "fields " + quoted(*fields[i - 1]) + " and " + quoted(field) +
               " are declared together; split the declaration into one field per line first";
      int first = token_at(tokens, sources_.getFileOffset(field.getBeginLoc()));
      int last = token_at(tokens, sources_.getFileOffset(declaration_end(field)));
      if (first < 0 || last < 0) return "the declaration of " + quoted(field) + " could not be located in the source";
      int semi = last + 1;
      while (semi < static_cast<int>(tokens.size()) && is_comment(tokens[static_cast<size_t>(semi)])) ++semi;
      if (semi >= static_cast<int>(tokens.size()) || tokens[static_cast<size_t>(semi)].kind != clang::tok::semi)
        return "field " + quoted(field) +
               " shares its declaration with another field (e.g. 'int a, b;'); "
               "split the declaration into one field per line first";
      // Back to the end of the previous member; leading comments join the field unless a blank line
      // separates them, or they trail the previous member (or the record's `{`) on its line: the
      // `// NOLINT(...)` or note after `struct S {` stays on that line.
      int boundary = first - 1;
      while (boundary >= 0 && !ends_previous_member(tokens[static_cast<size_t>(boundary)])) --boundary;
      const unsigned boundary_line = boundary >= 0 ? tokens[static_cast<size_t>(boundary)].end_line : brace_line;
      int begin = first;
      while (begin - 1 > boundary) {
        const RawToken& previous = tokens[static_cast<size_t>(begin - 1)];
        if (previous.line == boundary_line && is_comment(previous)) break;
        if (tokens[static_cast<size_t>(begin)].line > previous.end_line + 1) break;
        --begin;
      }
      int end = semi;
      while (end + 1 < static_cast<int>(tokens.size()) && is_comment(tokens[static_cast<size_t>(end + 1)]) &&
             tokens[static_cast<size_t>(end + 1)].line == tokens[static_cast<size_t>(semi)].end_line)
        ++end;
      const RawToken& last_token = tokens[static_cast<size_t>(end)];
      units.push_back({tokens[static_cast<size_t>(begin)].offset, last_token.offset + last_token.length});
      if (i > 0 && units[i].begin < units[i - 1].end)
        return "the declarations of " + quoted(*fields[i - 1]) + " and " + quoted(field) + " overlap";
    }

    std::map<const clang::FieldDecl*, size_t> index_of;
    for (size_t i = 0; i < fields.size(); ++i) index_of[fields[i]] = i;
    if (new_order_.size() != fields.size()) return "internal error: the new order does not list every field";
    if (std::string broken = broken_comment_group(tokens, units, fields, index_of); !broken.empty()) return broken;
    llvm::StringRef buffer = sources_.getBufferData(file);
    std::string path = analyze::place_of(sources_, braces.getBegin()).file;
    for (size_t slot = 0; slot < fields.size(); ++slot) {
      size_t from = index_of.at(new_order_[slot]);
      if (from == slot) continue;
      plan.edits.push_back({path, units[slot].begin, units[slot].end - units[slot].begin,
                            buffer.substr(units[from].begin, units[from].end - units[from].begin).str()});
    }
    plan.versions.push_back({path, llvm::xxh3_64bits(buffer)});
    return "";
  }

  // A comment between two fields that belongs to neither (a blank line or another comment separates it
  // from the next field) heads the fields after it, up to the next such comment: "Parameters that affect
  // performance". Slots are rewritten in place, so a field keeps its group exactly when the field moved
  // into each slot comes from the same group. Comments inside method bodies or nested types (brace depth
  // above the body's) are not headings.
  std::string broken_comment_group(const std::vector<RawToken>& tokens, const std::vector<Unit>& units,
                                   const std::vector<const clang::FieldDecl*>& fields,
                                   const std::map<const clang::FieldDecl*, size_t>& index_of) const {
    std::vector<size_t> group_of(fields.size(), 0);
    std::vector<unsigned> heading_offset{0};
    int depth = 0;
    size_t next_field = 0;
    for (const RawToken& token : tokens) {
      if (token.kind == clang::tok::l_brace) ++depth;
      if (token.kind == clang::tok::r_brace) --depth;
      while (next_field < units.size() && token.offset >= units[next_field].end) ++next_field;
      bool between_fields = next_field > 0 && next_field < units.size() && token.offset < units[next_field].begin;
      if (depth != 0 || !between_fields || !is_comment(token)) continue;
      if (heading_offset.size() == next_field + 1) continue;  // already a heading before this field
      heading_offset.resize(next_field + 1, 0);
      heading_offset[next_field] = token.offset;
    }
    size_t group = 0;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i < heading_offset.size() && heading_offset[i] != 0) ++group;
      group_of[i] = group;
    }
    for (size_t slot = 0; slot < fields.size(); ++slot) {
      size_t from = index_of.at(new_order_[slot]);
      if (group_of[from] == group_of[slot]) continue;
      size_t heading_field = from;
      while (heading_field > 0 && (heading_field >= heading_offset.size() || heading_offset[heading_field] == 0))
        --heading_field;
      if (heading_field == 0) {  // the first group has no heading of its own: name the one that ends it
        heading_field = 1;
        while (heading_offset[heading_field] == 0) ++heading_field;
      }
      clang::FileID file = sources_.getFileID(record_.getBraceRange().getBegin());
      clang::SourceLocation heading = sources_.getComposedLoc(file, heading_offset[heading_field]);
      return "the comment at " + where(sources_, heading) + " heads a group of fields, and the new order would move " +
             quoted(*fields[from]) + " out of its group";
    }
    return "";
  }

  // Permutes every written mem-initializer list this TU defines so it follows the new order.
  std::string plan_initializers(FixPlan& plan) {
    const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record_);
    if (!cxx) return "";
    std::map<const clang::FieldDecl*, size_t> position;
    for (size_t i = 0; i < new_order_.size(); ++i) position[new_order_[i]] = i;
    for (const WrittenInitializers& entry : written_initializers(*cxx)) {
      if (entry.inits.size() < 2) continue;
      std::vector<const clang::CXXCtorInitializer*> desired = entry.inits;
      // Each initializer names a different member, so positions never tie.
      std::sort(desired.begin(), desired.end(), [&](const auto* a, const auto* b) {
        return position[a->getAnyMember()] < position[b->getAnyMember()];
      });
      if (desired == entry.inits) continue;
      std::vector<std::pair<unsigned, unsigned>> ranges;  // [begin, end) of each written initializer
      clang::FileID file;
      for (const clang::CXXCtorInitializer* init : entry.inits) {
        clang::SourceRange range = init->getSourceRange();
        if (range.getBegin().isMacroID() || range.getEnd().isMacroID())
          return "the mem-initializer list of the constructor at " + where(sources_, entry.constructor->getLocation()) +
                 " comes from a macro expansion";
        clang::SourceLocation end =
            clang::Lexer::getLocForEndOfToken(range.getEnd(), 0, sources_, context_.getLangOpts());
        if (file.isInvalid()) file = sources_.getFileID(range.getBegin());
        if (sources_.getFileID(range.getBegin()) != file || sources_.getFileID(end) != file)
          return "the mem-initializer list of the constructor at " + where(sources_, entry.constructor->getLocation()) +
                 " spans several files";
        ranges.emplace_back(sources_.getFileOffset(range.getBegin()), sources_.getFileOffset(end));
      }
      llvm::StringRef buffer = sources_.getBufferData(file);
      std::string path = analyze::place_of(sources_, entry.inits.front()->getSourceLocation()).file;
      std::map<const clang::CXXCtorInitializer*, size_t> slot_of;
      for (size_t i = 0; i < entry.inits.size(); ++i) slot_of[entry.inits[i]] = i;
      for (size_t slot = 0; slot < desired.size(); ++slot) {
        size_t from = slot_of[desired[slot]];
        if (from == slot) continue;
        plan.edits.push_back({path, ranges[slot].first, ranges[slot].second - ranges[slot].first,
                              buffer.substr(ranges[from].first, ranges[from].second - ranges[from].first).str()});
      }
      plan.versions.push_back({path, llvm::xxh3_64bits(buffer)});
      plan.notes.push_back("also reordered the mem-initializer list of the constructor at " +
                           where(sources_, entry.constructor->getLocation()));
    }
    return "";
  }

  const clang::ASTContext& context_;
  const clang::SourceManager& sources_;
  const clang::RecordDecl& record_;
  const std::vector<const clang::FieldDecl*>& new_order_;
};

}  // namespace

FixPlan plan_field_moves(const clang::ASTContext& context, const clang::RecordDecl& record,
                         const std::vector<const clang::FieldDecl*>& new_order) {
  if (record.field_empty()) return FixPlan{"it has no fields", {}, {}, {}};
  return Planner(context, record, new_order).plan();
}

}  // namespace hone::layout
