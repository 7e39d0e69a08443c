// The shapes of a loop body that LLVM's vectorizer messages do not name, read from the Clang AST:
// how the body's memory dependences are built, and scalars kept in ways no reduction covers.
//
// LLVM says "unsafe dependent memory operations" or "value that could not be identified as reduction
// is used outside the loop" for very different loops. What a performance engineer needs to know is
// which of them it is:
//  - a true recurrence: a value depends on its own earlier value (a[i] = a[i-1] + ..., also along one
//    dimension of a multi-dimensional array, aa[j][i] = aa[j-1][i] + ...), which no flag can vectorize;
//  - a dependence without a cycle: a statement reads what another stored an iteration earlier, but no
//    value feeds back into itself, so splitting the loop (or reordering its statements) vectorizes it;
//  - a read placed after a store that a later iteration's store would overwrite in vector form
//    (a[i] = ...; d[i] = a[i] + a[i+1]): reading it before the store vectorizes it;
//  - two stores to one element from different statements in the wrong order (a[i] = ...; a[i+1] = ...:
//    the next iteration's a[i] overwrites this one's a[i+1], and in vector form that order swaps).
// Distances count iterations: the loop's step divides the index offsets (a[i] and a[i+1] never meet in
// a loop with i += 5). Scalars: the index of a running max or min (an arg max), a floating-point
// scalar advanced by the same amount every iteration (an induction), a running total stored every
// iteration (a prefix sum), and a counter advanced under a condition that indexes a store (packing).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Stmt.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

struct DependenceShape {
  // "recurrence", "no-cycle", "read-after-store", "crossing" (an array written at i and read at a
  // fixed index or at n - i: the two meet once, and iterations on either side read different values) or
  // "store-order" (a later statement stores a cell that an earlier statement stores again `distance`
  // iterations later, a[i] = ...; a[i+1] = ...: in vector form the two stores swap order).
  std::string kind;
  std::string write, read;   // the accesses as written, e.g. "a[i]" and "a[i - 1]"; store-order: the
                             // later statement's store and the earlier statement's store
  int64_t distance = 0;      // iterations between the write and the read that sees it (recurrence, no-cycle)
  bool conditional = false;  // the write is on one path of a branch (or around gotos) only
};

struct ScalarShape {
  std::string kind;      // "arg-min-max", "last-index", "induction", "scan", "pack", "serial-chain", ...
  std::string variable;  // the index, the running total, the counter
  std::string partner;   // arg-min-max: the running max or min the index follows
};

struct BodyShapes {
  std::optional<DependenceShape> dependence;
  std::optional<ScalarShape> scalar;
  // Arrays stored on different paths through the body (under a condition, or around gotos) while every
  // array index is the induction variable plus a constant: the optimizer merges such stores into one
  // through a pointer chosen per iteration, whose bounds LLVM cannot compute ("cannot identify array
  // bounds" with no unbounded index in the source). Empty unless two or more arrays.
  std::vector<std::string> conditional_stores;
  bool has_goto = false;  // a label in the body: gotos jump between paths inside it
};

// `step`: how much the induction variable changes per iteration (nullopt when not a constant).
BodyShapes find_body_shapes(const clang::ASTContext& ast, const clang::Stmt* body, const clang::VarDecl* induction,
                            std::optional<int64_t> step, clang::SourceLocation loop_begin);

// The constant step of a for loop's increment on `induction` (i++, --i, i += 4, i = i + 2), or nullopt.
std::optional<int64_t> induction_step(const clang::ASTContext& ast, const clang::Stmt* increment,
                                      const clang::VarDecl* induction);

}  // namespace hone::vec
