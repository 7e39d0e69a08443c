// The AST walk behind find_source_facts() (see loop_finder.h).
//
// One RecursiveASTVisitor keeps a stack of the function definitions it is inside (for the enclosing
// function) and of the loops (to mark outer loops); for each loop a second, small visitor walks the
// body once to collect parameter accesses, calls and branches on the induction variable. The outer
// visitor also records the uses of functions with two or more pointer parameters (see FunctionUse).
#include "loop_finder.h"

#include "ast_helpers.h"
#include "body_shapes.h"

#include <clang/AST/Attr.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>
#include <clang/Lex/Lexer.h>

#include <map>
#include <set>

namespace hone::vec {
namespace {

// A `%` or `&` on the induction variable inside a branch condition: `if (i % 2)`.
const clang::BinaryOperator* parity_test(const clang::Stmt* condition, const clang::VarDecl* variable) {
  if (!condition) return nullptr;
  if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(condition)) {
    if ((binary->getOpcode() == clang::BO_Rem || binary->getOpcode() == clang::BO_And) &&
        mentions(binary->getLHS(), variable))
      return binary;
  }
  for (const clang::Stmt* child : condition->children())
    if (const clang::BinaryOperator* found = parity_test(child, variable)) return found;
  return nullptr;
}

// The C math library's functions (each also with an `f` and `l` suffix), as called directly or as
// std:: overloads: calls the vectorizer can widen once errno is out of the way.
constexpr const char* k_libm_names[] = {"sqrt",  "cbrt",  "exp",   "exp2",  "expm1",  "log",       "log2",     "log10",
                                        "log1p", "pow",   "sin",   "cos",   "tan",    "asin",      "acos",     "atan",
                                        "atan2", "sinh",  "cosh",  "tanh",  "asinh",  "acosh",     "atanh",    "fabs",
                                        "floor", "ceil",  "trunc", "round", "rint",   "nearbyint", "fmod",     "fmin",
                                        "fmax",  "hypot", "erf",   "erfc",  "lgamma", "tgamma",    "copysign", "fma"};

bool is_math_library(const clang::ASTContext& ast, const clang::FunctionDecl& callee) {
  if (unsigned id = callee.getBuiltinID();
      id != 0 && ast.BuiltinInfo.getHeaderName(id) && llvm::StringRef(ast.BuiltinInfo.getHeaderName(id)) == "math.h")
    return true;
  if (!callee.getIdentifier()) return false;
  const clang::DeclContext* context = callee.getDeclContext()->getRedeclContext();
  if (!context->isTranslationUnit() && !context->isStdNamespace()) return false;
  llvm::StringRef name = callee.getName();
  for (const char* base : k_libm_names) {
    llvm::StringRef rest = name;
    if (rest.consume_front(base) && (rest.empty() || rest == "f" || rest == "l")) return true;
  }
  return false;
}

// Defined where the inliner can see it. Bodies in system headers are skipped by the parse (see
// vec_main.cpp), so an inline function or a skipped definition counts as visible too.
bool has_visible_body(const clang::FunctionDecl& callee) {
  const clang::FunctionDecl* pattern = callee.getTemplateInstantiationPattern();
  for (const clang::FunctionDecl* function : {&callee, pattern}) {
    if (!function) continue;
    if (function->hasBody() || function->isInlined()) return true;
    for (const clang::FunctionDecl* redeclaration : function->redecls())
      if (redeclaration->hasSkippedBody()) return true;
  }
  return false;
}

// Calls that no vectorizer can widen and no hint can remove: locks, I/O and allocation. A loop that
// makes one is reported only with --all (see LoopInfo::never_vectorizable).
constexpr const char* k_never_vectorizable_calls[] = {"pthread_mutex_lock",
                                                      "pthread_mutex_unlock",
                                                      "pthread_mutex_trylock",
                                                      "pthread_cond_wait",
                                                      "pthread_cond_signal",
                                                      "pthread_cond_broadcast",
                                                      "pthread_rwlock_rdlock",
                                                      "pthread_rwlock_wrlock",
                                                      "pthread_rwlock_unlock",
                                                      "pthread_spin_lock",
                                                      "pthread_spin_unlock",
                                                      "mtx_lock",
                                                      "mtx_unlock",
                                                      "sem_wait",
                                                      "sem_post",
                                                      "printf",
                                                      "fprintf",
                                                      "sprintf",
                                                      "snprintf",
                                                      "puts",
                                                      "fputs",
                                                      "fputc",
                                                      "putc",
                                                      "putchar",
                                                      "fwrite",
                                                      "fread",
                                                      "fgets",
                                                      "fgetc",
                                                      "getc",
                                                      "getchar",
                                                      "scanf",
                                                      "fscanf",
                                                      "read",
                                                      "write",
                                                      "pread",
                                                      "pwrite",
                                                      "send",
                                                      "recv",
                                                      "fflush",
                                                      "fopen",
                                                      "fclose",
                                                      "open",
                                                      "close",
                                                      "malloc",
                                                      "calloc",
                                                      "realloc",
                                                      "free",
                                                      "posix_memalign",
                                                      "aligned_alloc",
                                                      "mmap",
                                                      "munmap"};

bool is_never_vectorizable_call(const clang::FunctionDecl& callee) {
  if (!callee.getIdentifier()) return false;
  llvm::StringRef name = callee.getName();
  for (const char* never : k_never_vectorizable_calls)
    if (name == never) return true;
  // A project's own allocator (zmalloc/zfree, xmalloc, g_free, av_malloc, ...): allocation all the same.
  if (callee.getDeclContext()->getRedeclContext()->isTranslationUnit() &&
      (name.ends_with_insensitive("malloc") || name.ends_with_insensitive("calloc") ||
       name.ends_with_insensitive("realloc") || name.ends_with_insensitive("free")))
    return true;
  // std::mutex::lock, std::unique_lock's constructor is not a call; lock()/unlock() members are.
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(&callee))
    return (name == "lock" || name == "unlock" || name == "try_lock") && method->getParent()->getIdentifier() &&
           method->getParent()->getName().contains("mutex");
  return false;
}

class BodyVisitor : public clang::RecursiveASTVisitor<BodyVisitor> {
public:
  BodyVisitor(clang::ASTContext& ast, const clang::FunctionDecl* function, LoopInfo& loop,
              const clang::VarDecl* induction, clang::SourceLocation loop_begin)
      : ast_(ast), function_(function), loop_(loop), induction_(induction), loop_begin_(loop_begin) {}

  // The branches of an `if` are conditional: a sum updated there is a conditional reduction.
  bool TraverseIfStmt(clang::IfStmt* branch) {
    if (!WalkUpFromIfStmt(branch)) return false;
    if (branch->getInit()) TraverseStmt(branch->getInit());
    TraverseStmt(branch->getCond());
    ++conditional_depth_;
    TraverseStmt(branch->getThen());
    if (branch->getElse()) TraverseStmt(branch->getElse());
    --conditional_depth_;
    return true;
  }

  bool VisitArraySubscriptExpr(clang::ArraySubscriptExpr* subscript) {
    const clang::VarDecl* array = named_variable(subscript->getBase());
    if (!array) return true;
    if (array->hasGlobalStorage() && !array->isStaticLocal() &&
        std::find(loop_.global_arrays.begin(), loop_.global_arrays.end(), array->getNameAsString()) ==
            loop_.global_arrays.end())
      loop_.global_arrays.push_back(array->getNameAsString());
    return true;
  }

  bool VisitCXXNewExpr(clang::CXXNewExpr*) {
    never("allocates memory ('new')");
    return true;
  }
  bool VisitCXXDeleteExpr(clang::CXXDeleteExpr*) {
    never("frees memory ('delete')");
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* reference) {
    const auto* param = llvm::dyn_cast<clang::ParmVarDecl>(reference->getDecl());
    if (!param || !function_ || param->getDeclContext() != function_) return true;
    clang::QualType type = param->getType();
    if (!type->isPointerType() || type->getPointeeType()->isFunctionType() || type.isRestrictQualified()) return true;
    for (const PointerParam& known : loop_.pointer_params)
      if (known.name == param->getNameAsString()) return true;
    // Only a pointer written as a pointer (not an array parameter) and spelled outside macros gets
    // an edit; the name must exist to put `__restrict` before it.
    const clang::SourceManager& sources = ast_.getSourceManager();
    clang::SourceLocation name_location = param->getLocation();
    bool editable = param->getIdentifier() && name_location.isFileID() && param->getOriginalType()->isPointerType() &&
                    !sources.isInSystemHeader(name_location);
    if (!editable) return true;
    analyze::PresumedPlace place = analyze::place_of(sources, name_location);
    PointerParam pointer;
    pointer.name = param->getNameAsString();
    pointer.index = param->getFunctionScopeIndex();
    pointer.pointee_const = type->getPointeeType().isConstQualified();
    pointer.restrict_edit = SourceEdit{place.file, place.line, place.column, "__restrict "};
    loop_.pointer_params.push_back(std::move(pointer));
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator* binary) {
    if (!binary->isAssignmentOp()) return true;
    note_store(binary->getLHS());
    note_reduction(binary);
    note_list_walk(binary);
    return true;
  }
  bool VisitUnaryOperator(clang::UnaryOperator* unary) {
    if (unary->isIncrementDecrementOp()) note_store(unary->getSubExpr());
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    if (llvm::isa<clang::CXXOperatorCallExpr>(call))
      return true;  // operators on iterators and the like; their bodies are almost always visible
    CallSite site;
    if (const clang::FunctionDecl* callee = call->getDirectCallee()) {
      if (is_never_vectorizable_call(*callee)) never("calls '" + callee->getQualifiedNameAsString() + "'");
      if (callee->getIdentifier() &&
          (callee->getName().starts_with("__builtin_") || callee->getName().starts_with("__atomic_")))
        return true;  // compiler builtins are not calls
      site.callee = callee->getQualifiedNameAsString();
      site.has_visible_body = has_visible_body(*callee);
      site.math_library = is_math_library(ast_, *callee);
    } else {
      site.callee = source_text(ast_, call->getCallee()->getSourceRange());
    }
    analyze::PresumedPlace place = analyze::place_of(ast_.getSourceManager(), call->getBeginLoc());
    site.line = place.line;
    site.column = place.column;
    loop_.calls.push_back(std::move(site));
    return true;
  }

  bool VisitIfStmt(clang::IfStmt* branch) {
    note_condition(branch->getCond());
    note_min_max_test(branch);
    return true;
  }
  bool VisitConditionalOperator(clang::ConditionalOperator* conditional) {
    note_condition(conditional->getCond());
    return true;
  }

private:
  void note_condition(const clang::Expr* condition) {
    if (!loop_.branch_on_induction.empty()) return;
    if (const clang::BinaryOperator* test = parity_test(condition, induction_))
      loop_.branch_on_induction = source_text(ast_, test->getSourceRange());
  }

  void never(std::string why) {
    if (loop_.never_vectorizable.empty()) loop_.never_vectorizable = std::move(why);
  }

  // A floating-point local declared before the loop: a candidate reduction variable.
  bool is_outer_float(const clang::VarDecl* variable) const {
    return variable && variable->hasLocalStorage() && variable->getType()->isRealFloatingType() &&
           ast_.getSourceManager().isBeforeInTranslationUnit(variable->getLocation(), loop_begin_);
  }

  // `m = a[i] > m ? a[i] : m` (a running max/min) and `if (c) s += x` (a conditional sum).
  void note_reduction(const clang::BinaryOperator* assignment) {
    const clang::VarDecl* target = named_variable(assignment->getLHS());
    if (!is_outer_float(target)) return;
    const clang::Expr* value = assignment->getRHS()->IgnoreParenImpCasts();
    if (const auto* choice = llvm::dyn_cast<clang::ConditionalOperator>(value);
        choice && assignment->getOpcode() == clang::BO_Assign && mentions(choice->getCond(), target)) {
      loop_.fp_min_max = target->getNameAsString();
      return;
    }
    bool accumulates = assignment->getOpcode() == clang::BO_AddAssign || assignment->getOpcode() == clang::BO_SubAssign;
    if (const auto* sum = llvm::dyn_cast<clang::BinaryOperator>(value);
        sum && assignment->getOpcode() == clang::BO_Assign && sum->isAdditiveOp() && mentions(sum, target))
      accumulates = true;
    if (accumulates && conditional_depth_ > 0) loop_.fp_conditional_sum = target->getNameAsString();
  }

  // `if (a[i] > m) m = a[i];`: the condition compares the variable the branch assigns.
  void note_min_max_test(const clang::IfStmt* branch) {
    const auto* test = llvm::dyn_cast<clang::BinaryOperator>(branch->getCond()->IgnoreParenImpCasts());
    if (!test || !test->isRelationalOp()) return;
    const auto* body = branch->getThen();
    if (const auto* block = llvm::dyn_cast<clang::CompoundStmt>(body); block && block->size() == 1)
      body = block->body_front();
    const auto* assignment = llvm::dyn_cast<clang::BinaryOperator>(body);
    if (!assignment || assignment->getOpcode() != clang::BO_Assign || branch->getElse()) return;
    const clang::VarDecl* target = named_variable(assignment->getLHS());
    if (is_outer_float(target) && mentions(test, target)) loop_.fp_min_max = target->getNameAsString();
  }

  // `p = p->next`, also through a trailing pointer (`q = p; p = q->next`): each iteration needs the
  // previous one's load, so no two can run side by side.
  void note_list_walk(const clang::BinaryOperator* assignment) {
    const clang::VarDecl* target = named_variable(assignment->getLHS());
    if (!target || !target->getType()->isPointerType() || assignment->getOpcode() != clang::BO_Assign) return;
    const clang::Expr* value = assignment->getRHS()->IgnoreParenImpCasts();
    if (const clang::VarDecl* source = named_variable(value); source && source->getType()->isPointerType()) {
      trails_[target] = source;  // `q = p`
      return;
    }
    const auto* member = llvm::dyn_cast<clang::MemberExpr>(value);
    if (!member || !member->isArrow()) return;
    const clang::VarDecl* base = named_variable(member->getBase());
    auto trailing = trails_.find(base);
    if (mentions(member->getBase(), target) || (trailing != trails_.end() && trailing->second == target))
      never("walks a linked structure ('" + source_text(ast_, assignment->getSourceRange()) + "')");
  }

  void note_store(const clang::Expr* target) {
    target = target->IgnoreParenImpCasts();
    const clang::Expr* base = nullptr;
    if (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(target))
      base = subscript->getBase();
    else if (const auto* deref = llvm::dyn_cast<clang::UnaryOperator>(target);
             deref && deref->getOpcode() == clang::UO_Deref)
      base = deref->getSubExpr();
    if (!base) return;
    if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(base->IgnoreParenImpCasts()))
      if (llvm::isa<clang::ParmVarDecl>(reference->getDecl())) loop_.writes_through_pointer = true;
  }

  clang::ASTContext& ast_;
  const clang::FunctionDecl* function_;
  LoopInfo& loop_;
  const clang::VarDecl* induction_;
  clang::SourceLocation loop_begin_;
  int conditional_depth_ = 0;
  std::map<const clang::VarDecl*, const clang::VarDecl*> trails_;  // q -> p for `q = p` in the body
};

const clang::VarDecl* induction_variable_of(const clang::ForStmt* loop) {
  if (const auto* declaration = llvm::dyn_cast_or_null<clang::DeclStmt>(loop->getInit())) {
    if (declaration->isSingleDecl()) return llvm::dyn_cast<clang::VarDecl>(declaration->getSingleDecl());
  }
  if (const auto* assignment = llvm::dyn_cast_or_null<clang::BinaryOperator>(loop->getInit())) {
    if (assignment->getOpcode() == clang::BO_Assign)
      if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(assignment->getLHS()->IgnoreParenImpCasts()))
        return llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
  }
  return nullptr;
}

// The function a call or a loop belongs to, as written: a template's instantiation is reported at its
// pattern, so both sides of a call-site check name the pattern.
const clang::FunctionDecl* as_written(const clang::FunctionDecl* function) {
  if (const clang::FunctionDecl* pattern = function->getTemplateInstantiationPattern()) return pattern;
  return function;
}

std::string usr_of(const clang::FunctionDecl* function) {
  llvm::SmallString<128> usr;
  if (clang::index::generateUSRForDecl(as_written(function), usr)) return "";
  return std::string(usr);
}

// How code appended to the end of the TU can call `function` with made-up arguments (LoopInfo's
// call_* fields): free functions and static members with arithmetic parameters and pointers to
// numbers; other pointers only when the function does not use them (they get a zeroed buffer); not
// templates, non-static members or variadic functions, whose calls need objects or types hone cannot
// make up.
void describe_call(const clang::ASTContext& ast, const clang::FunctionDecl* function, LoopInfo& info) {
  const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(function);
  if (method && !method->isStatic()) {
    info.call_unsupported = "it is a member function (a call needs an object)";
    return;
  }
  if (function->isTemplated() || function->isTemplateInstantiation()) {
    info.call_unsupported = "it is a template";
    return;
  }
  if (function->isVariadic() || llvm::isa<clang::CXXConstructorDecl, clang::CXXDestructorDecl>(function)) {
    info.call_unsupported = "hone cannot make up a call to it";
    return;
  }
  clang::PrintingPolicy policy = ast.getPrintingPolicy();
  policy.SuppressUnwrittenScope = true;  // no "(anonymous namespace)::": the end of the TU sees those names
  std::vector<std::string> params;
  for (const clang::ParmVarDecl* param : function->parameters()) {
    const clang::QualType type = param->getType();
    const clang::QualType canonical = type.getCanonicalType();
    if (canonical->isPointerType()) {
      const clang::QualType element = type->getPointeeType();
      if (element.getCanonicalType()->isArithmeticType() && !element.getCanonicalType()->isBooleanType())
        params.push_back("pointer " + element.getUnqualifiedType().getAsString(policy));
      else if (!function->hasBody() || !mentions(function->getBody(), param))
        params.push_back("other-pointer " + type.getUnqualifiedType().getAsString(policy));
      else {
        // A zeroed object would make the loop run zero times, or not at all as the program runs it.
        info.call_unsupported = "it uses its parameter '" + param->getNameAsString() + "' of type '" +
                                type.getAsString(policy) + "', which hone cannot make up";
        return;
      }
    } else if (canonical->isIntegerType() && !canonical->isBooleanType() && !canonical->isEnumeralType()) {
      params.push_back("integer " + type.getUnqualifiedType().getAsString(policy));
    } else if (canonical->isRealFloatingType()) {
      params.push_back("floating " + type.getUnqualifiedType().getAsString(policy));
    } else {
      info.call_unsupported = "its parameter '" + param->getNameAsString() + "' has type '" + type.getAsString(policy) +
                              "', which hone cannot make up";
      return;
    }
  }
  std::string name;
  llvm::raw_string_ostream out(name);
  function->printQualifiedName(out, policy);
  info.call_name = out.str();
  const clang::QualType returns = function->getReturnType().getCanonicalType();
  info.call_returns_number = returns->isArithmeticType() && !returns->isBooleanType();
  info.call_params = std::move(params);
}

unsigned pointer_parameter_count(const clang::FunctionDecl& function) {
  unsigned count = 0;
  for (const clang::ParmVarDecl* param : function.parameters())
    if (param->getType()->isPointerType() && !param->getType()->getPointeeType()->isFunctionType()) ++count;
  return count;
}

std::string variable_identity(const clang::SourceManager& sources, const clang::VarDecl* variable) {
  analyze::PresumedPlace place = analyze::place_of(sources, variable->getLocation());
  return variable->getNameAsString() + "@" + place.file + ":" + std::to_string(place.line) + ":" +
         std::to_string(place.column);
}

std::string pointer_object(const clang::SourceManager& sources, const clang::Expr* argument);

// The complete object an lvalue lies in: a variable (not a reference or a parameter, which may stand
// for anything), an element of an array that is such an object, or a member of one (".member").
std::string lvalue_object(const clang::SourceManager& sources, const clang::Expr* lvalue) {
  lvalue = lvalue->IgnoreParens();
  if (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(lvalue))
    return pointer_object(sources, subscript->getBase());
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(lvalue)) {
    const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
    if (!variable || llvm::isa<clang::ParmVarDecl>(variable) || variable->getType()->isReferenceType()) return "";
    return variable_identity(sources, variable);
  }
  if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(lvalue); member && !member->isArrow()) {
    std::string base = lvalue_object(sources, member->getBase());
    return base.empty() ? "" : base + "." + member->getMemberDecl()->getNameAsString();
  }
  return "";
}

// What a pointer argument provably points into (see PointerArgument::object): an array that decays
// (`buf`), an address (`&x`, `&buf[k]`), or either plus or minus an offset (`buf + k`).
std::string pointer_object(const clang::SourceManager& sources, const clang::Expr* argument) {
  argument = argument->IgnoreParenCasts();
  if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(argument);
      unary && unary->getOpcode() == clang::UO_AddrOf)
    return lvalue_object(sources, unary->getSubExpr());
  if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(argument);
      binary && (binary->getOpcode() == clang::BO_Add || binary->getOpcode() == clang::BO_Sub)) {
    const clang::Expr* pointer =
        binary->getLHS()->getType()->isPointerType() || binary->getLHS()->getType()->isArrayType() ? binary->getLHS()
                                                                                                   : binary->getRHS();
    return pointer_object(sources, pointer);
  }
  if (argument->getType()->isArrayType()) return lvalue_object(sources, argument);
  return "";
}

// A loop that only steps a cursor until its condition fails (`while (*s == ' ') s++;`,
// `while (s < end && table[*s] != SPACE) s++;`): the exit depends on the data.
bool is_search_loop(const clang::Stmt* loop, const clang::Stmt* body) {
  const clang::Expr* condition = nullptr;
  if (const auto* while_loop = llvm::dyn_cast<clang::WhileStmt>(loop)) condition = while_loop->getCond();
  if (const auto* for_loop = llvm::dyn_cast<clang::ForStmt>(loop); for_loop && !for_loop->getInit())
    condition = for_loop->getCond();
  if (!condition) return false;
  if (const auto* block = llvm::dyn_cast_or_null<clang::CompoundStmt>(body); block && block->size() == 1)
    body = block->body_front();
  const auto* step = llvm::dyn_cast_or_null<clang::UnaryOperator>(body);
  if (const auto* for_loop = llvm::dyn_cast<clang::ForStmt>(loop);
      for_loop && llvm::isa_and_nonnull<clang::NullStmt>(body))
    step = llvm::dyn_cast_or_null<clang::UnaryOperator>(for_loop->getInc());
  if (!step || !step->isIncrementDecrementOp()) return false;
  const clang::VarDecl* cursor = named_variable(step->getSubExpr());
  return cursor && mentions(condition, cursor);
}

class LoopVisitor : public clang::RecursiveASTVisitor<LoopVisitor> {
public:
  LoopVisitor(clang::ASTContext& ast, const analyze::SourceFilter& filter, SourceFacts& facts)
      : ast_(ast), filter_(filter), loops_(facts.loops), uses_(facts.uses) {}

  // Pre-order: a call is seen before its callee's DeclRefExpr, which is then not an address use.
  bool VisitCallExpr(clang::CallExpr* call) {
    const clang::FunctionDecl* callee = call->getDirectCallee();
    if (!callee || llvm::isa<clang::CXXOperatorCallExpr>(call)) return true;
    if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts()))
      callee_references_.insert(reference);
    if (pointer_parameter_count(*callee) < 2) return true;
    FunctionUse use = use_of(callee, call->getBeginLoc(), true);
    const clang::SourceManager& sources = ast_.getSourceManager();
    for (const clang::ParmVarDecl* param : callee->parameters()) {
      unsigned index = param->getFunctionScopeIndex();
      if (!param->getType()->isPointerType() || index >= call->getNumArgs()) continue;
      const clang::Expr* argument = call->getArg(index);
      use.pointers.push_back({index, source_text(ast_, argument->getSourceRange()), pointer_object(sources, argument)});
    }
    uses_.push_back(std::move(use));
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* reference) {
    const auto* function = llvm::dyn_cast<clang::FunctionDecl>(reference->getDecl());
    if (!function || callee_references_.count(reference) || pointer_parameter_count(*function) < 2) return true;
    uses_.push_back(use_of(function, reference->getBeginLoc(), false));
    return true;
  }

  bool TraverseDecl(clang::Decl* declaration) {
    auto* function = llvm::dyn_cast_or_null<clang::FunctionDecl>(declaration);
    // A body in a file that is not reported (a system header, a header outside --header-filter) holds
    // no loop to report. The in-process parse never parses such bodies (unit_parse); the one-pass
    // worker compiles them, and skips them here, so both find the same loops and calls, and the walk
    // does not visit the standard library's inline code.
    if (function && function->doesThisDeclarationHaveABody() &&
        !filter_.should_report(ast_.getSourceManager(), function->getLocation()))
      return true;
    if (function && function->doesThisDeclarationHaveABody()) functions_.push_back(function);
    bool result = clang::RecursiveASTVisitor<LoopVisitor>::TraverseDecl(declaration);
    if (function && function->doesThisDeclarationHaveABody()) functions_.pop_back();
    return result;
  }

  bool TraverseAttributedStmt(clang::AttributedStmt* statement) {
    for (const clang::Attr* attribute : statement->getAttrs()) {
      const auto* hint = llvm::dyn_cast<clang::LoopHintAttr>(attribute);
      if (!hint) continue;
      bool disable =
          hint->getOption() == clang::LoopHintAttr::Vectorize && hint->getState() == clang::LoopHintAttr::Disable;
      bool width_one = hint->getOption() == clang::LoopHintAttr::VectorizeWidth && hint->getValue() &&
                       hint->getValue()->getIntegerConstantExpr(ast_) == 1;
      if (disable || width_one) disabled_loop_ = statement->getSubStmt();
    }
    return clang::RecursiveASTVisitor<LoopVisitor>::TraverseAttributedStmt(statement);
  }

  bool TraverseForStmt(clang::ForStmt* loop) {
    return traverse_loop(loop, "for", loop->getBody(), induction_variable_of(loop),
                         [&] { return clang::RecursiveASTVisitor<LoopVisitor>::TraverseForStmt(loop); });
  }
  bool TraverseWhileStmt(clang::WhileStmt* loop) {
    return traverse_loop(loop, "while", loop->getBody(), nullptr,
                         [&] { return clang::RecursiveASTVisitor<LoopVisitor>::TraverseWhileStmt(loop); });
  }
  bool TraverseDoStmt(clang::DoStmt* loop) {
    return traverse_loop(loop, "do", loop->getBody(), nullptr,
                         [&] { return clang::RecursiveASTVisitor<LoopVisitor>::TraverseDoStmt(loop); });
  }
  bool TraverseCXXForRangeStmt(clang::CXXForRangeStmt* loop) {
    return traverse_loop(loop, "range-for", loop->getBody(), nullptr,
                         [&] { return clang::RecursiveASTVisitor<LoopVisitor>::TraverseCXXForRangeStmt(loop); });
  }

private:
  template <typename Traverse>
  bool traverse_loop(clang::Stmt* loop, const char* kind, clang::Stmt* body, const clang::VarDecl* induction,
                     Traverse traverse_children) {
    const clang::SourceManager& sources = ast_.getSourceManager();
    for (size_t open : open_loops_)
      if (open != k_not_reported) loops_[open].has_inner_loop = true;
    size_t index = k_not_reported;
    if (filter_.should_report(sources, loop->getBeginLoc())) {
      LoopInfo info;
      analyze::PresumedPlace begin = analyze::place_of(sources, loop->getBeginLoc());
      analyze::PresumedPlace end = analyze::place_of(sources, loop->getEndLoc());
      info.site = LoopSite{begin.file, begin.line, begin.column, end.line, end.column};
      info.kind = kind;
      info.in_macro = loop->getBeginLoc().isMacroID();
      info.pragma_disabled = disabled_loop_ == loop;
      const clang::FunctionDecl* function = functions_.empty() ? nullptr : functions_.back();
      if (function) {
        info.function = function->getQualifiedNameAsString();
        info.function_usr = usr_of(function);
        info.function_external = function->isExternallyVisible();
        describe_call(ast_, function, info);
      }
      if (induction) info.induction_variable = induction->getNameAsString();
      BodyVisitor body_visitor(ast_, function, info, llvm::dyn_cast_or_null<clang::VarDecl>(induction),
                               loop->getBeginLoc());
      body_visitor.TraverseStmt(body);
      info.search_loop = is_search_loop(loop, body);
      if (auto* for_loop = llvm::dyn_cast<clang::ForStmt>(loop)) {
        body_visitor.TraverseStmt(for_loop->getCond());
        body_visitor.TraverseStmt(for_loop->getInc());
      }
      {
        auto* for_loop = llvm::dyn_cast<clang::ForStmt>(loop);
        const clang::VarDecl* counter = llvm::dyn_cast_or_null<clang::VarDecl>(induction);
        BodyShapes shapes = find_body_shapes(
            ast_, body, counter, for_loop ? induction_step(ast_, for_loop->getInc(), counter) : std::nullopt,
            loop->getBeginLoc());
        info.dependence = std::move(shapes.dependence);
        info.scalar_shape = std::move(shapes.scalar);
        if (info.scalar_shape && info.scalar_shape->kind == "serial-chain" && info.never_vectorizable.empty())
          info.never_vectorizable = "updates '" + info.scalar_shape->variable +
                                    "' from itself by two different operations in each iteration (a serial chain, "
                                    "as in a hash or a random number generator)";
        info.conditional_stores = std::move(shapes.conditional_stores);
        info.has_goto = shapes.has_goto;
      }
      loops_.push_back(std::move(info));
      index = loops_.size() - 1;
    }
    open_loops_.push_back(index);
    bool result = traverse_children();
    open_loops_.pop_back();
    return result;
  }

  FunctionUse use_of(const clang::FunctionDecl* function, clang::SourceLocation where, bool is_call) {
    analyze::PresumedPlace place = analyze::place_of(ast_.getSourceManager(), where);
    FunctionUse use;
    use.callee_usr = usr_of(function);
    use.file = place.file;
    use.line = place.line;
    use.column = place.column;
    use.is_call = is_call;
    return use;
  }

  static constexpr size_t k_not_reported = static_cast<size_t>(-1);
  clang::ASTContext& ast_;
  const analyze::SourceFilter& filter_;
  std::vector<LoopInfo>& loops_;
  std::vector<FunctionUse>& uses_;
  std::set<const clang::DeclRefExpr*> callee_references_;
  std::vector<const clang::FunctionDecl*> functions_;
  std::vector<size_t> open_loops_;
  const clang::Stmt* disabled_loop_ = nullptr;
};

}  // namespace

SourceFacts find_source_facts(clang::ASTContext& ast, const analyze::SourceFilter& filter) {
  SourceFacts facts;
  LoopVisitor visitor(ast, filter, facts);
  visitor.TraverseDecl(ast.getTranslationUnitDecl());
  return facts;
}

}  // namespace hone::vec
