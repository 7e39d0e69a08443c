// The loops of a translation unit, from its Clang AST, with what `hone vec` needs to explain and fix
// them: where each loop starts and ends, its enclosing function, the pointer parameters it accesses
// (candidates for `__restrict`), the calls in its body, and source patterns that defeat vectorization
// (the heuristics, reported as such).
//
// The same walk records every call of a function with two or more pointer parameters, with what each
// pointer argument provably points into (a named array or variable, or unknown): a `__restrict` fix is
// only safe when no caller passes overlapping objects, and the callers may be in any TU of the run
// (call_sites.h checks them once every TU is parsed).
//
// Only loops as written are visited, not template instantiations: every instantiation of a loop has
// the same location, and the vectorizer's verdicts for them are combined per location.
#pragma once

#include "body_shapes.h"
#include "loop_match.h"
#include "tu_runner.h"

#include <clang/AST/ASTContext.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

struct PointerParam {
  std::string name;
  unsigned index = 0;  // position among the function's parameters (the argument a call passes for it)
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
  std::string function_usr;                  // its USR: the same function in every TU (calls name it so)
  bool function_external = false;            // externally visible: callers may be outside the analysed files
  bool in_macro = false;                     // the loop comes from a macro expansion: no source edits
  bool has_inner_loop = false;               // an outer loop: the vectorizer only looks at innermost loops
  bool pragma_disabled = false;              // `#pragma clang loop vectorize(disable)` or vectorize_width(1)
  std::vector<PointerParam> pointer_params;  // accessed in the loop and not yet restrict-qualified
  bool writes_through_pointer = false;       // some store goes through a pointer parameter
  std::vector<CallSite> calls;
  std::string induction_variable;   // for-loops: the variable the init declares or assigns
  std::string branch_on_induction;  // a condition such as `i % 2` on the induction variable
  // Patterns that give the compiler's generic message its real meaning (see settle_loop):
  std::optional<DependenceShape> dependence;    // how the body's memory dependences are built (body_shapes.h)
  std::optional<ScalarShape> scalar_shape;      // a scalar kept in a way no reduction covers (body_shapes.h)
  std::vector<std::string> conditional_stores;  // arrays stored on different paths (BodyShapes)
  bool search_loop = false;                     // only steps a cursor until its test fails (while (*s == ' ') s++)
  bool has_goto = false;                        // a label in the body (gotos between paths inside it)
  std::string fp_min_max;                       // a float variable kept as a running min or max in the loop
  std::string fp_conditional_sum;               // a float variable summed under a condition (`if (...) s += x`)
  std::vector<std::string> global_arrays;       // global arrays and pointers the loop accesses
  std::string never_vectorizable;               // why no change can vectorize it: a lock, I/O, allocation, a list walk
  unsigned replaced_inner_loop_line = 0;        // set from the record: an inner loop that became memcpy/memset
  // How a generated benchmark appended to the TU calls the enclosing function (fix_timing.h): the name
  // it is called by there, and per parameter "pointer <element type>" (an arithmetic element),
  // "integer <type>", "floating <type>" or "other-pointer <type>" (a zeroed buffer). Empty
  // call_name: it cannot be called, and call_unsupported says why.
  std::string call_name;
  std::vector<std::string> call_params;
  bool call_returns_number = false;  // the function returns an arithmetic value (compared by --try-fixes)
  std::string call_unsupported;
};

// One pointer argument of a call: what it provably points into, as far as the AST shows.
struct PointerArgument {
  unsigned index = 0;  // the parameter it is passed for
  std::string text;    // as written, for messages
  // The complete object it points into: "name@file:line:column" of a variable (an array, or a variable
  // whose address is taken), with ".member" for an array member of such a variable; empty when unknown
  // (a pointer variable, a parameter, a call's result: it may point anywhere).
  std::string object;
};

// A call (or a use that is not a call, e.g. taking its address) of a function with two or more
// pointer parameters.
struct FunctionUse {
  std::string callee_usr;
  std::string file;  // absolute
  unsigned line = 0, column = 0;
  bool is_call = true;                    // false: the address is taken, calls through it are not visible
  std::vector<PointerArgument> pointers;  // calls: the arguments for its pointer parameters
};

struct SourceFacts {
  std::vector<LoopInfo> loops;    // every loop whose first token passes the filter, in source order
  std::vector<FunctionUse> uses;  // calls and address uses in the parsed bodies, in source order
};

// The loops and function uses of a TU.
SourceFacts find_source_facts(clang::ASTContext& ast, const analyze::SourceFilter& filter);

}  // namespace hone::vec
