// From the loop vectorizer's remarks to one verdict per loop: vectorized (width, interleave count) or
// missed, and why, in one of a small set of reason categories a user can act on.
//
// The vectorizer reports each loop as a run of remarks in one function: zero or more `Analysis`
// remarks saying what stopped it (located at the offending instruction, not at the loop), then one
// `Missed` or `Passed` remark located at the loop itself. build_verdicts() follows that order per
// function, so an analysis remark pointing into a loop body is attributed to the loop the vectorizer
// was working on, not to whatever loop its location happens to fall in. classify_reason() maps the
// remark names and texts of LLVM 19 (LoopVectorize.cpp, LoopVectorizationLegality.cpp,
// LoopAccessAnalysis.cpp) to categories; texts are matched as well as names because names have
// changed between releases while the wording users see has been stable.
#pragma once

#include "remark_reader.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

// Why a loop was not vectorized. Each has a stable name (`reason_name`) used in
// `[hone-vec-<name>]`, --category and JSON.
enum class Reason {
  FpReassociation,         // an FP reduction would need reordered (reassociated) adds/multiplies
  FpMinMax,                // an FP running min/max: needs NaN and signed zeros ignored (from the AST)
  Aliasing,                // pointers may overlap and runtime checks are impossible or too many
  TripCount,               // the number of iterations is not computable before the loop starts
  Call,                    // a call (or a libm call that may set errno) cannot be widened
  ControlFlow,             // switch, early exit or branches that cannot become selects
  Dependence,              // a (possible) loop-carried memory dependence
  ValueOutsideLoop,        // a value computed in the loop and used after it is not a reduction
  UnsupportedInstruction,  // an instruction or type the vectorizer cannot widen
  Disabled,                // a pragma or -fno-vectorize turned the vectorizer off for the loop
  NotProfitable,           // legal, but the cost model found no gain
  LoopIdiom,               // an inner loop became memcpy/memset: the call left behind blocks this loop
  Other,                   // anything else: the raw text says what
};

constexpr Reason k_all_reasons[] = {Reason::FpReassociation,
                                    Reason::FpMinMax,
                                    Reason::Aliasing,
                                    Reason::TripCount,
                                    Reason::Call,
                                    Reason::ControlFlow,
                                    Reason::Dependence,
                                    Reason::ValueOutsideLoop,
                                    Reason::UnsupportedInstruction,
                                    Reason::Disabled,
                                    Reason::NotProfitable,
                                    Reason::LoopIdiom,
                                    Reason::Other};

const char* reason_name(Reason reason);         // "fp-reassociation", "aliasing", ...
const char* reason_description(Reason reason);  // one line in plain words
bool parse_reason(const std::string& name, Reason& reason);

struct SourcePos {
  std::string file;  // as the compiler wrote it (relative to the compile directory or absolute)
  unsigned line = 0, column = 0;
  bool operator==(const SourcePos&) const = default;
};

// What one vectorizer run concluded about one loop (one copy of it: a loop in an inlined function is
// seen once per copy).
struct LoopVerdict {
  SourcePos loop;        // the loop's location (its Missed/Passed remark)
  std::string function;  // mangled, as in the record
  bool vectorized = false;
  unsigned width = 0;           // vectorization factor when vectorized
  bool scalable = false;        // vscale x width (SVE, RVV)
  unsigned interleave = 0;      // interleave count when vectorized or interleaved
  std::vector<Reason> reasons;  // missed: the categories found, most specific first (never empty)
  bool math_errno = false;      // the call is a libm function kept scalar because it may set errno
  struct RawRemark {
    SourcePos where;
    std::string text;
  };
  std::vector<RawRemark> raw;         // the compiler's text of every remark of this loop, in order
  std::optional<SourcePos> culprit;   // where the first analysis remark points (a call, an FP op, ...)
  std::optional<SourcePos> conflict;  // dependence: the access the culprit conflicts with
  std::optional<uint64_t> hotness;    // with a profile: the loop's execution count estimate
  bool attached_by_function = false;  // the record gave no location: attached to its function's only loop
};

// The category of one analysis/missed remark; nullopt when it says nothing about why (e.g. the
// closing "loop not vectorized").
std::optional<Reason> classify_remark(const Remark& remark);

// Groups one translation unit's remarks (record order) into verdicts. Remarks of other passes are
// ignored. Analysis remarks with no closing remark in their function are dropped. A loop the optimizer
// copied within one function (unswitched, versioned) gets one verdict per copy, all at its location.
std::vector<LoopVerdict> build_verdicts(const std::vector<Remark>& remarks);

}  // namespace hone::vec
