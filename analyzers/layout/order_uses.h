// Can a new field order change what a program does? The order-use analysis behind `hone layout`.
//
// C++ lets code observe the declaration order of a record's fields in a handful of ways, and each is
// answered here, with the place of the use, so a suggestion (and `--fix`) is never made where the order
// is observed:
// - inside the record: initialization runs in declaration order, so an initializer (default member
//   initializer or mem-initializer) that reads another field, or uses `this` in a way that may read any
//   (a member call, a lambda capturing `this`, `this` passed on), or one that reads state another
//   initializer changes, depends on it; destruction runs in reverse, so two destructors with effects
//   do; a defaulted operator<=> or operator== compares in declaration order; `#pragma pack` makes the
//   layout deliberate, like `packed`;
// - in any TU of the run: offsetof, aggregate initialization by position and C++ designated
//   initializers, structured bindings, the object's bytes handed to memcpy/fwrite/write and the like
//   or read through a pointer cast, and membership of a union (common initial sequence, type punning).
//
// What is accepted is what provably cannot observe the order: an initializer is classified by walking
// its expression and the bodies of the functions it calls (a few levels deep); allocations and value
// construction that do not reach `this` or mutable state outside the new object are pure. A call hone
// cannot see into counts as changing anything, so two such initializers never swap. The one thing not
// seen is a called function reaching the object under construction through a global variable rather
// than through `this` (docs/layout.md, "What --fix cannot see").
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>

#include <string>
#include <vector>

namespace hone::layout {

// Why reordering `record` into `new_order` (every field once) could change behaviour, with the place of
// the use; empty when nothing inside the record observes the order.
std::string order_observed_inside(const clang::ASTContext& context, const clang::RecordDecl& record,
                                  const std::vector<const clang::FieldDecl*>& new_order);

// A use elsewhere that depends on the order of `record`'s fields: the record and a sentence to follow
// "it ..." in which "{}" stands for the place.
struct OrderUse {
  const clang::RecordDecl* record = nullptr;
  clang::SourceLocation location;
  std::string reason;
};

// Order uses found in one expression or declaration of a TU (casts, calls, offsetof, unions); the
// caller's AST walk hands every such node here. Aggregate initialization and structured bindings are
// found by the caller (layout_main), which has the record keys.
std::vector<OrderUse> order_uses_in_call(const clang::ASTContext& context, const clang::CallExpr& call);
std::vector<OrderUse> order_uses_in_cast(const clang::ASTContext& context, const clang::ExplicitCastExpr& cast);
std::vector<OrderUse> order_uses_in_offsetof(const clang::OffsetOfExpr& offsetof_expr);
std::vector<OrderUse> order_uses_in_union(const clang::ASTContext& context, const clang::RecordDecl& union_decl);

}  // namespace hone::layout
