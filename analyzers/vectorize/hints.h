// What to do about a loop that was not vectorized: a hint in words that names the variables and
// parameters involved, and the concrete changes (`Fix`) that --try-fixes applies to a scratch copy to
// check whether the hint works.
//
// A fix is only offered where the change is mechanical and local: a compiler flag, the loop pragma
// inserted before the loop, or `__restrict` inserted before pointer parameter names. Hints that need a
// human (split the loop, hoist a call, restructure a recurrence) are given in words only.
#pragma once

#include "loop_finder.h"
#include "verdict.h"

#include <string>
#include <vector>

namespace hone::vec {

struct Fix {
  std::string description;         // what the change is, as the user would make it
  std::vector<std::string> flags;  // extra compiler flags
  std::vector<SourceEdit> edits;   // insertions into the scratch copy
  // What the change promises or overrides beyond "the loop vectorizes", which decides its label:
  bool asserts_no_overlap = false;    // `__restrict`: only true when no caller passes overlapping objects
  bool forces_vectorization = false;  // the loop pragma: vectorizes even where the cost model predicts a loss
  bool reorders_fp = false;           // floating-point operations reordered: the result changes by rounding
  bool assumes_finite = false;        // -ffinite-math-only: wrong results when the data holds a NaN or an infinity
};

struct Advice {
  std::string hint;
  std::vector<Fix> fixes;  // in the order worth trying
};

struct AdviceContext {
  bool no_vectorize_flag = false;  // -fno-vectorize among the TU's flags
  bool math_errno_off = false;     // -fno-math-errno (or -ffast-math) among the TU's flags
};

// `loop` may be null when the verdict matched no AST loop.
Advice advise(const LoopInfo* loop, const LoopVerdict& verdict, Reason reason, const AdviceContext& context);

// The heuristic source checks for a loop, one sentence each (reported as "heuristic: ...").
std::vector<std::string> heuristics(const LoopInfo& loop);

// `'a', 'b' and 'c'`
std::string quoted_list(const std::vector<std::string>& names);

}  // namespace hone::vec
