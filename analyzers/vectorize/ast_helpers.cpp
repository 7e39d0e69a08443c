// See ast_helpers.h.
#include "ast_helpers.h"

#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

namespace hone::vec {

std::string source_text(const clang::ASTContext& ast, clang::SourceRange range) {
  return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(range), ast.getSourceManager(),
                                     ast.getLangOpts())
      .str();
}

bool mentions(const clang::Stmt* statement, const clang::VarDecl* variable) {
  if (!statement || !variable) return false;
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(statement)) return reference->getDecl() == variable;
  for (const clang::Stmt* child : statement->children())
    if (mentions(child, variable)) return true;
  return false;
}

const clang::VarDecl* named_variable(const clang::Expr* expression) {
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(expression->IgnoreParenImpCasts()))
    return llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
  return nullptr;
}

std::optional<int64_t> integer_constant(const clang::ASTContext& ast, const clang::Expr* expression) {
  if (expression->isValueDependent()) return std::nullopt;
  if (std::optional<llvm::APSInt> value = expression->getIntegerConstantExpr(ast)) return value->getExtValue();
  return std::nullopt;
}

std::optional<int64_t> offset_from_induction(const clang::ASTContext& ast, const clang::Expr* index,
                                             const clang::VarDecl* induction) {
  if (!induction) return std::nullopt;
  index = index->IgnoreParenImpCasts();
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(index))
    return reference->getDecl() == induction ? std::optional<int64_t>(0) : std::nullopt;
  const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(index);
  if (!binary || (binary->getOpcode() != clang::BO_Add && binary->getOpcode() != clang::BO_Sub)) return std::nullopt;
  auto constant = [&](const clang::Expr* expression) { return integer_constant(ast, expression); };
  std::optional<int64_t> left = offset_from_induction(ast, binary->getLHS(), induction);
  if (left) {
    std::optional<int64_t> right = constant(binary->getRHS());
    if (!right) return std::nullopt;
    return binary->getOpcode() == clang::BO_Add ? *left + *right : *left - *right;
  }
  if (binary->getOpcode() != clang::BO_Add) return std::nullopt;
  std::optional<int64_t> left_constant = constant(binary->getLHS());
  std::optional<int64_t> right = offset_from_induction(ast, binary->getRHS(), induction);
  if (!left_constant || !right) return std::nullopt;
  return *left_constant + *right;
}

}  // namespace hone::vec
