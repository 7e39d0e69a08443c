// Hints and fixes per reason category (see hints.h).
//
// Flags were chosen by what makes clang 19 vectorize the case, checked with its remarks: an FP
// reduction needs both -fassociative-math and -fno-signed-zeros (either alone leaves the adds in
// order); a libm call needs -fno-math-errno. The loop pragma `vectorize(enable)` also lets the
// vectorizer reorder an FP reduction and use more runtime alias checks than its default limit, for
// that loop only, which is why it is tried before a flag that changes the whole translation unit.
#include "hints.h"

#include <llvm/ADT/StringExtras.h>

#include <algorithm>

namespace hone::vec {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += "'" + names[i] + "'";
  }
  return text;
}

namespace {

constexpr const char* k_enable_pragma = "#pragma clang loop vectorize(enable)";

Fix pragma_fix(const LoopInfo& loop, const std::string& why) {
  Fix fix;
  fix.description = std::string("'") + k_enable_pragma + "' before the loop" + why;
  // The _Pragma operator is the same directive, written inline so it also works when the loop is not
  // the first statement on its line.
  fix.edits.push_back(
      SourceEdit{loop.site.file, loop.site.line, loop.site.column, "_Pragma(\"clang loop vectorize(enable)\") "});
  return fix;
}

Fix restrict_fix(const LoopInfo& loop) {
  Fix fix;
  std::vector<std::string> names;
  for (const PointerParam& param : loop.pointer_params) {
    names.push_back(param.name);
    fix.edits.push_back(param.restrict_edit);
  }
  fix.description = "'__restrict' on " + quoted_list(names) + " in the definition of '" + loop.function + "'";
  return fix;
}

std::vector<std::string> pointer_names(const LoopInfo& loop) {
  std::vector<std::string> names;
  for (const PointerParam& param : loop.pointer_params) names.push_back(param.name);
  return names;
}

const CallSite* call_at(const LoopInfo& loop, const std::optional<SourcePos>& where) {
  if (!where) return nullptr;
  const CallSite* same_line = nullptr;
  for (const CallSite& call : loop.calls) {
    if (call.line != where->line) continue;
    if (call.column == where->column) return &call;
    if (!same_line || call.column <= where->column) same_line = &call;
  }
  return same_line;
}

std::string at(const std::optional<SourcePos>& where) {
  if (!where) return "";
  return " (line " + std::to_string(where->line) + ")";
}

Advice fp_reassociation_advice(const LoopInfo* loop, bool editable) {
  Advice advice;
  advice.hint = std::string("the floating-point reduction must be summed in a different order to use vector "
                            "lanes (the result may differ in the last bits): put '") +
                k_enable_pragma +
                "' before the loop to allow it for this loop only, or compile with -fassociative-math "
                "-fno-signed-zeros (or -ffast-math) for the whole file";
  if (editable) advice.fixes.push_back(pragma_fix(*loop, ""));
  advice.fixes.push_back(Fix{"-fassociative-math -fno-signed-zeros", {"-fassociative-math", "-fno-signed-zeros"}, {}});
  return advice;
}

Advice aliasing_advice(const LoopInfo* loop, bool editable) {
  Advice advice;
  if (loop && !loop->pointer_params.empty()) {
    advice.hint = "the compiler cannot rule out that the pointers overlap: if " + quoted_list(pointer_names(*loop)) +
                  " never point into the same array, declare " + (loop->pointer_params.size() == 1 ? "it" : "them") +
                  " '__restrict' in '" + loop->function + "'";
    advice.fixes.push_back(restrict_fix(*loop));
  } else {
    advice.hint = std::string("the compiler cannot rule out that the pointers overlap: copy them into "
                              "'__restrict'-qualified local pointers before the loop, or put '") +
                  k_enable_pragma + "' before it to allow more run-time overlap checks";
  }
  if (editable) advice.fixes.push_back(pragma_fix(*loop, " (allows more run-time overlap checks)"));
  return advice;
}

Advice dependence_advice(const LoopInfo* loop, const LoopVerdict& verdict) {
  Advice advice;
  std::string conflict =
      verdict.conflict ? " (the conflicting access is at line " + std::to_string(verdict.conflict->line) + ")" : "";
  advice.hint = "an iteration may use memory that an earlier iteration wrote" + conflict +
                ": if that is a real recurrence (a[i] depends on a[i-1]), vectorizing would change the "
                "result and the computation must be restructured";
  if (loop && loop->pointer_params.size() >= 2) {
    advice.hint += "; if the accesses only look related because " + quoted_list(pointer_names(*loop)) +
                   " might overlap, declare them '__restrict'";
    advice.fixes.push_back(restrict_fix(*loop));
  }
  return advice;
}

std::string trip_count_hint(const LoopInfo* loop) {
  if (loop && loop->kind != "for" && loop->kind != "range-for")
    return "the number of iterations must be known when the loop starts: compute it first (e.g. the length) and "
           "rewrite this " +
           loop->kind + " loop as a counted for loop";
  return "the number of iterations must be known when the loop starts: use a counted loop (for (i = 0; i < n; "
         "++i)) with no break, return or goto out of it and no change to the bound or the index inside it";
}

Advice call_advice(const LoopInfo* loop, const LoopVerdict& verdict, const AdviceContext& context) {
  Advice advice;
  const CallSite* call = loop ? call_at(*loop, verdict.culprit) : nullptr;
  bool math_call = verdict.math_errno || (call && call->math_library);
  if (math_call && !context.math_errno_off) {
    advice.hint = "math library calls may set errno, which keeps them scalar: compile with -fno-math-errno "
                  "(the default with -ffast-math; errno is rarely checked after math calls)";
    advice.fixes.push_back(Fix{"-fno-math-errno", {"-fno-math-errno"}, {}});
    return advice;
  }
  std::string what = call ? "the call to '" + call->callee + "'" + at(verdict.culprit) : "a call" + at(verdict.culprit);
  if (math_call)
    advice.hint = what + " has no vector version here: link a vector math library (-fveclib=libmvec with "
                         "glibc) or move it out of the loop";
  else
    advice.hint = what + " cannot be vectorized: hoist it out of the loop if its result does not change, make "
                         "its definition visible so it can be inlined (e.g. 'static inline' in a header), or "
                         "give it a vector variant ('#pragma omp declare simd')";
  return advice;
}

std::string control_flow_hint(const LoopInfo* loop, const LoopVerdict& verdict) {
  bool is_switch = false;
  for (const LoopVerdict::RawRemark& raw : verdict.raw)
    is_switch = is_switch || raw.text.find("switch") != std::string::npos;
  if (loop && !loop->branch_on_induction.empty())
    return "the loop branches on '" + loop->branch_on_induction +
           "': split it into loops that each take one side of the branch (e.g. one over the even and one over "
           "the odd iterations, with step 2)";
  if (is_switch)
    return "replace the switch with if/else or a lookup table, so both sides can be computed and selected per lane";
  return "make both sides of the branch safe to compute for every iteration (no calls, no stores that only "
         "happen on one side) so the branch can become a select, and move exits out of the loop";
}

std::string disabled_hint(const LoopInfo* loop, const AdviceContext& context) {
  if (loop && loop->pragma_disabled)
    return "the loop has '#pragma clang loop vectorize(disable)' or 'vectorize_width(1)': remove it if that is "
           "no longer intended";
  if (context.no_vectorize_flag)
    return "the file is compiled with -fno-vectorize: remove the flag to let the compiler vectorize";
  return "vectorization is turned off for this loop";
}

Advice not_profitable_advice(const LoopInfo* loop, bool editable) {
  Advice advice;
  advice.hint = std::string("the cost model expects no gain on this target: a wider -march (if the deployment "
                            "machines allow it) may change that; '") +
                k_enable_pragma + "' forces it, measure whether it is faster";
  if (editable) advice.fixes.push_back(pragma_fix(*loop, " (forces vectorization; measure it)"));
  return advice;
}

Advice hint_only(std::string hint) {
  Advice advice;
  advice.hint = std::move(hint);
  return advice;
}

}  // namespace

Advice advise(const LoopInfo* loop, const LoopVerdict& verdict, Reason reason, const AdviceContext& context) {
  const bool editable = loop && !loop->in_macro;
  switch (reason) {
    case Reason::FpReassociation: return fp_reassociation_advice(loop, editable);
    case Reason::Aliasing: return aliasing_advice(loop, editable);
    case Reason::Dependence: return dependence_advice(loop, verdict);
    case Reason::TripCount: return hint_only(trip_count_hint(loop));
    case Reason::Call: return call_advice(loop, verdict, context);
    case Reason::ControlFlow: return hint_only(control_flow_hint(loop, verdict));
    case Reason::ValueOutsideLoop:
      return hint_only("a value assigned in the loop is used after it and is not a sum, product, min or max: "
                       "compute it after the loop, or restructure it into one of those reductions");
    case Reason::UnsupportedInstruction:
      return hint_only("an operation" + at(verdict.culprit) +
                       " has no vector form the compiler can use on this target; see the compiler's text, and "
                       "consider a wider -march if the deployment machines allow it");
    case Reason::Disabled: return hint_only(disabled_hint(loop, context));
    case Reason::NotProfitable: return not_profitable_advice(loop, editable);
    case Reason::Other: return hint_only("see the compiler's text");
  }
  return hint_only("see the compiler's text");
}

std::vector<std::string> heuristics(const LoopInfo& loop) {
  std::vector<std::string> found;
  if (!loop.branch_on_induction.empty())
    found.push_back("the loop branches on the induction variable ('" + loop.branch_on_induction +
                    "'); splitting it removes the branch");
  std::vector<std::string> opaque;
  for (const CallSite& call : loop.calls)
    if (!call.has_visible_body && !call.math_library &&
        std::find(opaque.begin(), opaque.end(), call.callee) == opaque.end())
      opaque.push_back(call.callee);
  if (!opaque.empty())
    found.push_back("the loop body calls " + quoted_list(opaque) +
                    " with no definition in this file; the compiler cannot see what " +
                    (opaque.size() == 1 ? "it does" : "they do"));
  if (loop.pointer_params.size() >= 2 && loop.writes_through_pointer)
    found.push_back("pointer parameters " + quoted_list(pointer_names(loop)) +
                    " are accessed in the loop, one is written, and none is '__restrict': they may alias");
  return found;
}

}  // namespace hone::vec
