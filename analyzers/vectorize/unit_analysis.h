// The work `hone vec` does for one translation unit, as a function from the TU to its result.
//
//   1. rewrite its compile command (compile_job) and start the real compile with optimization records
//      as a child process (or, with --remarks-dir, find the record a wrapped build wrote);
//   2. collect its loops (loop_finder): from the child's own parse when the child is the one-pass
//      worker (unit_worker), else from a parse of its own in-process meanwhile (unit_parse);
//   3. read the record (unit_records), group its remarks into per-loop verdicts (verdict), attach them
//      to the loops (loop_match), and settle each loop's status, reason and hint (hints).
// Nothing is printed and nothing is shared with the other TUs running at the same time: the messages
// meant for stderr come back in UnitResult::diagnostics.
#pragma once

#include "call_sites.h"
#include "compile_job.h"
#include "fix_check.h"
#include "hints.h"
#include "loop_finder.h"
#include "tu_runner.h"
#include "vec_options.h"
#include "verdict.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

// Where a loop stands once the verdicts of all its compiled copies are combined.
enum class LoopStatus { Vectorized, Missed, Outer, NoVerdict };

// One loop of a TU with everything the report needs about it.
struct LoopResult {
  LoopInfo loop;
  std::string site_file;  // loop.site.file, canonical: with the position, the key across TUs
  // One per compiled copy: inlined or instantiated into several functions, or copied by the optimizer
  // within one function (unswitched, versioned).
  std::vector<LoopVerdict> verdicts;
  LoopStatus status = LoopStatus::NoVerdict;
  Reason reason = Reason::Other;  // missed: the most specific reason
  // Index in `verdicts` of the copy not vectorized whose reason is reported: the hottest with a
  // profile, else the first.
  std::optional<size_t> missed;
  unsigned vectorized_copies = 0;
  // With a profile, summed over copies (each run of the loop runs exactly one copy, so the counts add
  // up): `hotness` over the copies that run scalar when the loop is missed (that is what a fix would
  // speed up; a hot vectorized copy must not rank a cold scalar one first), over all copies otherwise;
  // `all_copies_hotness` over every copy.
  std::optional<uint64_t> hotness;
  std::optional<uint64_t> all_copies_hotness;
  // Verdicts of copies of this outer loop the optimizer made without its inner loop (unswitched or
  // versioned on whether the inner loop runs at all) while the inner loop has a verdict of its own in
  // the same function: such a copy is not the loop the user wrote, so it is not reported.
  std::vector<LoopVerdict> innerless_copies;
  Advice advice;                            // missed: the hint and the fixes worth trying
  std::optional<CallSiteCheck> call_sites;  // a `__restrict` fix among the fixes: its callers, checked (vec_pipeline)
  std::vector<FixOutcome> fixes_tried;      // --try-fixes, filled after the TUs ran (vec_pipeline)
  std::string fix_diagnostics;              // stderr lines from checking those fixes

  const LoopVerdict* missed_verdict() const { return missed ? &verdicts[*missed] : nullptr; }
  // "file:line:column" of the loop, with the canonical file: the same loop seen through two TUs.
  std::string key() const;
};

struct UnitResult {
  std::string file;         // the TU, as in the inputs
  bool failed = false;      // not compiled, parsed or read: its loops are not in the report
  std::string diagnostics;  // for stderr, in the order they arose: warnings about its flags, errors
  CompileSetup setup;
  std::vector<std::string> known_files;  // files its AST has loops in, as spelled and canonical
  std::vector<LoopResult> loops;         // in source order
  std::vector<FunctionUse> uses;         // calls of functions with pointer parameters (call_sites.h)
};

// What every TU's analysis reads and none writes.
struct UnitContext {
  const Options& options;
  const analyze::Inputs& inputs;
  const analyze::SourceFilter& filter;
  std::string llvm_bin;         // clang-19's bin folder
  std::string scratch_root;     // TU number `index` works in <scratch_root>/tu-<index>, removed at its end
  std::string self_executable;  // hone-analyze, run as the one-pass worker (unit_worker.h); empty: two passes
};

// Whether a loop is reported (becomes a finding), given --category and --all. A missed loop no change
// can vectorize (LoopInfo::never_vectorizable: a lock, I/O, allocation, a list walk) only with --all.
bool is_reported(const Options& options, const LoopResult& loop);

// Analyzes inputs.files[index].
UnitResult analyze_unit(const UnitContext& context, size_t index);

// The scratch folder of TU number `index` (the fix checks of its loops work below it too).
std::string unit_scratch(const std::string& scratch_root, size_t index);

}  // namespace hone::vec
