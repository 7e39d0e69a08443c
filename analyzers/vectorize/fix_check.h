// --try-fixes: whether a hint's change makes the loop vectorize, checked by compiling a changed copy.
//
// Per fix, the edited file(s) are copied into a scratch folder and shown to clang through a VFS overlay
// (-ivfsoverlay), so the copy keeps the original paths and the include search keeps working; the fix's
// flags are appended. The loop's new verdict is found at its original location (columns shifted back
// by the inserted text). The first verified fix (see FixLabel) stops the search; the user's files are
// never written.
#pragma once

#include "call_sites.h"
#include "compile_job.h"
#include "hints.h"
#include "loop_finder.h"
#include "loop_match.h"

#include <string>
#include <vector>

namespace hone::vec {

// What a checked fix earned. Only `Verified` is called verified: a fix that vectorizes the loop but
// rests on a promise hone found broken or could not check, or that overrides a cost model that
// predicted a loss (unless hone's benchmark measured it faster), says so instead.
enum class FixLabel {
  Verified,             // vectorizes, and nothing hone can see makes it unsafe or a predicted loss
  CallSitesMayOverlap,  // vectorizes, but a call passes objects that may overlap: `__restrict` would be false
  CallersUnchecked,     // vectorizes, but no call is visible (or its address is taken)
  CostModelLoss,        // vectorizes only because the pragma overrides a cost model that predicted a loss
  MeasuredNotFaster,    // vectorizes by a forcing pragma, and hone's benchmark of it is not faster
  NotVectorized,        // the loop is still not vectorized
  NotChecked,           // the check could not run (the copy did not compile, a timeout, no verdict)
};
const char* fix_label_name(FixLabel label);  // "verified", "call-sites-may-overlap", ...

// A fix that forces vectorization, timed in a benchmark hone generates (fix_timing.h).
struct FixTiming {
  bool measured = false;
  double speedup = 0;        // median of the rounds' ratios, time as it is / time with the fix: > 1 is faster
  double low = 0, high = 0;  // the smallest and the largest round's ratio
  double scalar_ns = 0;      // median time of one call as it is, in nanoseconds
  std::string not_measured;  // why there is no figure (empty when measured, or when not tried)
};

// A fix that reorders floating-point operations or assumes finite values, run on hone's generated
// input as it is and with the fix (fix_timing.h): how much the function's results changed.
struct FixResultChange {
  bool measured = false;
  double max_relative = 0;   // the largest relative difference of one value (0: identical)
  std::string where;         // the value with that difference: "the return value", "element 17 of 'a'"
  unsigned values = 0;       // how many values were compared
  std::string not_measured;  // why there is no comparison (empty when measured, or when not tried)
};

struct FixOutcome {
  Fix fix;
  FixLabel label = FixLabel::NotChecked;
  bool vectorizes = false;  // every compiled copy of the loop vectorizes with the fix
  bool verified = false;    // label == Verified
  unsigned width = 0, interleave = 0;
  bool scalable = false;
  std::string still;              // not vectorized: what the compiler says now, or why it could not be checked
  FixTiming timing;               // fixes that force vectorization and vectorize
  FixResultChange result_change;  // fixes that reorder floating-point operations or assume finite values
};

// The loop a fix is checked for, and where the check may write.
struct FixTarget {
  const CompileSetup& setup;                    // the TU's compile
  const std::vector<std::string>& known_files;  // files the TU's AST has loops in
  const LoopSite& site;                         // the loop as the AST has it
  const std::string& site_file;                 // site.file, canonical
  std::string scratch_prefix;                   // each check uses the folder <prefix>-<attempt>, then removes it
  unsigned timeout_seconds = 0;                 // per compile; 0: none
  const CallSiteCheck* call_sites = nullptr;    // the function's callers, for fixes that assert no overlap
  bool cost_model_rejected = false;             // the loop's verdict said "not beneficial"
  const LoopInfo* loop = nullptr;               // the loop's facts, for timing a fix (fix_timing.h)
  bool time_fixes = true;                       // time forced fixes, compare FP fixes' results
};

// The compiler flags that show clang copies of the files `edits` change, with `appendix` added to the
// end of `append_to` (when not empty), in place of the originals: writes the copies and an overlay
// file (-ivfsoverlay) into `scratch`. Returns false with `error` when it cannot.
bool overlay_flags(const std::vector<SourceEdit>& edits, const std::string& append_to, const std::string& appendix,
                   const std::string& scratch, std::vector<std::string>& flags, std::string& error);

// The label of a fix that did or did not vectorize the loop, given what hone knows of its callers and
// the cost model's verdict.
FixLabel label_fix(const FixTarget& target, const Fix& fix, bool vectorizes, bool checked);

// The label of a fix that vectorizes by forcing it, once timed: verified when it was at least
// k_timing_faster (fix_timing.h) as fast in every round, measured-not-faster otherwise; unchanged when
// not measured, or when a safety label already applies.
FixLabel label_after_timing(FixLabel label, const FixTiming& timing);

// Checks `fixes` in order and stops at the first verified one. Warnings about the changed copies'
// records are appended to `diagnostics`.
std::vector<FixOutcome> check_fixes(const FixTarget& target, const std::vector<Fix>& fixes, std::string& diagnostics);

}  // namespace hone::vec
