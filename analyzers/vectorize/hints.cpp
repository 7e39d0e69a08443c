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
  // The pragma makes the vectorizer pick a vector width even when its cost model rates every width
  // slower than the scalar loop (LLVM 19's selectVectorizationFactor), and says nothing when it does.
  fix.forces_vectorization = true;
  return fix;
}

// Compiler flags for the whole file, described by themselves.
Fix flag_fix(std::vector<std::string> flags) {
  Fix fix;
  for (const std::string& flag : flags) fix.description += (fix.description.empty() ? "" : " ") + flag;
  fix.flags = std::move(flags);
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
  fix.asserts_no_overlap = true;
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

// `if (c) s += x`: clang 19 vectorizes a conditional float sum only with all of -ffast-math; each of
// -ffinite-math-only, -freciprocal-math and -fapprox-func left out keeps it scalar, and the loop pragma
// does not help (checked with clang 19 on x86-64).
Advice conditional_sum_advice(const LoopInfo& loop) {
  Advice advice;
  advice.hint = "'" + loop.fp_conditional_sum +
                "' is a floating-point sum updated under a condition: clang vectorizes it only with -ffast-math "
                "for the file (-fassociative-math -fno-signed-zeros is not enough, nor is the loop pragma). That "
                "reorders the additions, so the result changes by rounding (not measured by hone), and assumes no "
                "NaN or infinity occurs (-ffinite-math-only); alternatively sum 'cond ? x : 0' unconditionally, "
                "which the loop pragma can then vectorize";
  Fix fast = flag_fix({"-ffast-math"});
  fast.reorders_fp = true;
  fast.assumes_finite = true;
  advice.fixes.push_back(std::move(fast));
  return advice;
}

// `m = a[i] > m ? a[i] : m`: a compare-and-select reduction becomes a vector max/min only when NaNs and
// the sign of zero may be ignored, which -ffinite-math-only -fno-signed-zeros allow (checked with clang
// 19: -fassociative-math does not help).
Advice min_max_advice(const LoopInfo& loop) {
  Advice advice;
  advice.hint = "'" + loop.fp_min_max +
                "' is a floating-point running max or min: the vector version is only equal when no value is a "
                "NaN and -0.0 and +0.0 need not be told apart; if that holds for the data, compile with "
                "-ffinite-math-only -fno-signed-zeros (-ffast-math implies both, and more)";
  Fix flags = flag_fix({"-ffinite-math-only", "-fno-signed-zeros"});
  flags.assumes_finite = true;
  advice.fixes.push_back(std::move(flags));
  return advice;
}

Advice fp_reassociation_advice(const LoopInfo* loop, bool editable) {
  if (loop && !loop->fp_conditional_sum.empty()) return conditional_sum_advice(*loop);
  Advice advice;
  const bool induction = loop && loop->scalar_shape && loop->scalar_shape->kind == "induction";
  advice.hint = induction
                    ? "'" + loop->scalar_shape->variable +
                          "' grows by the same amount in every iteration (a floating-point induction): vectorized, "
                          "each lane computes its value as start + k * step instead of adding the step k times, "
                          "which rounds differently (not measured by hone); computing it from the index yourself "
                          "(start + (i + 1) * step) has the same effect and vectorizes without flags. If that "
                          "is acceptable, put '"
                    : std::string("vectorizing keeps one partial result per vector lane and combines them at the end, "
                                  "which reorders the floating-point operations: the result changes by rounding, by "
                                  "an amount that depends on the data (not measured by hone). If that is acceptable, "
                                  "put '");
  advice.hint += std::string(k_enable_pragma) +
                 "' before the loop (this loop only), or compile the file with -fassociative-math "
                 "-fno-signed-zeros (both are needed; -ffast-math implies them and also -ffinite-math-only, "
                 "-fno-math-errno, -freciprocal-math and -fapprox-func)";
  if (editable) {
    Fix pragma = pragma_fix(*loop, "");
    pragma.reorders_fp = true;
    advice.fixes.push_back(std::move(pragma));
  }
  Fix flags = flag_fix({"-fassociative-math", "-fno-signed-zeros"});
  flags.reorders_fp = true;
  advice.fixes.push_back(std::move(flags));
  return advice;
}

bool cannot_bound_arrays(const LoopVerdict& verdict) {
  for (const LoopVerdict::RawRemark& raw : verdict.raw)
    if (raw.text.find("cannot identify array bounds") != std::string::npos) return true;
  return false;
}

Advice aliasing_advice(const LoopInfo* loop, const LoopVerdict& verdict, bool editable) {
  Advice advice;
  if (loop && loop->pointer_params.empty() && !loop->global_arrays.empty() && cannot_bound_arrays(verdict)) {
    // '__restrict' cannot qualify a global array, and the run-time check cannot be built because an
    // index is not an affine function of the loop counter (a gather or scatter).
    advice.hint = "the loop accesses " + quoted_list(loop->global_arrays) +
                  " at an index the compiler cannot bound (e.g. a[idx[i]]), so it cannot check at run time "
                  "whether the accesses overlap, and '__restrict' cannot be put on a global array: if a global "
                  "pointer is involved and never points into the other arrays, copy it into a local '__restrict' "
                  "pointer before the loop; a scatter (a[idx[i]] = ...) into an array the loop also reads is not "
                  "safe to vectorize";
    return advice;
  }
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

// What hone's reading of the body (body_shapes.h) says stops the vectorizer.
std::string dependence_shape_hint(const DependenceShape& shape) {
  const std::string iterations =
      std::to_string(shape.distance) + " iteration" + (shape.distance == 1 ? "" : "s") + " earlier";
  if (shape.conditional && shape.distance > 0 && (shape.kind == "recurrence" || shape.kind == "no-cycle"))
    return "'" + shape.read + "' reads what '" + shape.write + "' stored " + iterations +
           " on one path of a branch: the optimizer carries that value from one iteration to the next through "
           "the branches, and what is left is a loop the vectorizer cannot count or a dependence it cannot break; "
           "no flag or pragma helps: compute the conditionally stored values in a loop of their own first (then "
           "the rest reads them from memory), or leave the loop scalar";
  if (shape.kind == "recurrence")
    return "proved dependent (distance " + std::to_string(shape.distance) + "): '" + shape.read + "' reads what '" +
           shape.write + "' stored " + iterations +
           ", a true recurrence: no flag, pragma or '__restrict' can vectorize it without changing the result; "
           "restructure it (e.g. a blocked scan) or leave it scalar";
  if (shape.kind == "no-cycle")
    return "proved dependent (distance " + std::to_string(shape.distance) + "), but not a recurrence: '" + shape.read +
           "' reads what '" + shape.write + "' stored " + iterations +
           ", and no value in the loop depends on its own earlier value, so the loop vectorizes once it is split in "
           "two: first a loop that computes '" +
           shape.write + "', then one that reads '" + shape.read +
           "' (or reorder the statements so the store comes first); clang does not split it here, and hone makes "
           "no edit for it";
  if (shape.kind == "store-order")
    return "'" + shape.write + "' stores an element that '" + shape.read + "' stores again " +
           std::to_string(shape.distance) + " iteration" + (shape.distance == 1 ? "" : "s") +
           " later (two stores to one element): in vector form every store of '" + shape.read +
           "' comes first, so the element would keep the wrong value and the loop stays scalar. If nothing "
           "reads the element between the two stores, only the last iteration's '" +
           shape.write +
           "' survives: take that statement out of the loop and run it once for the last index; otherwise split "
           "the loop so the two stores are in different loops";
  if (shape.kind == "crossing")
    return "'" + shape.read + "' reads an element of the array that '" + shape.write +
           "' writes: the two meet once, so iterations before that point read the old value and iterations "
           "after it the new one (a dependence the compiler cannot rule out); split the loop where they meet, "
           "so that in each part the read and the write never touch the same element, and each part can "
           "vectorize";
  return "'" + shape.read + "' is read after '" + shape.write +
         "' is stored in the same iteration, and must see the value from before the loop, which a later iteration "
         "overwrites: in vector form that later store would come first, so the loop stays scalar; read '" +
         shape.read +
         "' into a local before the store (or move the statement that reads it above the one that "
         "stores): that keeps the result and removes this dependence";
}

std::string scalar_shape_hint(const ScalarShape& shape) {
  const std::string name = "'" + shape.variable + "'";
  if (shape.kind == "scan")
    return name + " is a running total stored in every iteration (a prefix sum): each element needs the one "
                  "before it, a true recurrence through a scalar; clang does not vectorize scans: leave it scalar, or "
                  "use a SIMD scan (hone::simd::prefix_sum in hone's runtime)";
  if (shape.kind == "pack")
    return name + " advances only when the condition holds and indexes an array (packing or unpacking the "
                  "selected elements): where each element goes depends on every earlier iteration's condition, so "
                  "clang keeps it scalar; only hand-written code (e.g. AVX-512's compress and expand instructions) "
                  "vectorizes it";
  if (shape.kind == "wrap-around")
    return name + " is read before it is assigned in the iteration, so each iteration uses the value the "
                  "previous one left (a wrap-around scalar), which clang vectorizes only in simple cases: peel the "
                  "first iteration so it becomes an expression of the index (e.g. i - 1), or keep its values in an "
                  "array (t[i] = ... in one loop, read t[i - 1] in the next)";
  if (shape.kind == "kept-under-condition")
    return name + " is assigned only when a condition holds and read in every iteration, so an iteration uses "
                  "the value the last one that met the condition left (a forward fill, a wrap-around scalar under a "
                  "condition): a recurrence through a scalar that no flag or pragma vectorizes; leave it scalar";
  if (shape.kind == "serial-chain")
    return name + " is updated from itself by two different operations in each iteration (a serial chain, as in "
                  "a hash): each step needs the previous one, so no flag or pragma vectorizes it";
  if (shape.kind == "last-index")
    return name +
           " keeps the last index at which a condition held; clang 19 does not vectorize that form, but "
           "does vectorize the same value written as a max: " +
           name + " = max(" + shape.variable + ", condition ? i : -1), when " + name +
           " starts below every index (e.g. -1)";
  return name + " records where the running max or min '" + shape.partner +
         "' was found (an arg max or arg min): clang 19 vectorizes neither: find the max or min first (a plain "
         "reduction, which vectorizes; for floats see hone-vec-fp-min-max) and its position in a second loop, or "
         "use a SIMD kernel (hone::simd::max/min in hone's runtime return the value and its first index)";
}

// LLVM's dependence texts (LoopAccessAnalysis) tell a proved dependence ("Backward loop carried data
// dependence", with or without "prevents store-to-load forwarding") from one it could not rule out
// ("Unknown data dependence", "Unsafe indirect dependence"); hone's own reading of the source adds the
// shape of the body's dependences (body_shapes.h).
bool could_not_prove(const LoopVerdict& verdict) {
  for (const LoopVerdict::RawRemark& raw : verdict.raw)
    if (raw.text.find("Unknown data dependence") != std::string::npos ||
        raw.text.find("indirect dependence") != std::string::npos)
      return true;
  return false;
}

Advice dependence_advice(const LoopInfo* loop, const LoopVerdict& verdict) {
  Advice advice;
  std::string conflict =
      verdict.conflict ? " (the conflicting access is at line " + std::to_string(verdict.conflict->line) + ")" : "";
  if (loop && (loop->dependence || loop->scalar_shape)) {
    advice.hint = loop->dependence ? dependence_shape_hint(*loop->dependence) : scalar_shape_hint(*loop->scalar_shape);
    return advice;
  }
  if (!could_not_prove(verdict)) {
    advice.hint = "proved dependent: an iteration uses memory that an earlier iteration wrote through the same "
                  "pointer" +
                  conflict + ", so vectorizing would change the result; restructure the computation";
    return advice;
  }
  advice.hint = "could not prove independence: the accesses" + conflict +
                " may touch the same memory in different iterations (an index the compiler cannot compare, e.g. "
                "a[k + i] against a[i], or pointers that may overlap)";
  if (loop && loop->pointer_params.size() >= 2) {
    advice.hint += "; if " + quoted_list(pointer_names(*loop)) + " never overlap, declare them '__restrict'";
    advice.fixes.push_back(restrict_fix(*loop));
  } else {
    advice.hint += "; if you know they never overlap within a vector's width, put '#pragma clang loop "
                   "vectorize(assume_safety)' before the loop (a promise the compiler does not check)";
  }
  return advice;
}

std::string search_hint() {
  return "a search: the loop only steps until an element fails its test, an exit that depends on the data, "
         "which clang 19 does not vectorize; a library search does it with SIMD (strlen, memchr, strspn or "
         "strcspn in glibc; hone::simd::find in hone's runtime), or leave it if the runs are short";
}

std::string trip_count_hint(const LoopInfo* loop) {
  if (loop && loop->search_loop) return search_hint();
  if (loop && loop->kind == "for" && loop->has_goto && !loop->induction_variable.empty())
    return "the loop's bound is fixed, but its gotos to labels inside the body give it several paths, and the "
           "shape the optimizer makes of them is one the vectorizer cannot count; rewriting the paths as "
           "if/else is the first thing to try, though on such loops clang 19 may still refuse (hone has no "
           "change it can verify here)";
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
    advice.fixes.push_back(flag_fix({"-fno-math-errno"}));
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
  if (loop && loop->search_loop) return search_hint();
  bool is_switch = false;
  for (const LoopVerdict::RawRemark& raw : verdict.raw)
    is_switch = is_switch || raw.text.find("switch") != std::string::npos;
  if (loop && !loop->conditional_stores.empty())
    return quoted_list(loop->conditional_stores) +
           " are stored on different paths through the body, and every index is the loop counter plus a "
           "constant: the optimizer merges those stores into one through a pointer chosen in each iteration, "
           "whose bounds the vectorizer cannot compute (its \"cannot identify array bounds\"); store every array "
           "in every iteration instead, keeping the old value where the branch did not write "
           "(b[i] = cond ? new_b : b[i]; a[i] = cond ? a[i] : new_a), which vectorizes";
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
                k_enable_pragma + "' forces it, but the cost model predicts it is slower: time it before keeping it";
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
  if (loop && !loop->never_vectorizable.empty())
    return hint_only("never vectorizable: the loop " + loop->never_vectorizable +
                     ", which has no vector form; nothing to change here (such loops are reported only with --all)");
  switch (reason) {
    case Reason::FpReassociation: return fp_reassociation_advice(loop, editable);
    case Reason::FpMinMax:
      if (loop) return min_max_advice(*loop);
      return hint_only("a floating-point running max or min needs -ffinite-math-only -fno-signed-zeros");
    case Reason::Aliasing: return aliasing_advice(loop, verdict, editable);
    case Reason::LoopIdiom:
      return hint_only(
          "the inner loop" +
          (loop && loop->replaced_inner_loop_line ? " at line " + std::to_string(loop->replaced_inner_loop_line) : "") +
          " was replaced by a call to memcpy or memset (loop idiom recognition), which is already a fast library "
          "routine; this loop cannot be vectorized around that call, and rarely needs to be");
    case Reason::Dependence: return dependence_advice(loop, verdict);
    case Reason::TripCount: return hint_only(trip_count_hint(loop));
    case Reason::Call: return call_advice(loop, verdict, context);
    case Reason::ControlFlow: return hint_only(control_flow_hint(loop, verdict));
    case Reason::ValueOutsideLoop:
      if (loop && loop->scalar_shape) return hint_only(scalar_shape_hint(*loop->scalar_shape));
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
  // With a proved recurrence on one array, overlap between the parameters is not what stops the loop.
  if (loop.pointer_params.size() >= 2 && loop.writes_through_pointer &&
      !(loop.dependence && loop.dependence->kind == "recurrence"))
    found.push_back("pointer parameters " + quoted_list(pointer_names(loop)) +
                    " are accessed in the loop, one is written, and none is '__restrict': they may alias");
  return found;
}

}  // namespace hone::vec
