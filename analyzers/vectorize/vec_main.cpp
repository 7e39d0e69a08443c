// `hone vec`: the loops the compiler did not vectorize, why, and — with --try-fixes — whether the
// suggested change makes it vectorize them.
//
// This file is the tool's main over its library: options (vec_options), the pipeline that turns the
// TUs into results (vec_pipeline over unit_analysis and fix_check), and the report built from those
// results (vec_report). The TUs' messages go to stderr in input order once they are done, the report
// to stdout. See docs/vec.md for what the user sees.
#include "vec_main.h"

#include "export_fixes.h"
#include "inputs.h"
#include "suppressions.h"
#include "tu_runner.h"
#include "vec_options.h"
#include "vec_pipeline.h"
#include "vec_report.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <map>

namespace hone::vec {
namespace {

// Source kinds clang's loop vectorizer sees: C and C++ (and their preprocessed forms). Assembly
// (`.S`, `.s`), CUDA, Fortran and the rest of a build's database have no loops for hone vec; a mixed
// project's database is ordinary, so they are skipped with a count instead of failing the run.
bool is_c_family(llvm::StringRef file) {
  llvm::StringRef extension = llvm::sys::path::extension(file);
  for (const char* known : {".c", ".cc", ".cpp", ".cxx", ".c++", ".C", ".cp", ".CPP", ".i", ".ii", ".h", ".hh", ".hpp",
                            ".hxx", ".inl", ".ipp", ".tcc"})
    if (extension == known) return true;
  return false;
}

// Drops the files that are not C or C++ and says how many were skipped, by extension.
void skip_other_languages(analyze::Inputs& inputs) {
  std::map<std::string, unsigned> skipped;
  std::string example;
  std::erase_if(inputs.files, [&](const std::string& file) {
    if (is_c_family(file)) return false;
    std::string extension = llvm::sys::path::extension(file).str();
    ++skipped[extension.empty() ? "no extension" : extension];
    if (example.empty()) example = file;
    return true;
  });
  if (skipped.empty()) return;
  unsigned total = 0;
  std::string kinds;
  for (const auto& [extension, count] : skipped) {
    total += count;
    kinds += (kinds.empty() ? "" : ", ") + std::to_string(count) + " " + extension;
  }
  llvm::errs() << "hone: note: skipped " << total << " file" << (total == 1 ? "" : "s") << " that are not C or C++ ("
               << kinds << "; e.g. '" << example << "'): clang's loop vectorizer reports only on C and C++\n";
}

// --exclude: the TUs whose file matches are not analyzed at all (loops of matching headers seen from
// other TUs are left out of the report by is_reported).
void skip_excluded(const Options& options, analyze::Inputs& inputs) {
  const size_t before = inputs.files.size();
  std::erase_if(inputs.files, [&](const std::string& file) { return is_excluded(options, file); });
  if (size_t skipped = before - inputs.files.size(); skipped > 0)
    llvm::errs() << "hone: note: --exclude '" << options.exclude << "' left out " << skipped << " of " << before
                 << " translation units\n";
}

// --top N: the first N findings in report order; says on stderr how many were left out.
std::vector<analyze::Finding> first_findings(const Options& options, std::vector<analyze::Finding> findings) {
  if (options.top == 0 || findings.size() <= options.top) return findings;
  llvm::errs() << "hone: note: showing the first " << options.top << " of " << findings.size() << " findings (--top "
               << options.top << ")\n";
  findings.resize(options.top);
  return findings;
}

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

// --export-fixes: each finding's first fix that --try-fixes verified and that changes no result (no
// floating-point reordering, no finite-math assumption) and needs no compiler flag: source insertions
// only (`__restrict`, the loop pragma), turned into byte offsets. Read from the finding's JSON payload,
// the report's own account of what was verified.
void attach_verified_fixes(std::vector<analyze::Finding>& findings, analyze::SourceCache& sources) {
  for (analyze::Finding& finding : findings) {
    const llvm::json::Array* fixes = finding.payload.getArray("fixes");
    if (!fixes) continue;
    for (const llvm::json::Value& value : *fixes) {
      const llvm::json::Object* fix = value.getAsObject();
      if (!fix || fix->getString("label") != "verified" || fix->getBoolean("reorders_fp").value_or(true) ||
          fix->getBoolean("assumes_finite").value_or(true))
        continue;
      const llvm::json::Array* flags = fix->getArray("flags");
      const llvm::json::Array* edits = fix->getArray("edits");
      if (!flags || !flags->empty() || !edits || edits->empty()) continue;
      analyze::FindingFix finding_fix;
      finding_fix.description = fix->getString("change").value_or("").str();
      for (const llvm::json::Value& edit_value : *edits) {
        const llvm::json::Object* edit = edit_value.getAsObject();
        if (!edit) break;
        const std::string file = edit->getString("file").value_or("").str();
        std::optional<unsigned> offset =
            sources.offset(file, static_cast<unsigned>(edit->getInteger("line").value_or(0)),
                           static_cast<unsigned>(edit->getInteger("column").value_or(0)));
        if (!offset) break;
        finding_fix.edits.push_back({file, *offset, 0, edit->getString("insert").value_or("").str()});
      }
      if (finding_fix.edits.size() != edits->size()) continue;  // a file changed since: no half fix
      finding.fixes.push_back(std::move(finding_fix));
      break;
    }
  }
}

// Writes the --export-fixes file; returns false when it could not be written.
bool export_fixes(const Options& options, std::vector<analyze::Finding>& findings, const analyze::Inputs& inputs,
                  analyze::SourceCache& sources) {
  attach_verified_fixes(findings, sources);
  if (std::string error = analyze::write_fixes_file(options.report.export_fixes, findings,
                                                    inputs.files.empty() ? "" : inputs.files.front(), sources);
      !error.empty()) {
    llvm::errs() << "hone: error: " << error << '\n';
    return false;
  }
  const size_t count = analyze::count_fixes(findings);
  llvm::errs() << "hone: --export-fixes wrote " << count << " verified fix" << (count == 1 ? "" : "es") << " to "
               << options.report.export_fixes << " (apply with clang-apply-replacements)"
               << (options.try_fixes ? "" : "; without --try-fixes no fix is verified, so none is written") << '\n';
  return true;
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
  skip_other_languages(inputs);
  skip_excluded(options, inputs);
  std::string scratch_root;
  if (!make_scratch_root(scratch_root)) return analyze::k_exit_usage;

  // Every TU, each loop kept once, fixes checked.
  std::vector<UnitResult> units = run_pipeline(options, inputs, scratch_root);
  print_diagnostics(units);

  // The report, from the results.
  analyze::RunStatus status = run_status(units);
  if (options.format != analyze::OutputFormat::Text) status.properties["compiles"] = compiles_json(units, scratch_root);
  llvm::sys::fs::remove_directories(scratch_root);
  std::vector<analyze::Finding> findings = loop_findings(options, units);
  // NOLINT(hone-vec-...) comments: the loops they name are gone before --fail-on, --top and any output.
  analyze::SourceCache sources;
  analyze::note_suppressed(analyze::drop_suppressed(sources, findings));
  const bool exported = options.report.export_fixes.empty() || export_fixes(options, findings, inputs, sources);
  write_report(llvm::outs(), options, first_findings(options, findings), summarize(units), status);
  llvm::outs().flush();

  if (!status.failed_files.empty()) {
    llvm::errs() << "hone: error: " << status.failed_files.size() << " of " << status.tus_total
                 << " translation units did not compile; the report is partial\n";
    return analyze::k_exit_partial;
  }
  return fails_on(options, findings) || !exported ? analyze::k_exit_findings : analyze::k_exit_ok;
}

}  // namespace hone::vec
