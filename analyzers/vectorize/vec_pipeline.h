// The `hone vec` pipeline from options and inputs to results, before any report:
//
//   1. every TU through analyze_unit (unit_analysis), in parallel on the analyzers' TU runner;
//   2. each loop kept once: a loop in a header seen by several TUs belongs to the first TU (in input
//      order) that has it, so the result does not depend on -j;
//   3. the callers of every function whose loop has a `__restrict` fix checked for overlapping
//      arguments, over the calls of all TUs (call_sites);
//   4. with --try-fixes, the fixes of every reported missed loop checked (fix_check), in parallel.
// It prints nothing; vec_main prints the TUs' diagnostics and the report built from the result.
#pragma once

#include "inputs.h"
#include "unit_analysis.h"
#include "vec_options.h"

#include <string>
#include <vector>

namespace hone::vec {

// The results of every TU, in the order of inputs.files, each loop in only one of them. Scratch files
// go below `scratch_root`, which the caller removes.
std::vector<UnitResult> run_pipeline(const Options& options, const analyze::Inputs& inputs,
                                     const std::string& scratch_root);

}  // namespace hone::vec
