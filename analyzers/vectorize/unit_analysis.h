// The work `hone vec` does for one translation unit, as a function from the TU to its result.
//
//   1. rewrite its compile command (compile_job) and start the real compile with optimization records
//      as a child process (or, with --remarks-dir, find the record a wrapped build wrote);
//   2. meanwhile parse it in-process and collect its loops (loop_finder);
//   3. read the record (unit_records), group its remarks into per-loop verdicts (verdict), attach them
//      to the loops (loop_match), and settle each loop's status, reason and hint (hints).
// Nothing is printed and nothing is shared with the other TUs running at the same time: the messages
// meant for stderr come back in UnitResult::diagnostics.
#pragma once

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
  std::string site_file;              // loop.site.file, canonical: with the position, the key across TUs
  std::vector<LoopVerdict> verdicts;  // one per compiled copy (inlined, instantiated)
  LoopStatus status = LoopStatus::NoVerdict;
  Reason reason = Reason::Other;  // missed: the most specific reason
  std::optional<size_t> missed;   // index in `verdicts` of the first copy that was not vectorized
  unsigned vectorized_copies = 0;
  std::optional<uint64_t> hotness;      // with a profile: the highest count of its copies
  Advice advice;                        // missed: the hint and the fixes worth trying
  std::vector<FixOutcome> fixes_tried;  // --try-fixes, filled after the TUs ran (vec_pipeline)
  std::string fix_diagnostics;          // stderr lines from checking those fixes

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
};

// What every TU's analysis reads and none writes.
struct UnitContext {
  const Options& options;
  const analyze::Inputs& inputs;
  const analyze::SourceFilter& filter;
  std::string llvm_bin;      // clang-19's bin folder
  std::string scratch_root;  // TU number `index` works in <scratch_root>/tu-<index>, removed at its end
};

// Whether a loop is reported (becomes a finding), given --category and --all.
bool is_reported(const Options& options, const LoopResult& loop);

// Analyzes inputs.files[index].
UnitResult analyze_unit(const UnitContext& context, size_t index);

// The scratch folder of TU number `index` (the fix checks of its loops work below it too).
std::string unit_scratch(const std::string& scratch_root, size_t index);

}  // namespace hone::vec
