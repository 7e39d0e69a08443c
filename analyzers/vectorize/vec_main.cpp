// `hone vec`: the loops the compiler did not vectorize, why, and — with --try-fixes — whether the
// suggested change makes it vectorize them.
//
// This file is the tool's main over its library: options (vec_options), the pipeline that turns the
// TUs into results (vec_pipeline over unit_analysis and fix_check), and the report built from those
// results (vec_report). The TUs' messages go to stderr in input order once they are done, the report
// to stdout. See docs/vec.md for what the user sees.
#include "vec_main.h"

#include "inputs.h"
#include "tu_runner.h"
#include "vec_options.h"
#include "vec_pipeline.h"
#include "vec_report.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

namespace hone::vec {
namespace {

// A folder of its own in the temporary directory for the record compiles and the fix checks.
bool make_scratch_root(std::string& scratch_root) {
  llvm::SmallString<256> folder;
  if (std::error_code error = llvm::sys::fs::createUniqueDirectory("hone-vec", folder)) {
    llvm::errs() << "hone: error: cannot create a scratch folder in the temporary directory: " << error.message()
                 << '\n';
    return false;
  }
  scratch_root = std::string(folder);
  return true;
}

// What the TUs have to say on stderr (warnings about their flags, compile errors, damaged records),
// TU by TU in input order.
void print_diagnostics(const std::vector<UnitResult>& units) {
  for (const UnitResult& unit : units) {
    llvm::errs() << unit.diagnostics;
    for (const LoopResult& loop : unit.loops) llvm::errs() << loop.fix_diagnostics;
  }
}

}  // namespace

int vec_main(const std::vector<std::string>& args) {
  Options options;
  if (int exit_code = parse_options(args, options); exit_code >= 0) return exit_code;
  if (int exit_code = resolve_files(options); exit_code >= 0) return exit_code;
  analyze::Inputs inputs;
  if (std::string error; !analyze::load_inputs(options.inputs, inputs, error)) {
    llvm::errs() << "hone: error: " << error << '\n';
    return analyze::k_exit_usage;
  }
  std::string scratch_root;
  if (!make_scratch_root(scratch_root)) return analyze::k_exit_usage;

  // Every TU, each loop kept once, fixes checked.
  std::vector<UnitResult> units = run_pipeline(options, inputs, scratch_root);
  llvm::sys::fs::remove_directories(scratch_root);
  print_diagnostics(units);

  // The report, from the results.
  const analyze::RunStatus status = run_status(units);
  const std::vector<analyze::Finding> findings = loop_findings(options, units);
  write_report(llvm::outs(), options, findings, summarize(units), status);
  llvm::outs().flush();

  if (!status.failed_files.empty()) {
    llvm::errs() << "hone: error: " << status.failed_files.size() << " of " << status.tus_total
                 << " translation units did not compile; the report is partial\n";
    return analyze::k_exit_partial;
  }
  return fails_on(options, findings) ? analyze::k_exit_findings : analyze::k_exit_ok;
}

}  // namespace hone::vec
