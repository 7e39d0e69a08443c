// The `hone vec` report, built from the pipeline's results once every TU is done: one finding per
// reported loop (compiler-style text grouped by file, JSON or SARIF), the summary of all loops, and
// the exit code --fail-on asks for.
#pragma once

#include "findings.h"
#include "unit_analysis.h"
#include "vec_options.h"

#include <llvm/Support/raw_ostream.h>

#include <map>
#include <string>
#include <vector>

namespace hone::vec {

// Every loop hone saw, reported or not, by status.
struct Summary {
  unsigned loops = 0, vectorized = 0, missed = 0, outer = 0, no_verdict = 0;
  unsigned never_vectorizable = 0;  // of the missed: a lock, I/O, allocation or list walk (reported with --all)
  std::map<Reason, unsigned> by_reason;
};
Summary summarize(const std::vector<UnitResult>& units);

// The findings of the reported loops, sorted by place; with a profile, the hottest missed loop first.
std::vector<analyze::Finding> loop_findings(const Options& options, const std::vector<UnitResult>& units);

// The run's status: TUs in total, and the ones that failed (sorted).
analyze::RunStatus run_status(const std::vector<UnitResult>& units);

// For JSON and SARIF: each TU's record compile (file, folder, compiler, its `--version` line, the
// flags after hone's rewriting), so a report says what it was measured with. `scratch`: a folder for
// the version probes' output.
llvm::json::Array compiles_json(const std::vector<UnitResult>& units, const std::string& scratch);

// Writes the report in options.format: the findings, then the summary (a last line in text, "summary"
// in JSON, runs[0].properties.summary in SARIF).
void write_report(llvm::raw_ostream& out, const Options& options, const std::vector<analyze::Finding>& findings,
                  const Summary& summary, analyze::RunStatus status);

// --fail-on: whether a reported missed loop (of the listed reasons) exists.
bool fails_on(const Options& options, const std::vector<analyze::Finding>& findings);

}  // namespace hone::vec
