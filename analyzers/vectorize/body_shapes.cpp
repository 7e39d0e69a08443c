// See body_shapes.h. The body is read as a list of assignments in source order ("nodes"), each with
// what it stores and the array cells and local scalars it reads. Array cells are compared along the
// one dimension the induction variable indexes, when every other index is the same text (aa[j-1][i]
// and aa[j][i] meet when j is the induction variable; aa[j][i-1] and aa[j-1][i] never do). A store
// and a read of one cell `d` iterations apart (d = offset difference / step) are a carried edge; a
// store and a later read of the same cell or scalar in one iteration are an edge within it. A carried
// edge on a cycle of edges is a recurrence. Conditions are not edges: a conditional store counts as a
// store (the shapes are what the body can do, which is what stops the vectorizer).
#include "body_shapes.h"

#include "ast_helpers.h"

#include <clang/AST/Expr.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <algorithm>
#include <vector>

namespace hone::vec {
namespace {

// A store or read: an array cell (`cell` names the array and its other indices) or a local scalar.
struct Access {
  const clang::VarDecl* variable = nullptr;
  bool is_array = false;
  std::string cell;    // arrays: "aa[*][i]" with '*' where the induction variable indexes
  int64_t offset = 0;  // arrays: the constant added to the induction variable there
  const clang::Expr* expression = nullptr;
};

struct Node {
  std::optional<Access> target;
  std::vector<Access> reads;
  std::vector<const clang::VarDecl*> index_reads;          // local scalars read in array indices (where, not what)
  const clang::Expr* value = nullptr;                      // the assigned value (null for ++/--)
  bool conditional = false;                                // inside an if
  bool counts_up_by_one = false;                           // v++, ++v, v += 1, v = v + 1
  clang::BinaryOperatorKind operation = clang::BO_Assign;  // =, +=, ^=, ... (++/-- count as += / -=)
};

std::string without_spaces(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t'; }), text.end());
  return text;
}

bool is_local_scalar(const clang::VarDecl* variable, const clang::VarDecl* induction) {
  return variable && variable != induction && variable->hasLocalStorage() && !variable->getType()->isArrayType() &&
         !variable->getType()->isReferenceType();
}

class BodyReader {
public:
  BodyReader(const clang::ASTContext& ast, const clang::VarDecl* induction) : ast_(ast), induction_(induction) {}

  void walk(const clang::Stmt* statement) {
    if (!statement) return;
    if (llvm::isa<clang::LabelStmt>(statement)) has_goto = true;  // a goto target inside the body
    if (llvm::isa<clang::ForStmt, clang::WhileStmt, clang::DoStmt, clang::CXXForRangeStmt>(statement)) {
      has_inner_loop = true;
      return;
    }
    if (const auto* branch = llvm::dyn_cast<clang::IfStmt>(statement)) {
      conditions.push_back(branch->getCond());
      // The condition reads as a node of its own (a store an earlier iteration made may decide the
      // path, e.g. `if (b[i] >= 0) goto ...` after `b[i + 1] = ...`), and the statements it guards
      // depend on what it reads (control dependence: `if (a[i - 1] > 0) a[i] = x` is a recurrence).
      add_node(std::nullopt, branch->getCond(), false);
      condition_reads_.push_back(nodes.back().reads);
      ++conditional_depth_;
      walk(branch->getThen());
      walk(branch->getElse());
      --conditional_depth_;
      condition_reads_.pop_back();
      return;
    }
    if (const auto* declarations = llvm::dyn_cast<clang::DeclStmt>(statement)) {
      for (const clang::Decl* declaration : declarations->decls())
        if (const auto* variable = llvm::dyn_cast<clang::VarDecl>(declaration); variable && variable->getInit())
          add_node(scalar(variable, nullptr), variable->getInit(), false);
      return;
    }
    if (const auto* assignment = llvm::dyn_cast<clang::BinaryOperator>(statement);
        assignment && assignment->isAssignmentOp()) {
      add_node(access_of(assignment->getLHS()), assignment->getRHS(), assignment->isCompoundAssignmentOp());
      Node& node = nodes.back();
      node.counts_up_by_one = counts_up_by_one(assignment);
      node.operation = assignment->getOpcode();
      return;
    }
    if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(statement); unary && unary->isIncrementDecrementOp()) {
      add_node(access_of(unary->getSubExpr()), nullptr, true);
      nodes.back().counts_up_by_one = unary->isIncrementOp();
      nodes.back().operation = unary->isIncrementOp() ? clang::BO_AddAssign : clang::BO_SubAssign;
      return;
    }
    for (const clang::Stmt* child : statement->children()) walk(child);
  }

  std::vector<Node> nodes;
  std::vector<const clang::Expr*> conditions;
  bool has_inner_loop = false;
  bool has_goto = false;
  bool all_indices_affine = true;  // every array index is the induction variable plus a constant
  struct CrossingRead {
    const clang::VarDecl* array;
    const clang::Expr* expression;
  };
  std::vector<CrossingRead> crossing_reads;  // 1-D reads at a fixed index or at (something - i)

private:
  void add_node(std::optional<Access> target, const clang::Expr* value, bool reads_target) {
    Node node;
    node.value = value;
    node.conditional = conditional_depth_ > 0;
    if (value) collect_reads(value, node.reads, node.index_reads);
    if (target)
      for (const std::vector<Access>& guard : condition_reads_)
        node.reads.insert(node.reads.end(), guard.begin(), guard.end());
    if (reads_target && target) node.reads.push_back(*target);
    node.target = std::move(target);
    nodes.push_back(std::move(node));
  }

  bool counts_up_by_one(const clang::BinaryOperator* assignment) const {
    auto is_one = [&](const clang::Expr* expression) { return integer_constant(ast_, expression) == 1; };
    if (assignment->getOpcode() == clang::BO_AddAssign) return is_one(assignment->getRHS());
    const auto* sum = llvm::dyn_cast<clang::BinaryOperator>(assignment->getRHS()->IgnoreParenImpCasts());
    const clang::VarDecl* target = named_variable(assignment->getLHS());
    return assignment->getOpcode() == clang::BO_Assign && sum && sum->getOpcode() == clang::BO_Add && target &&
           ((named_variable(sum->getLHS()) == target && is_one(sum->getRHS())) ||
            (named_variable(sum->getRHS()) == target && is_one(sum->getLHS())));
  }

  Access scalar(const clang::VarDecl* variable, const clang::Expr* expression) const {
    Access access;
    access.variable = variable;
    access.expression = expression;
    return access;
  }

  // An array cell indexed by the induction variable plus a constant in exactly one dimension.
  std::optional<Access> array_access(const clang::ArraySubscriptExpr* outer) {
    std::vector<const clang::Expr*> indices;
    const clang::Expr* base = outer;
    while (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(base->IgnoreParenImpCasts())) {
      indices.push_back(subscript->getIdx());
      base = subscript->getBase();
    }
    std::reverse(indices.begin(), indices.end());
    const clang::VarDecl* array = named_variable(base);
    if (!array || !induction_) {
      all_indices_affine = false;
      return std::nullopt;
    }
    Access access;
    access.variable = array;
    access.is_array = true;
    access.expression = outer;
    access.cell = array->getNameAsString();
    bool indexed = false;
    for (const clang::Expr* index : indices) {
      if (!mentions(index, induction_)) {
        access.cell += "[" + without_spaces(source_text(ast_, index->getSourceRange())) + "]";
        continue;
      }
      std::optional<int64_t> offset = offset_from_induction(ast_, index, induction_);
      if (indexed || !offset) {
        all_indices_affine = false;
        if (indices.size() == 1 && induction_coefficient(index) == -1) crossing_reads.push_back({array, outer});
        return std::nullopt;
      }
      indexed = true;
      access.offset = *offset;
      access.cell += "[*]";
    }
    if (!indexed) {
      if (indices.size() == 1 && !mentions_local(indices[0])) crossing_reads.push_back({array, outer});
      return std::nullopt;
    }
    return access;
  }

  // The induction variable's coefficient in a sum or difference of terms (i, n - i, n - i - 1), or
  // nullopt when it appears any other way.
  std::optional<int64_t> induction_coefficient(const clang::Expr* index) const {
    index = index->IgnoreParenImpCasts();
    if (named_variable(index) == induction_) return 1;
    if (!mentions(index, induction_)) return 0;
    const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(index);
    if (!binary || !binary->isAdditiveOp()) return std::nullopt;
    std::optional<int64_t> left = induction_coefficient(binary->getLHS());
    std::optional<int64_t> right = induction_coefficient(binary->getRHS());
    if (!left || !right) return std::nullopt;
    return binary->getOpcode() == clang::BO_Add ? *left + *right : *left - *right;
  }

  // A fixed index mentions no variable that may change in the loop (constants and globals only).
  static bool mentions_local(const clang::Stmt* statement) {
    if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(statement))
      if (const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl()))
        return variable->hasLocalStorage() || !variable->getType().isConstQualified();
    for (const clang::Stmt* child : statement->children())
      if (child && mentions_local(child)) return true;
    return false;
  }

  std::optional<Access> access_of(const clang::Expr* lvalue) {
    lvalue = lvalue->IgnoreParenImpCasts();
    if (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(lvalue)) return array_access(subscript);
    if (const clang::VarDecl* variable = named_variable(lvalue); is_local_scalar(variable, induction_))
      return scalar(variable, lvalue);
    return std::nullopt;
  }

  // Array cells and local scalars the expression reads (the index expressions of a cell are not
  // followed: they decide where, not what).
  void collect_reads(const clang::Stmt* statement, std::vector<Access>& reads,
                     std::vector<const clang::VarDecl*>& index_reads) {
    if (const auto* expression = llvm::dyn_cast<clang::Expr>(statement)) statement = expression->IgnoreParenImpCasts();
    if (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(statement)) {
      if (std::optional<Access> access = array_access(subscript)) reads.push_back(*access);
      std::vector<Access> in_index;
      collect_reads(subscript->getIdx(), in_index, index_reads);
      for (const Access& access : in_index)
        if (!access.is_array) index_reads.push_back(access.variable);
      if (!llvm::isa<clang::ArraySubscriptExpr>(subscript->getBase()->IgnoreParenImpCasts())) return;
      collect_reads(subscript->getBase(), in_index, index_reads);
      for (const Access& access : in_index)
        if (!access.is_array) index_reads.push_back(access.variable);
      return;
    }
    if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(statement)) {
      if (const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
          is_local_scalar(variable, induction_))
        reads.push_back(scalar(variable, reference));
      return;
    }
    for (const clang::Stmt* child : statement->children())
      if (child) collect_reads(child, reads, index_reads);
  }

  const clang::ASTContext& ast_;
  const clang::VarDecl* induction_;
  int conditional_depth_ = 0;
  std::vector<std::vector<Access>> condition_reads_;  // what the enclosing conditions read
};

bool same_place(const Access& a, const Access& b) {
  return a.variable == b.variable && a.is_array == b.is_array && a.cell == b.cell;
}

std::optional<DependenceShape> dependence_shape(const clang::ASTContext& ast, const std::vector<Node>& nodes,
                                                std::optional<int64_t> step, bool has_goto) {
  const size_t count = nodes.size();
  if (count == 0 || count > 64 || !step || *step == 0) return std::nullopt;
  struct Carried {
    size_t from, to;
    const Access *write, *read;
    int64_t distance;
  };
  std::vector<Carried> carried;
  std::optional<DependenceShape> read_after_store, store_order;
  std::vector<std::vector<bool>> reach(count, std::vector<bool>(count, false));
  for (size_t w = 0; w < count; ++w) {
    if (!nodes[w].target) continue;
    const Access& write = *nodes[w].target;
    // A later statement storing the cell an earlier statement stores some iterations later: in vector
    // form all of the earlier statement's stores come first, so the element keeps the wrong one.
    for (size_t later = w + 1; later < count && write.is_array && !store_order; ++later) {
      if (!nodes[later].target || !same_place(write, *nodes[later].target)) continue;
      const int64_t difference = nodes[later].target->offset - write.offset;
      if (difference % *step != 0 || difference / *step <= 0) continue;
      store_order = DependenceShape{"store-order", source_text(ast, nodes[later].target->expression->getSourceRange()),
                                    source_text(ast, write.expression->getSourceRange()), difference / *step};
    }
    for (size_t r = 0; r < count; ++r) {
      for (const Access& read : nodes[r].reads) {
        if (!same_place(write, read)) continue;
        if (!write.is_array) {
          if (w < r) reach[w][r] = true;  // a scalar stored and then read in one iteration
          continue;
        }
        const int64_t difference = write.offset - read.offset;
        if (difference % *step != 0) continue;
        const int64_t distance = difference / *step;
        if (distance > 0) {
          carried.push_back({w, r, &write, &read, distance});
          reach[w][r] = true;
        } else if (distance == 0 && w < r) {
          reach[w][r] = true;
        } else if (distance < 0 && w < r && !read_after_store) {
          read_after_store = DependenceShape{"read-after-store", source_text(ast, write.expression->getSourceRange()),
                                             source_text(ast, read.expression->getSourceRange()), -distance};
        }
      }
    }
  }
  for (size_t via = 0; via < count; ++via)
    for (size_t from = 0; from < count; ++from)
      if (reach[from][via])
        for (size_t to = 0; to < count; ++to)
          if (reach[via][to]) reach[from][to] = true;
  std::optional<DependenceShape> best;
  for (const Carried& edge : carried) {
    const bool cycle = edge.from == edge.to || reach[edge.to][edge.from];
    DependenceShape shape{cycle ? "recurrence" : "no-cycle", source_text(ast, edge.write->expression->getSourceRange()),
                          source_text(ast, edge.read->expression->getSourceRange()), edge.distance};
    shape.conditional = nodes[edge.from].conditional || has_goto;
    const bool better = !best || (cycle && best->kind != "recurrence") ||
                        (cycle == (best->kind == "recurrence") && edge.distance < best->distance);
    if (better) best = std::move(shape);
  }
  if (best) return best;
  // A store-order hazard first: the fix for a read after a store leaves it in place.
  if (store_order) return store_order;
  return read_after_store;
}

// A 1-D array the body stores at i + c and also reads at a fixed index or at n - i.
std::optional<DependenceShape> crossing_shape(const clang::ASTContext& ast, const BodyReader& body) {
  for (const BodyReader::CrossingRead& read : body.crossing_reads)
    for (const Node& node : body.nodes)
      if (node.target && node.target->is_array && node.target->variable == read.array &&
          node.target->cell == read.array->getNameAsString() + "[*]")
        return DependenceShape{"crossing", source_text(ast, node.target->expression->getSourceRange()),
                               source_text(ast, read.expression->getSourceRange()), 0};
  return std::nullopt;
}

bool declared_before(const clang::ASTContext& ast, const clang::VarDecl* variable, clang::SourceLocation loop_begin) {
  return ast.getSourceManager().isBeforeInTranslationUnit(variable->getLocation(), loop_begin);
}

bool indexes_an_array(const clang::Stmt* statement, const clang::VarDecl* variable) {
  if (!statement) return false;
  if (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(statement))
    if (mentions(subscript->getIdx(), variable)) return true;
  for (const clang::Stmt* child : statement->children())
    if (indexes_an_array(child, variable)) return true;
  return false;
}

std::optional<ScalarShape> scalar_shape(const clang::ASTContext& ast, const BodyReader& body,
                                        const clang::Stmt* statement, const clang::VarDecl* induction,
                                        clang::SourceLocation loop_begin) {
  const std::vector<Node>& nodes = body.nodes;
  auto outer_scalar = [&](const Node& node) -> const clang::VarDecl* {
    if (!node.target || node.target->is_array || !declared_before(ast, node.target->variable, loop_begin))
      return nullptr;
    return node.target->variable;
  };
  // Arg max/min: an index set to the induction variable, next to a variable a condition compares and
  // the body assigns.
  for (const Node& node : nodes) {
    const clang::VarDecl* index = outer_scalar(node);
    if (!induction || !index || !index->getType()->isIntegerType() || !node.value ||
        named_variable(node.value) != induction)
      continue;
    for (const clang::Expr* condition : body.conditions) {
      const auto* test = llvm::dyn_cast<clang::BinaryOperator>(condition->IgnoreParenImpCasts());
      if (!test || !test->isRelationalOp()) continue;
      for (const Node& other : nodes) {
        const clang::VarDecl* extreme = outer_scalar(other);
        if (extreme && extreme != index && mentions(test, extreme))
          return ScalarShape{"arg-min-max", index->getNameAsString(), extreme->getNameAsString()};
      }
    }
    // No running max or min beside it: the last index where a condition held.
    if (node.conditional) return ScalarShape{"last-index", index->getNameAsString(), ""};
  }
  // Packing: a counter advanced under a condition that indexes an array.
  for (const Node& node : nodes) {
    const clang::VarDecl* counter = outer_scalar(node);
    if (counter && node.conditional && node.counts_up_by_one && indexes_an_array(statement, counter))
      return ScalarShape{"pack", counter->getNameAsString(), ""};
  }
  // A floating-point induction: a scalar advanced by the same amount every iteration (s += 2.0, s -= h
  // with h not assigned in the loop). Integer inductions vectorize; floating-point ones only when the
  // additions may be reassociated, since lane k computes start + k * step instead of adding k times.
  auto assigned_in_loop = [&](const clang::VarDecl* variable) {
    return std::any_of(nodes.begin(), nodes.end(), [&](const Node& n) {
      return n.target && !n.target->is_array && n.target->variable == variable;
    });
  };
  for (const Node& node : nodes) {
    const clang::VarDecl* total = outer_scalar(node);
    if (!total || node.conditional || !total->getType()->isRealFloatingType() || !node.index_reads.empty() ||
        (node.operation != clang::BO_AddAssign && node.operation != clang::BO_SubAssign))
      continue;
    const bool invariant_step = std::all_of(node.reads.begin(), node.reads.end(), [&](const Access& a) {
      return a.variable == total || (!a.is_array && !assigned_in_loop(a.variable));
    });
    const bool advanced_once = std::count_if(nodes.begin(), nodes.end(), [&](const Node& n) {
                                 return n.target && !n.target->is_array && n.target->variable == total;
                               }) == 1;
    if (invariant_step && advanced_once && (!node.value || !mentions(node.value, induction)))
      return ScalarShape{"induction", total->getNameAsString(), ""};
  }
  // A scan: a running total (it reads itself) that another statement stores into an array.
  for (const Node& node : nodes) {
    const clang::VarDecl* total = outer_scalar(node);
    if (!total || node.conditional ||
        std::none_of(node.reads.begin(), node.reads.end(), [&](const Access& a) { return a.variable == total; }))
      continue;
    for (const Node& other : nodes)
      if (&other != &node && other.target && other.target->is_array &&
          std::any_of(other.reads.begin(), other.reads.end(), [&](const Access& a) { return a.variable == total; }))
        return ScalarShape{"scan", total->getNameAsString(), ""};
  }
  // A serial chain: an integer updated from itself by two different operations in one iteration
  // (h ^= c; h *= P: FNV and most byte hashes, random number generators). No reduction combines
  // partial results of such a chain, so no lane can start before the previous one ends.
  for (const Node& node : nodes) {
    const clang::VarDecl* chain = outer_scalar(node);
    if (!chain || !chain->getType()->isIntegerType() || !node.value) continue;
    for (const Node& other : nodes)
      if (&other != &node && outer_scalar(other) == chain && other.value && other.operation != node.operation &&
          node.operation != clang::BO_Assign && other.operation != clang::BO_Assign)
        return ScalarShape{"serial-chain", chain->getNameAsString(), ""};
  }
  // A wrap-around scalar: assigned by a statement that does not read it, and read before that
  // statement in the body, or anywhere when the assignment is conditional (the value an earlier
  // iteration left is used when the condition fails).
  auto reads_variable = [](const Node& node, const clang::VarDecl* variable) {
    return std::any_of(node.reads.begin(), node.reads.end(), [&](const Access& a) { return a.variable == variable; }) ||
           std::find(node.index_reads.begin(), node.index_reads.end(), variable) != node.index_reads.end();
  };
  for (size_t n = 0; n < nodes.size(); ++n) {
    const clang::VarDecl* carried = outer_scalar(nodes[n]);
    if (!carried || reads_variable(nodes[n], carried)) continue;
    for (size_t r = 0; r < nodes.size(); ++r) {
      if (r == n || (r > n && !nodes[n].conditional) || !reads_variable(nodes[r], carried)) continue;
      return ScalarShape{nodes[n].conditional ? "kept-under-condition" : "wrap-around", carried->getNameAsString(), ""};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> induction_step(const clang::ASTContext& ast, const clang::Stmt* increment,
                                      const clang::VarDecl* induction) {
  const auto* expression = llvm::dyn_cast_or_null<clang::Expr>(increment);
  if (!expression || !induction) return std::nullopt;
  expression = expression->IgnoreParenImpCasts();
  if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(expression)) {
    if (!unary->isIncrementDecrementOp() || named_variable(unary->getSubExpr()) != induction) return std::nullopt;
    return unary->isIncrementOp() ? 1 : -1;
  }
  const auto* assignment = llvm::dyn_cast<clang::BinaryOperator>(expression);
  if (!assignment || named_variable(assignment->getLHS()) != induction) return std::nullopt;
  if (assignment->getOpcode() == clang::BO_AddAssign) return integer_constant(ast, assignment->getRHS());
  if (assignment->getOpcode() == clang::BO_SubAssign) {
    std::optional<int64_t> step = integer_constant(ast, assignment->getRHS());
    return step ? std::optional<int64_t>(-*step) : std::nullopt;
  }
  if (assignment->getOpcode() == clang::BO_Assign) return offset_from_induction(ast, assignment->getRHS(), induction);
  return std::nullopt;
}

BodyShapes find_body_shapes(const clang::ASTContext& ast, const clang::Stmt* body, const clang::VarDecl* induction,
                            std::optional<int64_t> step, clang::SourceLocation loop_begin) {
  BodyShapes shapes;
  if (!body) return shapes;
  BodyReader reader(ast, induction);
  reader.walk(body);
  if (reader.has_inner_loop) return shapes;  // the vectorizer only sees innermost loops
  shapes.dependence = dependence_shape(ast, reader.nodes, step, reader.has_goto);
  if (!shapes.dependence) shapes.dependence = crossing_shape(ast, reader);
  shapes.scalar = scalar_shape(ast, reader, body, induction, loop_begin);
  shapes.has_goto = reader.has_goto;
  if (reader.all_indices_affine) {
    for (const Node& node : reader.nodes) {
      if (!node.target || !node.target->is_array || !(node.conditional || reader.has_goto)) continue;
      std::string name = node.target->variable->getNameAsString();
      if (std::find(shapes.conditional_stores.begin(), shapes.conditional_stores.end(), name) ==
          shapes.conditional_stores.end())
        shapes.conditional_stores.push_back(std::move(name));
    }
    if (shapes.conditional_stores.size() < 2) shapes.conditional_stores.clear();
  }
  return shapes;
}

}  // namespace hone::vec
