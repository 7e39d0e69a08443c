// The loops of a translation unit, from its Clang AST, with what `hone vec` needs to explain and fix
// them: where each loop starts and ends, its enclosing function, the pointer parameters it accesses
// (candidates for `__restrict`), the calls in its body, and source patterns that defeat vectorization
// (the heuristics, reported as such).
//
// Only loops as written are visited, not template instantiations: every instantiation of a loop has
// the same location, and the vectorizer's verdicts for them are combined per location.
#pragma once

#include "loop_match.h"
#include "tu_runner.h"

#include <clang/AST/ASTContext.h>

#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

struct PointerParam {
  std::string name;
  bool pointee_const = false;
  SourceEdit restrict_edit;  // inserts `__restrict ` before the parameter's name in the definition
};

struct CallSite {
  std::string callee;  // qualified name, or the callee expression's text for indirect calls
  unsigned line = 0, column = 0;
  bool has_visible_body = false;  // defined in this TU: the inliner can see into it
  bool math_library = false;      // a libm function (sqrt, log, expf, std::pow, ...)
};

struct LoopInfo {
  LoopSite site;
  std::string kind;                          // "for", "while", "do", "range-for"
  std::string function;                      // qualified name of the enclosing function, as the user wrote it
  bool in_macro = false;                     // the loop comes from a macro expansion: no source edits
  bool has_inner_loop = false;               // an outer loop: the vectorizer only looks at innermost loops
  bool pragma_disabled = false;              // `#pragma clang loop vectorize(disable)` or vectorize_width(1)
  std::vector<PointerParam> pointer_params;  // accessed in the loop and not yet restrict-qualified
  bool writes_through_pointer = false;       // some store goes through a pointer parameter
  std::vector<CallSite> calls;
  std::string induction_variable;   // for-loops: the variable the init declares or assigns
  std::string branch_on_induction;  // a condition such as `i % 2` on the induction variable
};

// Every loop whose first token passes `filter`, in source order.
std::vector<LoopInfo> find_loops(clang::ASTContext& ast, const analyze::SourceFilter& filter);

}  // namespace hone::vec
