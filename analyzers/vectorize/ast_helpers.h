// Small questions about Clang AST expressions that hone vec's loop walk and its body-shape analysis
// both ask: the source text of a node, whether an expression names a variable, which variable it
// names, and whether an array index is the induction variable plus a constant.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hone::vec {

// The text of `range` as written (tokens of the main file or a header; empty inside macros).
std::string source_text(const clang::ASTContext& ast, clang::SourceRange range);

// True when `statement` mentions `variable` anywhere below it.
bool mentions(const clang::Stmt* statement, const clang::VarDecl* variable);

// The variable an expression names (through parentheses and implicit casts), or null.
const clang::VarDecl* named_variable(const clang::Expr* expression);

// The value of an integer constant expression (2, N / 2, sizeof(int)), or nullopt.
std::optional<int64_t> integer_constant(const clang::ASTContext& ast, const clang::Expr* expression);

// `index` as the induction variable plus a constant (i, i + 2, i - 1, 3 + i), or nullopt.
std::optional<int64_t> offset_from_induction(const clang::ASTContext& ast, const clang::Expr* index,
                                             const clang::VarDecl* induction);

}  // namespace hone::vec
