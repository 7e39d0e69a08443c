// The AST walk behind find_loops() (see loop_finder.h).
//
// One RecursiveASTVisitor keeps a stack of the function definitions it is inside (for the enclosing
// function) and of the loops (to mark outer loops); for each loop a second, small visitor walks the
// body once to collect parameter accesses, calls and branches on the induction variable.
#include "loop_finder.h"

#include <clang/AST/Attr.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

namespace hone::vec {
namespace {

std::string source_text(const clang::ASTContext& ast, clang::SourceRange range) {
  return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(range), ast.getSourceManager(),
                                     ast.getLangOpts())
      .str();
}

// True when `expression` mentions `variable`.
bool mentions(const clang::Stmt* statement, const clang::VarDecl* variable) {
  if (!statement || !variable) return false;
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(statement)) return reference->getDecl() == variable;
  for (const clang::Stmt* child : statement->children())
    if (mentions(child, variable)) return true;
  return false;
}

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

class BodyVisitor : public clang::RecursiveASTVisitor<BodyVisitor> {
public:
  BodyVisitor(clang::ASTContext& ast, const clang::FunctionDecl* function, LoopInfo& loop,
              const clang::VarDecl* induction)
      : ast_(ast), function_(function), loop_(loop), induction_(induction) {}

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
    pointer.pointee_const = type->getPointeeType().isConstQualified();
    pointer.restrict_edit = SourceEdit{place.file, place.line, place.column, "__restrict "};
    loop_.pointer_params.push_back(std::move(pointer));
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator* binary) {
    if (binary->isAssignmentOp()) note_store(binary->getLHS());
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

class LoopVisitor : public clang::RecursiveASTVisitor<LoopVisitor> {
public:
  LoopVisitor(clang::ASTContext& ast, const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops)
      : ast_(ast), filter_(filter), loops_(loops) {}

  bool TraverseDecl(clang::Decl* declaration) {
    auto* function = llvm::dyn_cast_or_null<clang::FunctionDecl>(declaration);
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
      if (function) info.function = function->getQualifiedNameAsString();
      if (induction) info.induction_variable = induction->getNameAsString();
      BodyVisitor body_visitor(ast_, function, info, llvm::dyn_cast_or_null<clang::VarDecl>(induction));
      body_visitor.TraverseStmt(body);
      if (auto* for_loop = llvm::dyn_cast<clang::ForStmt>(loop)) {
        body_visitor.TraverseStmt(for_loop->getCond());
        body_visitor.TraverseStmt(for_loop->getInc());
      }
      loops_.push_back(std::move(info));
      index = loops_.size() - 1;
    }
    open_loops_.push_back(index);
    bool result = traverse_children();
    open_loops_.pop_back();
    return result;
  }

  static constexpr size_t k_not_reported = static_cast<size_t>(-1);
  clang::ASTContext& ast_;
  const analyze::SourceFilter& filter_;
  std::vector<LoopInfo>& loops_;
  std::vector<const clang::FunctionDecl*> functions_;
  std::vector<size_t> open_loops_;
  const clang::Stmt* disabled_loop_ = nullptr;
};

}  // namespace

std::vector<LoopInfo> find_loops(clang::ASTContext& ast, const analyze::SourceFilter& filter) {
  std::vector<LoopInfo> loops;
  LoopVisitor visitor(ast, filter, loops);
  visitor.TraverseDecl(ast.getTranslationUnitDecl());
  return loops;
}

}  // namespace hone::vec
