// One translation unit of `hone vec`, from its compile command to its loops with verdicts (see
// unit_analysis.h).
//
// The record compile is a child process, so its cost overlaps the in-process parse; the parse skips
// the bodies of functions in files that are not reported, which is most of what it would cost on top
// of the compile. A loop's compiled copies (inlined, instantiated) are combined into one status: missed
// when any copy is.
#include "unit_analysis.h"

#include "loop_match.h"
#include "unit_records.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <set>

namespace hone::vec {
namespace {

class LoopConsumer : public clang::ASTConsumer {
public:
  LoopConsumer(const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops) : filter_(filter), loops_(loops) {}
  // Bodies in files that are not reported (system headers, headers outside --header-filter) cannot
  // hold a reported loop; skipping them (and the template instantiations they would trigger) is most
  // of what the parse costs on top of the compile. Sema never skips constexpr bodies or bodies with a
  // deduced return type, so the parse stays valid.
  bool shouldSkipFunctionBody(clang::Decl* declaration) override {
    return !filter_.should_report(declaration->getASTContext().getSourceManager(), declaration->getLocation());
  }
  void HandleTranslationUnit(clang::ASTContext& ast) override {
    if (!ast.getDiagnostics().hasErrorOccurred()) loops_ = find_loops(ast, filter_);
  }

private:
  const analyze::SourceFilter& filter_;
  std::vector<LoopInfo>& loops_;
};

class LoopAction : public clang::ASTFrontendAction {
public:
  LoopAction(const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops) : filter_(filter), loops_(loops) {}
  // The parse's "N errors generated" would go straight to stderr; the record compile reports the
  // same errors, with the TU's name, so this one stays quiet.
  bool BeginInvocation(clang::CompilerInstance& compiler) override {
    compiler.setVerboseOutputStream(std::make_unique<llvm::raw_null_ostream>());
    compiler.getFrontendOpts().SkipFunctionBodies = true;  // asks LoopConsumer::shouldSkipFunctionBody
    return true;
  }
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&, llvm::StringRef) override {
    return std::make_unique<LoopConsumer>(filter_, loops_);
  }

private:
  const analyze::SourceFilter& filter_;
  std::vector<LoopInfo>& loops_;
};

bool parse_loops(const CompileSetup& setup, const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops,
                 std::string& diagnostics) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system(llvm::vfs::createPhysicalFileSystem().release());
  file_system->setCurrentWorkingDirectory(setup.directory);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), file_system));
  clang::tooling::ToolInvocation invocation(parse_command(setup), std::make_unique<LoopAction>(filter, loops),
                                            files.get());
  llvm::raw_string_ostream stream(diagnostics);
  auto diagnostic_options = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  clang::TextDiagnosticPrinter printer(stream, diagnostic_options.get());
  invocation.setDiagnosticConsumer(&printer);
  bool ok = invocation.run();
  stream.flush();
  return ok;
}

// Marks the TU as not analyzed: the compiler's `output`, then one line that says what happened.
void fail_unit(UnitResult& unit, const std::string& output, const std::string& what,
               const std::string& advice = "fix the errors above, or check its flags in the compilation database") {
  unit.failed = true;
  unit.diagnostics += output;
  if (!output.empty() && output.back() != '\n') unit.diagnostics += '\n';
  unit.diagnostics +=
      "hone: error: '" + unit.file + "' " + what + "; its loops are not in the report (" + advice + ")\n";
}

void note_setup_warnings(UnitResult& unit) {
  for (const std::string& warning : unit.setup.warnings)
    unit.diagnostics += "hone: warning: " + unit.file + ": " + warning + "\n";
  if (unit.setup.low_optimization)
    unit.diagnostics += "hone: warning: " + unit.file +
                        ": compiled at -O0/-O1/-Og, where clang does not vectorize loops; analyze the release "
                        "build (e.g. -p build-release)\n";
}

// Waits for the record compile; false (the TU failed) when it did not finish cleanly.
bool await_record_compile(const Options& options, ChildProcess& child, UnitResult& unit) {
  int status = wait_process(child, options.timeout_seconds);
  if (!child.start_error.empty()) {
    fail_unit(unit, "", "could not be compiled: " + child.start_error);
    return false;
  }
  if (child.timed_out) {
    fail_unit(unit, "",
              "was still compiling after --timeout " + std::to_string(options.timeout_seconds) + " s and was stopped",
              "raise --timeout, 0 for no limit, or leave the file out");
    return false;
  }
  if (status != 0) {
    std::string log;
    read_text(child.log_file, log);
    fail_unit(unit, log, "did not compile (exit " + std::to_string(status) + ")");
    return false;
  }
  return true;
}

// The record a wrapped build wrote for this TU; false (the TU failed) when there is none.
bool find_build_record(const Options& options, const clang::tooling::CompileCommand& command, std::string& record,
                       UnitResult& unit) {
  record = wrapper_record_path(command, options.remarks_dir);
  if (llvm::sys::fs::exists(record)) return true;
  fail_unit(unit, "", "has no optimization record in --remarks-dir (looked for '" + record + "')",
            "build it through hone with HONE_REMARKS_DIR set to that folder and clang as the compiler, or "
            "leave out --remarks-dir to let hone vec compile it");
  return false;
}

// Combines a loop's verdicts into its status, reason and hint.
LoopResult settle_loop(const CompileSetup& setup, LoopInfo loop, std::string site_file,
                       std::vector<LoopVerdict> verdicts) {
  LoopResult result;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    if (verdicts[i].vectorized)
      ++result.vectorized_copies;
    else if (!result.missed)
      result.missed = i;
    if (verdicts[i].hotness) result.hotness = std::max(result.hotness.value_or(0), *verdicts[i].hotness);
  }
  result.status = verdicts.empty() ? (loop.has_inner_loop ? LoopStatus::Outer : LoopStatus::NoVerdict)
                  : result.missed  ? LoopStatus::Missed
                                   : LoopStatus::Vectorized;
  result.loop = std::move(loop);
  result.site_file = std::move(site_file);
  result.verdicts = std::move(verdicts);
  if (const LoopVerdict* missed = result.missed_verdict()) {
    result.reason = missed->reasons.front();
    // A bare "loop not vectorized" on a loop the user or the flags turned off.
    if (result.loop.pragma_disabled || (result.reason == Reason::Other && setup.no_vectorize_flag))
      result.reason = Reason::Disabled;
    AdviceContext context{setup.no_vectorize_flag, setup.math_errno_off};
    result.advice = advise(&result.loop, *missed, result.reason, context);
  }
  return result;
}

// Reads the record and gives each loop of the TU its verdicts; false (the TU failed) when the record
// cannot be read.
bool attach_verdicts(const std::string& record, std::vector<LoopInfo> loops, UnitResult& unit) {
  CanonicalPaths paths;
  std::vector<LoopSite> sites;
  std::set<std::string> known{unit.setup.file, paths.of(unit.setup.file)};
  for (const LoopInfo& loop : loops) {
    LoopSite site = loop.site;
    site.file = paths.of(site.file);
    known.insert(loop.site.file);
    known.insert(site.file);
    sites.push_back(site);
  }
  unit.known_files.assign(known.begin(), known.end());
  std::vector<Remark> remarks;
  std::string error;
  if (!read_unit_record(unit.setup, unit.known_files, record, paths, remarks, unit.diagnostics, error)) {
    fail_unit(unit, "", "has no readable optimization record: " + error);
    return false;
  }
  std::vector<std::vector<LoopVerdict>> per_loop(loops.size());
  for (LoopVerdict& verdict : build_verdicts(remarks)) {
    if (std::optional<size_t> match = match_loop(sites, verdict.loop.file, verdict.loop.line, verdict.loop.column))
      per_loop[*match].push_back(std::move(verdict));
  }
  for (size_t i = 0; i < loops.size(); ++i)
    unit.loops.push_back(settle_loop(unit.setup, std::move(loops[i]), sites[i].file, std::move(per_loop[i])));
  return true;
}

}  // namespace

std::string LoopResult::key() const {
  return site_file + ":" + std::to_string(loop.site.line) + ":" + std::to_string(loop.site.column);
}

bool is_reported(const Options& options, const LoopResult& loop) {
  if (loop.status == LoopStatus::Missed) return options.categories.empty() || options.categories.count(loop.reason);
  return options.all && options.categories.empty();
}

std::string unit_scratch(const std::string& scratch_root, size_t index) {
  return scratch_root + "/tu-" + std::to_string(index);
}

UnitResult analyze_unit(const UnitContext& context, size_t index) {
  const Options& options = context.options;
  UnitResult unit;
  unit.file = context.inputs.files[index];
  std::vector<clang::tooling::CompileCommand> commands = context.inputs.database->getCompileCommands(unit.file);
  if (commands.empty()) {
    fail_unit(unit, "", "has no compile command");
    return unit;
  }
  unit.setup = prepare_compile(commands.front(), context.llvm_bin, options.profile);
  note_setup_warnings(unit);
  const std::string scratch = unit_scratch(context.scratch_root, index);
  llvm::sys::fs::create_directories(scratch);
  std::string record = scratch + "/record.yaml";

  // The real compile runs while this thread parses the same TU for its loops, unless a wrapped build
  // already wrote the records.
  const bool from_build = !options.remarks_dir.empty();
  ChildProcess child;
  if (!from_build)
    child = start_process(record_command(unit.setup, record, {}), unit.setup.directory, scratch + "/compile.log");
  std::vector<LoopInfo> loops;
  std::string parse_diagnostics;
  const bool parsed = parse_loops(unit.setup, context.filter, loops, parse_diagnostics);
  const bool have_record = from_build ? find_build_record(options, commands.front(), record, unit)
                                      : await_record_compile(options, child, unit);
  if (have_record && !parsed)
    fail_unit(unit, parse_diagnostics, "did not parse");
  else if (have_record)
    attach_verdicts(record, std::move(loops), unit);
  // Records of large TUs run to megabytes: free the space as soon as the TU is done.
  llvm::sys::fs::remove_directories(scratch);
  return unit;
}

}  // namespace hone::vec
