// The order-use analysis (see order_uses.h).
//
// Initializers are classified by an effect scan: a walk over the expression, and over the bodies of the
// functions and constructors it calls (up to k_max_depth calls deep, within a node budget), that records
// (a) fields of the record under construction it reads or writes through `this`, (b) uses of `this`
// that could reach any field (member calls, lambdas capturing it, `this` passed on), and (c) its access
// to memory outside the new object: none, reads (globals, through pointers or references) or writes
// (assignments to such memory, calls that cannot be seen into, virtual and indirect calls, throw, asm).
// What `this` means changes with the frame: the object under construction in the initializer itself, a
// fresh object in a constructor or destructor it reaches (whose own members are private to it), any
// object in other member functions. Allocation and deallocation are not accesses: their order cannot
// be observed without comparing addresses. Standard value types (strings, containers, smart pointers,
// optional...) are construction and destruction of their own storage, classified through their element
// types rather than through libstdc++'s internals, which write through pointers the scan cannot tell
// from anybody's.
#include "order_uses.h"

#include "tu_runner.h"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclFriend.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/ADT/StringSet.h>

#include <map>
#include <set>

namespace hone::layout {
namespace {

constexpr unsigned k_max_depth = 6;
constexpr unsigned k_node_budget = 40'000;

enum class Access { None, Reads, Writes };

// What evaluating one initializer (or one function body) may do.
struct Facts {
  Access access = Access::None;
  clang::SourceLocation access_at;  // where the strongest access was first seen
  std::vector<std::pair<const clang::FieldDecl*, clang::SourceLocation>> fields;  // of the record, via `this`
  bool whole_object = false;  // may read or write any field of the record
  clang::SourceLocation whole_at;
  std::string whole_what;  // "calls member 'f'", "captures 'this'", "uses 'this'"

  void raise(Access level, clang::SourceLocation at) {
    if (level > access) {
      access = level;
      access_at = at;
    }
  }
};

enum class ThisIs { UnderConstruction, Fresh, Other };

bool in_std(const clang::Decl& decl) {
  return decl.isInStdNamespace();
}

// Standard value types whose constructors and destructors touch only their own storage (and their
// elements, classified separately).
bool is_standard_value_type(const clang::CXXRecordDecl& record) {
  static const llvm::StringSet<> k_names = {"basic_string",
                                            "vector",
                                            "array",
                                            "deque",
                                            "list",
                                            "forward_list",
                                            "map",
                                            "multimap",
                                            "set",
                                            "multiset",
                                            "unordered_map",
                                            "unordered_set",
                                            "unordered_multimap",
                                            "unordered_multiset",
                                            "optional",
                                            "pair",
                                            "tuple",
                                            "unique_ptr",
                                            "shared_ptr",
                                            "weak_ptr",
                                            "function",
                                            "basic_string_view",
                                            "span",
                                            "atomic",
                                            "bitset",
                                            "complex",
                                            "duration",
                                            "time_point",
                                            "variant",
                                            "allocator",
                                            "default_delete"};
  return in_std(record) && record.getIdentifier() && k_names.contains(record.getName());
}

bool is_allocation_function(const clang::FunctionDecl& function) {
  if (function.isReplaceableGlobalAllocationFunction()) return true;
  static const llvm::StringSet<> k_names = {"malloc", "calloc", "aligned_alloc", "free", "strdup", "strndup"};
  const clang::IdentifierInfo* name = function.getIdentifier();
  return name && k_names.contains(name->getName()) && function.getDeclContext()->getRedeclContext()->isFileContext();
}

class EffectScan;

// Classifies functions once per (function, meaning of `this`); shared by all scans of one record.
class FunctionEffects {
public:
  explicit FunctionEffects(const clang::ASTContext& context) : context_(context) {}
  Access of_function(const clang::FunctionDecl* function, ThisIs this_is, unsigned depth);
  Access of_destruction(clang::QualType type, unsigned depth);
  Access of_default_construction(clang::QualType type, unsigned depth);
  Access of_standard_value_type(const clang::CXXRecordDecl& record, unsigned depth);
  bool spend(unsigned nodes) {
    spent_ += nodes;
    return spent_ <= k_node_budget;
  }
  const clang::ASTContext& context() const { return context_; }

private:
  const clang::ASTContext& context_;
  std::map<std::pair<const clang::FunctionDecl*, ThisIs>, Access> known_;
  std::map<const clang::Type*, Access> destruction_;
  unsigned spent_ = 0;
};

// One walk over an expression or body (see the file comment).
class EffectScan : public clang::RecursiveASTVisitor<EffectScan> {
public:
  EffectScan(FunctionEffects& functions, ThisIs this_is, const clang::RecordDecl* record, unsigned depth, Facts& facts)
      : functions_(functions), this_is_(this_is), record_(record), depth_(depth), facts_(facts) {}

  bool VisitStmt(clang::Stmt* stmt) {
    if (!functions_.spend(1)) facts_.raise(Access::Writes, stmt->getBeginLoc());
    return facts_.access != Access::Writes || this_is_ == ThisIs::UnderConstruction;
  }

  bool TraverseMemberExpr(clang::MemberExpr* expr) {
    const clang::Expr* base = expr->getBase()->IgnoreParenImpCasts();
    if (llvm::isa<clang::CXXThisExpr>(base)) {
      if (const auto* field = llvm::dyn_cast<clang::FieldDecl>(expr->getMemberDecl())) {
        if (this_is_ == ThisIs::UnderConstruction && field->getParent() == record_)
          facts_.fields.emplace_back(field, expr->getMemberLoc());
        else if (this_is_ == ThisIs::Other)
          facts_.raise(Access::Reads, expr->getMemberLoc());
        return true;  // fields of bases are initialized before every field; not an order use
      }
    }
    if (expr->isArrow()) facts_.raise(Access::Reads, expr->getMemberLoc());
    return RecursiveASTVisitor::TraverseMemberExpr(expr);
  }

  bool TraverseCXXMemberCallExpr(clang::CXXMemberCallExpr* call) {
    const clang::Expr* object = call->getImplicitObjectArgument();
    const clang::CXXMethodDecl* method = call->getMethodDecl();
    bool on_this = object && llvm::isa<clang::CXXThisExpr>(object->IgnoreParenImpCasts());
    if (on_this && this_is_ == ThisIs::UnderConstruction) {
      whole(call->getExprLoc(), "calls member '" + (method ? method->getNameAsString() : std::string("?")) + "'");
      facts_.raise(method ? functions_.of_function(method, ThisIs::Other, depth_ + 1) : Access::Writes,
                   call->getExprLoc());
    } else {
      call_to(method, on_this ? this_is_ : ThisIs::Other, call->getExprLoc());
      if (!on_this && object) TraverseStmt(const_cast<clang::Expr*>(object));
    }
    for (clang::Expr* argument : call->arguments()) TraverseStmt(argument);
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    if (llvm::isa<clang::CXXMemberCallExpr>(call)) return true;
    const clang::FunctionDecl* callee = call->getDirectCallee();
    if (!callee) {
      facts_.raise(Access::Writes, call->getExprLoc());  // through a pointer: anything
      return true;
    }
    call_to(callee, ThisIs::Other, call->getExprLoc());
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    const clang::CXXConstructorDecl* constructor = construct->getConstructor();
    if (!constructor->isTrivial()) call_to(constructor, ThisIs::Fresh, construct->getLocation());
    return true;
  }

  bool VisitCXXNewExpr(clang::CXXNewExpr* expr) {
    // The allocation itself is not an access; the initializer (a child) is scanned on its own.
    if (const clang::FunctionDecl* allocator = expr->getOperatorNew(); allocator && !is_allocation_function(*allocator))
      call_to(allocator, ThisIs::Other, expr->getBeginLoc());
    return true;
  }

  bool VisitCXXDeleteExpr(clang::CXXDeleteExpr* expr) {
    facts_.raise(functions_.of_destruction(expr->getDestroyedType(), depth_ + 1), expr->getBeginLoc());
    return true;
  }

  bool VisitCXXBindTemporaryExpr(clang::CXXBindTemporaryExpr* expr) {
    facts_.raise(functions_.of_destruction(expr->getType(), depth_ + 1), expr->getBeginLoc());
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* expr) {
    const auto* variable = llvm::dyn_cast<clang::VarDecl>(expr->getDecl());
    if (!variable) return true;
    clang::QualType type = variable->getType();
    if (variable->hasLocalStorage()) {
      if (type->isReferenceType()) facts_.raise(Access::Reads, expr->getLocation());
      return true;
    }
    if (variable->isConstexpr() || (type.isConstQualified() && !type.isVolatileQualified())) return true;
    facts_.raise(Access::Reads, expr->getLocation());
    return true;
  }

  bool VisitUnaryOperator(clang::UnaryOperator* op) {
    if (op->getOpcode() == clang::UO_Deref) facts_.raise(Access::Reads, op->getOperatorLoc());
    if (op->isIncrementDecrementOp()) write_to(op->getSubExpr(), op->getOperatorLoc());
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator* op) {
    if (op->isAssignmentOp()) write_to(op->getLHS(), op->getOperatorLoc());
    return true;
  }

  bool VisitCXXThisExpr(clang::CXXThisExpr* expr) {
    // Reached only when `this` is not the base of a field access or member call (those are above).
    if (this_is_ == ThisIs::UnderConstruction)
      whole(expr->getLocation(), "uses 'this'");
    else if (this_is_ == ThisIs::Other)
      facts_.raise(Access::Reads, expr->getLocation());
    return true;
  }

  bool TraverseLambdaExpr(clang::LambdaExpr* lambda) {
    for (const clang::LambdaCapture& capture : lambda->captures()) {
      if (capture.capturesThis() && this_is_ == ThisIs::UnderConstruction) {
        whole(capture.getLocation(), "captures 'this'");
      } else if (capture.capturesVariable() && capture.getCaptureKind() == clang::LCK_ByRef) {
        facts_.raise(Access::Reads, capture.getLocation());
      }
    }
    // The body runs when the lambda is called, which may be right here: scan it as if it were.
    return TraverseStmt(lambda->getBody());
  }

  bool VisitCXXThrowExpr(clang::CXXThrowExpr* expr) {
    facts_.raise(Access::Writes, expr->getThrowLoc());  // unwinding runs destructors of the members built so far
    return true;
  }
  bool VisitAsmStmt(clang::AsmStmt* stmt) {
    facts_.raise(Access::Writes, stmt->getAsmLoc());
    return true;
  }
  bool VisitAtomicExpr(clang::AtomicExpr* expr) {
    facts_.raise(Access::Writes, expr->getBuiltinLoc());
    return true;
  }
  bool VisitCXXDefaultInitExpr(clang::CXXDefaultInitExpr* init) { return TraverseStmt(init->getExpr()); }
  bool VisitCXXDefaultArgExpr(clang::CXXDefaultArgExpr* argument) { return TraverseStmt(argument->getExpr()); }

private:
  void whole(clang::SourceLocation at, std::string what) {
    if (facts_.whole_object) return;
    facts_.whole_object = true;
    facts_.whole_at = at;
    facts_.whole_what = std::move(what);
  }

  void call_to(const clang::FunctionDecl* callee, ThisIs callee_this, clang::SourceLocation at) {
    if (!callee) {
      facts_.raise(Access::Writes, at);
      return;
    }
    if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(callee);
        method && method->isVirtual() && !llvm::isa<clang::CXXDestructorDecl>(method) &&
        !method->hasAttr<clang::FinalAttr>() && !method->getParent()->hasAttr<clang::FinalAttr>())
      facts_.raise(Access::Writes, at);  // the overrider that runs is not known here
    else
      facts_.raise(functions_.of_function(callee, callee_this, depth_ + 1), at);
  }

  // An assignment or increment: to a local, or to a member of the fresh object, it stays private.
  void write_to(const clang::Expr* target, clang::SourceLocation at) {
    target = target->IgnoreParenImpCasts();
    while (const auto* member = llvm::dyn_cast<clang::MemberExpr>(target)) {
      if (member->isArrow() && !llvm::isa<clang::CXXThisExpr>(member->getBase()->IgnoreParenImpCasts())) break;
      target = member->getBase()->IgnoreParenImpCasts();
    }
    while (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(target)) {
      if (!subscript->getBase()->getType()->isArrayType() &&
          !subscript->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        break;
      target = subscript->getBase()->IgnoreParenImpCasts();
    }
    if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(target)) {
      const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
      if (variable && variable->hasLocalStorage() && !variable->getType()->isReferenceType()) return;
    }
    if (llvm::isa<clang::CXXThisExpr>(target)) {
      if (this_is_ == ThisIs::Fresh) return;
      if (this_is_ == ThisIs::UnderConstruction) return;  // the field itself is recorded by TraverseMemberExpr
    }
    facts_.raise(Access::Writes, at);
  }

  FunctionEffects& functions_;
  ThisIs this_is_;
  const clang::RecordDecl* record_;
  unsigned depth_;
  Facts& facts_;
};

Access FunctionEffects::of_standard_value_type(const clang::CXXRecordDecl& record, unsigned depth) {
  Access access = Access::None;
  const auto* specialization = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(&record);
  if (!specialization) return access;
  for (const clang::TemplateArgument& argument : specialization->getTemplateArgs().asArray()) {
    if (argument.getKind() != clang::TemplateArgument::Type) continue;
    clang::QualType element = argument.getAsType();
    access = std::max({access, of_default_construction(element, depth), of_destruction(element, depth)});
    if (const clang::CXXRecordDecl* element_record = element->getAsCXXRecordDecl();
        element_record && element_record->hasDefinition()) {
      for (const clang::CXXConstructorDecl* constructor : element_record->ctors())
        if (constructor->isCopyOrMoveConstructor() && !constructor->isTrivial())
          access = std::max(access, of_function(constructor, ThisIs::Fresh, depth));
    }
  }
  return access;
}

Access FunctionEffects::of_function(const clang::FunctionDecl* function, ThisIs this_is, unsigned depth) {
  if (is_allocation_function(*function)) return Access::None;
  if (unsigned builtin = function->getBuiltinID()) {
    const clang::Builtin::Context& builtins = context_.BuiltinInfo;
    return builtins.isConst(builtin) || builtins.isPure(builtin) ? Access::Reads : Access::Writes;
  }
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(function); method && in_std(*method->getParent())) {
    const clang::CXXRecordDecl& owner = *method->getParent();
    if (is_standard_value_type(owner)) {
      if (llvm::isa<clang::CXXConstructorDecl>(method) || llvm::isa<clang::CXXDestructorDecl>(method))
        return of_standard_value_type(owner, depth);
      return method->isConst() ? Access::Reads : Access::Writes;
    }
  }
  if (depth > k_max_depth) return Access::Writes;
  const clang::FunctionDecl* definition = nullptr;
  if (!function->hasBody(definition) || !definition) return Access::Writes;
  auto key = std::make_pair(definition, this_is);
  if (auto known = known_.find(key); known != known_.end()) return known->second;
  known_[key] = Access::Writes;  // a recursive call is assumed to do anything
  Facts facts;
  EffectScan scan(*this, this_is, nullptr, depth, facts);
  if (const auto* constructor = llvm::dyn_cast<clang::CXXConstructorDecl>(definition)) {
    for (const clang::CXXCtorInitializer* init : constructor->inits())
      if (init->getInit()) scan.TraverseStmt(init->getInit());
  }
  scan.TraverseStmt(definition->getBody());
  if (const auto* destructor = llvm::dyn_cast<clang::CXXDestructorDecl>(definition)) {
    for (const clang::FieldDecl* field : destructor->getParent()->fields())
      facts.raise(of_destruction(field->getType(), depth), field->getLocation());
  }
  known_[key] = facts.access;
  return facts.access;
}

Access FunctionEffects::of_destruction(clang::QualType type, unsigned depth) {
  const clang::Type* element = context_.getBaseElementType(type.getNonReferenceType()).getTypePtr();
  const clang::CXXRecordDecl* record = element->getAsCXXRecordDecl();
  if (!record || !record->hasDefinition() || !record->hasNonTrivialDestructor()) return Access::None;
  if (is_standard_value_type(*record)) return of_standard_value_type(*record, depth);
  auto known = destruction_.find(element);
  if (known != destruction_.end()) return known->second;
  destruction_[element] = Access::Writes;
  const clang::CXXDestructorDecl* destructor = record->getDestructor();
  Access access = destructor ? of_function(destructor, ThisIs::Fresh, depth + 1) : Access::Writes;
  for (const clang::CXXBaseSpecifier& base : record->bases())
    access = std::max(access, of_destruction(base.getType(), depth + 1));
  destruction_[element] = access;
  return access;
}

Access FunctionEffects::of_default_construction(clang::QualType type, unsigned depth) {
  const clang::Type* element = context_.getBaseElementType(type.getNonReferenceType()).getTypePtr();
  const clang::CXXRecordDecl* record = element->getAsCXXRecordDecl();
  if (!record || !record->hasDefinition() || record->hasTrivialDefaultConstructor()) return Access::None;
  if (is_standard_value_type(*record)) return of_standard_value_type(*record, depth);
  for (const clang::CXXConstructorDecl* constructor : record->ctors())
    if (constructor->isDefaultConstructor()) return of_function(constructor, ThisIs::Fresh, depth + 1);
  return Access::Writes;  // implicit and never defined here: not seen
}

std::string quoted(const clang::NamedDecl& decl) {
  return "'" + decl.getNameAsString() + "'";
}

std::string where(const clang::SourceManager& sources, clang::SourceLocation location) {
  analyze::PresumedPlace place = analyze::place_of(sources, location);
  return place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column);
}

// Every initialization of one field in this TU, merged: its default member initializer and each
// constructor's mem-initializer (implicit ones too: default construction of a class-type member).
struct FieldFacts {
  Facts init;
  bool initialized = false;  // something runs for it (else it stays indeterminate in every order)
  Access destruction = Access::None;
};

void merge_facts(Facts& into, const Facts& from) {
  into.raise(from.access, from.access_at);
  into.fields.insert(into.fields.end(), from.fields.begin(), from.fields.end());
  if (from.whole_object && !into.whole_object) {
    into.whole_object = true;
    into.whole_at = from.whole_at;
    into.whole_what = from.whole_what;
  }
}

void scan_initializer(FunctionEffects& functions, const clang::RecordDecl& record, const clang::Expr* init,
                      FieldFacts& facts) {
  if (!init) return;
  facts.initialized = true;
  // `Node* self = this;` stores the pointer; it reads nothing.
  if (llvm::isa<clang::CXXThisExpr>(init->IgnoreParenImpCasts())) return;
  Facts found;
  EffectScan scan(functions, ThisIs::UnderConstruction, &record, 0, found);
  scan.TraverseStmt(const_cast<clang::Expr*>(init));
  merge_facts(facts.init, found);
}

std::map<const clang::FieldDecl*, FieldFacts> facts_per_field(FunctionEffects& functions,
                                                              const clang::RecordDecl& record) {
  std::map<const clang::FieldDecl*, FieldFacts> result;
  for (const clang::FieldDecl* field : record.fields()) {
    FieldFacts& facts = result[field];
    scan_initializer(functions, record, field->getInClassInitializer(), facts);
    facts.destruction = functions.of_destruction(field->getType(), 0);
    if (!field->hasInClassInitializer()) {
      Access construction = functions.of_default_construction(field->getType(), 0);
      if (construction != Access::None || !field->getType().isTriviallyCopyableType(functions.context())) {
        facts.initialized = true;
        facts.init.raise(construction, field->getLocation());
      }
    }
  }
  const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record);
  if (!cxx) return result;
  for (const clang::CXXConstructorDecl* constructor : cxx->ctors()) {
    const clang::FunctionDecl* body = nullptr;
    if (!constructor->hasBody(body) || !body) continue;
    for (const clang::CXXCtorInitializer* init : llvm::cast<clang::CXXConstructorDecl>(body)->inits()) {
      const clang::FieldDecl* field = init->getAnyMember();
      if (!field || field->getParent() != &record || !init->getInit()) continue;
      if (llvm::isa<clang::CXXDefaultInitExpr>(init->getInit()->IgnoreImplicit())) continue;  // scanned above
      scan_initializer(functions, record, init->getInit(), result[field]);
    }
  }
  return result;
}

// The defaulted comparison operators of `record` (member or friend), which compare in declaration order.
std::string defaulted_comparison(const clang::SourceManager& sources, const clang::CXXRecordDecl& record) {
  auto check = [&](const clang::FunctionDecl* function) -> std::string {
    if (!function || !function->isExplicitlyDefaulted()) {
      const clang::FunctionDecl* definition = function ? function->getDefinition() : nullptr;
      if (!definition || !definition->isExplicitlyDefaulted()) return "";
      function = definition;
    }
    clang::OverloadedOperatorKind op = function->getOverloadedOperator();
    if (op != clang::OO_Spaceship && op != clang::OO_EqualEqual && op != clang::OO_Less && op != clang::OO_Greater &&
        op != clang::OO_LessEqual && op != clang::OO_GreaterEqual && op != clang::OO_ExclaimEqual)
      return "";
    return "its defaulted operator" + std::string(clang::getOperatorSpelling(op)) + " at " +
           where(sources, function->getLocation()) + " compares the fields in declaration order";
  };
  for (const clang::Decl* decl : record.decls()) {
    const clang::FunctionDecl* function = nullptr;
    if (const auto* friend_decl = llvm::dyn_cast<clang::FriendDecl>(decl))
      function = llvm::dyn_cast_or_null<clang::FunctionDecl>(friend_decl->getFriendDecl());
    else
      function = llvm::dyn_cast<clang::FunctionDecl>(decl);
    if (function && !function->isImplicit()) {
      if (std::string reason = check(function); !reason.empty()) return reason;
    }
  }
  return "";
}

std::string conflicting_initializers(const clang::SourceManager& sources,
                                     const std::map<const clang::FieldDecl*, FieldFacts>& facts,
                                     const std::map<const clang::FieldDecl*, size_t>& new_position) {
  auto swapped = [&](const clang::FieldDecl* a, const clang::FieldDecl* b) {
    return (a->getFieldIndex() < b->getFieldIndex()) != (new_position.at(a) < new_position.at(b));
  };
  auto first_new = [&](const clang::FieldDecl* a, const clang::FieldDecl* b) {
    return new_position.at(a) < new_position.at(b) ? a : b;
  };
  for (const auto& [field, field_facts] : facts) {
    if (field_facts.init.whole_object) {
      for (const auto& [other, other_facts] : facts)
        if (other != field && other_facts.initialized && swapped(field, other))
          return "the initializer of " + quoted(*field) + " " + field_facts.init.whole_what + " at " +
                 where(sources, field_facts.init.whole_at) + ", which may read any field";
    }
    for (const auto& [read, at] : field_facts.init.fields)
      if (read != field && swapped(field, read))
        return "the initializer of " + quoted(*field) + " reads " + quoted(*read) + " at " + where(sources, at) +
               ", and the new order would initialize " + quoted(*first_new(field, read)) + " first";
  }
  for (const auto& [a, a_facts] : facts) {
    for (const auto& [b, b_facts] : facts) {
      if (a->getFieldIndex() >= b->getFieldIndex() || !swapped(a, b)) continue;
      Access x = a_facts.init.access;
      Access y = b_facts.init.access;
      if (x == Access::Writes && y == Access::Writes)
        return "the initializers of " + quoted(*a) + " and " + quoted(*b) + " have side effects (at " +
               where(sources, a_facts.init.access_at) + " and " + where(sources, b_facts.init.access_at) +
               ") that would run in a different order";
      if ((x == Access::Writes && y == Access::Reads) || (x == Access::Reads && y == Access::Writes)) {
        bool a_reads = x == Access::Reads;
        const clang::FieldDecl* reader = a_reads ? a : b;
        const clang::FieldDecl* writer = a_reads ? b : a;
        const Facts& reader_facts = (a_reads ? a_facts : b_facts).init;
        const Facts& writer_facts = (a_reads ? b_facts : a_facts).init;
        return "the initializer of " + quoted(*reader) + " reads state at " + where(sources, reader_facts.access_at) +
               " that the initializer of " + quoted(*writer) + " changes at " + where(sources, writer_facts.access_at) +
               ", and the new order would run them the other way round";
      }
      if (a_facts.destruction == Access::Writes && b_facts.destruction == Access::Writes)
        return "the destructors of " + quoted(*a) + " and " + quoted(*b) + " would run in a different order";
    }
  }
  return "";
}

}  // namespace

std::string order_observed_inside(const clang::ASTContext& context, const clang::RecordDecl& record,
                                  const std::vector<const clang::FieldDecl*>& new_order) {
  const clang::SourceManager& sources = context.getSourceManager();
  if (record.hasAttr<clang::MaxFieldAlignmentAttr>())
    return "#pragma pack is in effect for it: its layout is deliberate";  // the implicit attribute has no place
  const auto* cxx = llvm::dyn_cast<clang::CXXRecordDecl>(&record);
  if (cxx) {
    if (std::string reason = defaulted_comparison(sources, *cxx); !reason.empty()) return reason;
  }
  std::map<const clang::FieldDecl*, size_t> new_position;
  for (size_t i = 0; i < new_order.size(); ++i) new_position[new_order[i]] = i;
  for (const clang::FieldDecl* field : record.fields())
    if (!new_position.count(field)) return "";  // not a full order: nothing to compare
  FunctionEffects functions(context);
  return conflicting_initializers(sources, facts_per_field(functions, record), new_position);
}

namespace {

const clang::RecordDecl* pointee_record(clang::QualType type) {
  if (!type->isPointerType()) return nullptr;
  const clang::RecordDecl* record = type->getPointeeType()->getAsRecordDecl();
  return record ? record->getDefinition() : nullptr;
}

bool in_system_header(const clang::ASTContext& context, clang::SourceLocation location) {
  const clang::SourceManager& sources = context.getSourceManager();
  return location.isValid() && sources.isInSystemHeader(sources.getExpansionLoc(location));
}

// Calls that take an object's bytes but cannot observe its order: freeing, clearing.
bool ignores_byte_order(llvm::StringRef name) {
  static const llvm::StringSet<> k_names = {
      "free",          "memset", "bzero", "explicit_bzero", "__builtin_memset", "operator delete", "operator delete[]",
      "__builtin_free"};
  return k_names.contains(name);
}

bool copies_bytes(llvm::StringRef name) {
  return name == "memcpy" || name == "memmove" || name == "__builtin_memcpy" || name == "__builtin_memmove" ||
         name == "mempcpy";
}

}  // namespace

std::vector<OrderUse> order_uses_in_call(const clang::ASTContext& context, const clang::CallExpr& call) {
  std::vector<OrderUse> uses;
  if (in_system_header(context, call.getExprLoc())) return uses;  // the library's own handling of objects
  const clang::FunctionDecl* callee = call.getDirectCallee();
  std::string name = callee ? callee->getNameAsString() : std::string("a function pointer");
  if (ignores_byte_order(name)) return uses;
  if (callee && callee->getIdentifier() && callee->getName() == "bit_cast" && call.getNumArgs() == 1) {
    if (const clang::RecordDecl* record = call.getArg(0)->getType()->getAsRecordDecl())
      uses.push_back({record, call.getExprLoc(), "has its bytes copied by std::bit_cast at {}"});
    return uses;
  }
  std::set<const clang::RecordDecl*> records;
  std::vector<const clang::RecordDecl*> per_argument;
  for (const clang::Expr* argument : call.arguments()) {
    // Only a void pointer parameter takes an object as bytes; an S* parameter takes an S.
    const clang::RecordDecl* record = nullptr;
    if (argument->getType()->isVoidPointerType()) record = pointee_record(argument->IgnoreParenCasts()->getType());
    per_argument.push_back(record);
    if (record) records.insert(record);
  }
  // memcpy(&a, &b, sizeof a) between two objects of one type copies them whole, whatever the order.
  if (copies_bytes(name) && per_argument.size() >= 2 && per_argument[0] && per_argument[0] == per_argument[1])
    return uses;
  for (const clang::RecordDecl* record : records)
    uses.push_back({record, call.getExprLoc(), "has its bytes passed to '" + name + "' at {}"});
  return uses;
}

std::vector<OrderUse> order_uses_in_cast(const clang::ASTContext& context, const clang::ExplicitCastExpr& cast) {
  std::vector<OrderUse> uses;
  if (in_system_header(context, cast.getExprLoc())) return uses;
  if (cast.getCastKind() != clang::CK_BitCast && cast.getCastKind() != clang::CK_LValueBitCast) return uses;
  clang::QualType from = cast.getSubExpr()->getType();
  clang::QualType to = cast.getType();
  const clang::RecordDecl* record = nullptr;
  clang::QualType target;
  if (cast.getCastKind() == clang::CK_BitCast) {
    record = pointee_record(from);
    if (!to->isPointerType()) return uses;
    target = to->getPointeeType();
  } else {
    record = from->getAsRecordDecl();
    target = to.getNonReferenceType();
  }
  if (!record || target->isVoidType()) return uses;  // void*: judged where it is used (order_uses_in_call)
  if (const clang::RecordDecl* other = target->getAsRecordDecl(); other && other->getDefinition() == record)
    return uses;
  clang::PrintingPolicy policy(context.getLangOpts());
  uses.push_back(
      {record, cast.getExprLoc(), "has its bytes accessed through a cast to '" + to.getAsString(policy) + "' at {}"});
  return uses;
}

std::vector<OrderUse> order_uses_in_offsetof(const clang::OffsetOfExpr& offsetof_expr) {
  std::vector<OrderUse> uses;
  for (unsigned i = 0; i < offsetof_expr.getNumComponents(); ++i) {
    const clang::OffsetOfNode& node = offsetof_expr.getComponent(i);
    if (node.getKind() == clang::OffsetOfNode::Field)
      uses.push_back(
          {node.getField()->getParent(), offsetof_expr.getBeginLoc(), "has its field offsets read by offsetof at {}"});
  }
  return uses;
}

std::vector<OrderUse> order_uses_in_union(const clang::ASTContext& context, const clang::RecordDecl& union_decl) {
  std::vector<OrderUse> uses;
  if (!union_decl.isUnion() || !union_decl.isCompleteDefinition()) return uses;
  unsigned members = 0;
  for (const clang::FieldDecl* field : union_decl.fields()) {
    (void)field;
    ++members;
  }
  if (members < 2) return uses;
  std::string name = union_decl.getName().empty() ? std::string("(anonymous)") : union_decl.getNameAsString();
  for (const clang::FieldDecl* field : union_decl.fields()) {
    const clang::RecordDecl* record = context.getBaseElementType(field->getType())->getAsRecordDecl();
    if (record && !record->isUnion())
      uses.push_back({record, field->getLocation(),
                      "is a member of union '" + name +
                          "' at {}, whose other members may read its fields by position (common initial sequence "
                          "or type punning)"});
  }
  return uses;
}

}  // namespace hone::layout
