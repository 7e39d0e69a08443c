// Whether a `__restrict` fix is safe: a function's pointer parameters may only be declared
// `__restrict` when no call passes overlapping objects for them (one of them written). The compiler
// cannot check that promise and a wrong one silently changes results, so hone checks every call of the
// function it can see — in every translation unit of the run — before it calls such a fix verified.
//
// What hone can see is deliberately narrow: an argument is understood only when it provably points
// into a named complete object (an array variable, `&x`, `&buf[k]`, `buf + k`, an array member of a
// variable). Two such arguments naming different objects are disjoint; the same object (whatever the
// offsets: hone does not know how far the loop reaches) or an argument it cannot follow (a pointer
// variable, a parameter, a call's result) may overlap. Two read-only parameters may overlap freely.
#pragma once

#include "loop_finder.h"

#include <string>
#include <vector>

namespace hone::vec {

enum class CallSafety {
  AllDistinct,   // every visible call passes distinct objects, and there is at least one
  MayOverlap,    // some call passes the same object twice, or arguments hone cannot follow
  NotCalled,     // no call in the analysed files: the callers are elsewhere (or there are none)
  AddressTaken,  // its address is taken: calls through the pointer are not visible
};

struct CallSiteProblem {
  std::string file;  // absolute
  unsigned line = 0, column = 0;
  std::string why;  // "'buf' is passed for both 'out' and 'in'"
};

struct CallSiteCheck {
  CallSafety safety = CallSafety::NotCalled;
  unsigned calls = 0;                     // calls of the function seen
  std::vector<CallSiteProblem> problems;  // MayOverlap: the calls at fault; AddressTaken: where
};

// The uses of `loop`'s function among `uses` (all TUs), checked for the pointer parameters a
// `__restrict` fix of the loop would qualify (loop.pointer_params).
CallSiteCheck check_call_sites(const LoopInfo& loop, const std::vector<const FunctionUse*>& uses);

// One phrase for the report: "every call of 'f' in the analysed files (2) passes distinct objects",
// "call sites at FILE:LINE may overlap ('buf' is passed for both 'out' and 'in')", ...
std::string call_site_summary(const LoopInfo& loop, const CallSiteCheck& check);

}  // namespace hone::vec
