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
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
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
  return "'" + decl.getNameAsString() + "'";
}

std::string where(const clang::SourceManager& sources, clang::SourceLocation location) {
  analyze::PresumedPlace place = analyze::place_of(sources, location);
  return place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column);
}

// Expressions whose evaluation order is observable: calls to functions that are not constexpr,
// non-trivial constructors that are not constexpr, assignments, increments, new.
class OrderSensitive : public clang::RecursiveASTVisitor<OrderSensitive> {
public:
  bool found = false;
  bool VisitCallExpr(clang::CallExpr* call) {
    const clang::FunctionDecl* callee = call->getDirectCallee();
    if (!callee || !callee->isConstexpr()) found = true;
    return !found;
  }
  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    const clang::CXXConstructorDecl* constructor = construct->getConstructor();
    if (!constructor->isTrivial() && !constructor->isConstexpr()) found = true;
    return !found;
  }
  bool VisitBinaryOperator(clang::BinaryOperator* op) {
    found = found || op->isAssignmentOp();
    return !found;
  }
  bool VisitUnaryOperator(clang::UnaryOperator* op) {
    found = found || op->isIncrementDecrementOp();
    return !found;
  }
  bool VisitCXXNewExpr(clang::CXXNewExpr*) {
    found = true;
    return false;
  }
  bool VisitCXXDefaultInitExpr(clang::CXXDefaultInitExpr* init) {
    TraverseStmt(init->getExpr());
    return !found;
  }
};

bool order_sensitive(const clang::Expr* expr) {
  if (!expr) return false;
  OrderSensitive visitor;
  visitor.TraverseStmt(const_cast<clang::Expr*>(expr));
  return visitor.found;
}

// A field of class type whose destructor does something observable (not trivial, not constexpr).
bool has_effectful_destructor(const clang::ASTContext& context, const clang::FieldDecl& field) {
  const clang::Type* type = context.getBaseElementType(field.getType()).getTypePtr();
  const clang::CXXRecordDecl* record = type->getAsCXXRecordDecl();
  if (!record || !record->hasDefinition() || !record->hasNonTrivialDestructor()) return false;
  const clang::CXXDestructorDecl* destructor = record->getDestructor();
  return !destructor || !destructor->isConstexpr();
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
    // Initialization and destruction follow the declaration order: if two members do something
    // observable there, the new order would change behaviour.
    std::vector<const clang::FieldDecl*> sensitive;
    std::vector<const clang::FieldDecl*> destructors;
    std::map<const clang::FieldDecl*, bool> counted;
    for (const clang::FieldDecl* field : record_.fields()) {
      if (order_sensitive(field->getInClassInitializer()) && !counted[field]) {
        counted[field] = true;
        sensitive.push_back(field);
      }
      if (has_effectful_destructor(context_, *field)) destructors.push_back(field);
    }
    if (const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record_)) {
      for (const WrittenInitializers& entry : written_initializers(*cxx))
        for (const clang::CXXCtorInitializer* init : entry.constructor->inits())  // implicit ones too
          if (const clang::FieldDecl* field = init->getAnyMember();
              field && order_sensitive(init->getInit()) && !counted[field]) {
            counted[field] = true;
            sensitive.push_back(field);
          }
    }
    // Only a change in their relative order matters.
    std::map<const clang::FieldDecl*, size_t> position;
    for (size_t i = 0; i < new_order_.size(); ++i) position[new_order_[i]] = i;
    auto keeps_order = [&](std::vector<const clang::FieldDecl*> fields) {
      std::sort(fields.begin(), fields.end(),
                [](const auto* a, const auto* b) { return a->getFieldIndex() < b->getFieldIndex(); });
      for (size_t i = 1; i < fields.size(); ++i)
        if (position[fields[i - 1]] > position[fields[i]]) return false;
      return true;
    };
    if (keeps_order(sensitive)) sensitive.clear();
    if (keeps_order(destructors)) destructors.clear();
    if (sensitive.size() >= 2)
      return "the initializers of " + quoted(*sensitive[0]) + " and " + quoted(*sensitive[1]) +
             " have side effects (calls that are not constexpr, assignments or new) that would run in a "
             "different order";
    if (destructors.size() >= 2)
      return "the destructors of " + quoted(*destructors[0]) + " and " + quoted(*destructors[1]) +
             " would run in a different order";
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

    std::vector<const clang::FieldDecl*> fields(record_.field_begin(), record_.field_end());
    std::vector<Unit> units;
    for (size_t i = 0; i < fields.size(); ++i) {
      const clang::FieldDecl& field = *fields[i];
      if (sources_.getFileID(field.getBeginLoc()) != file || sources_.getFileID(field.getEndLoc()) != file)
        return "field " + quoted(field) + " is declared in another file (an #include inside the record)";
      if (i > 0 && field.getBeginLoc() == fields[i - 1]->getBeginLoc())
        return "fields " + quoted(*fields[i - 1]) + " and " + quoted(field) +
               " are declared together; split the declaration into one field per line first";
      int first = token_at(tokens, sources_.getFileOffset(field.getBeginLoc()));
      int last = token_at(tokens, sources_.getFileOffset(field.getEndLoc()));
      if (first < 0 || last < 0) return "the declaration of " + quoted(field) + " could not be located in the source";
      int semi = last + 1;
      while (semi < static_cast<int>(tokens.size()) && is_comment(tokens[static_cast<size_t>(semi)])) ++semi;
      if (semi >= static_cast<int>(tokens.size()) || tokens[static_cast<size_t>(semi)].kind != clang::tok::semi)
        return "field " + quoted(field) +
               " shares its declaration with another field (e.g. 'int a, b;'); "
               "split the declaration into one field per line first";
      // Back to the end of the previous member; leading comments join the field unless a blank line
      // separates them, or they trail the previous member on its line.
      int boundary = first - 1;
      while (boundary >= 0 && !ends_previous_member(tokens[static_cast<size_t>(boundary)])) --boundary;
      int begin = first;
      while (begin - 1 > boundary) {
        const RawToken& previous = tokens[static_cast<size_t>(begin - 1)];
        if (boundary >= 0 && previous.line == tokens[static_cast<size_t>(boundary)].end_line && is_comment(previous))
          break;
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
