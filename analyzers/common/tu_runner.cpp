// Parallel TU execution, the header filter and location helpers (see tu_runner.h).
//
// One ClangTool per TU rather than one for all: ClangTool::run keeps going after a failure but only
// reports "some failed", and we need to know which. Threads share nothing but the file counter, the
// failure list (under a mutex) and whatever thread-safe sink the action writes to. run_parallel is the
// pool under it, also used by analyzers whose per-TU work is not one FrontendAction (hone vec).
#include "tu_runner.h"

#include "compiler_flags.h"

#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Threading.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace hone::analyze {

// ClangTool moves into each command's directory and, when it cannot, ends the whole process
// (report_fatal_error "Cannot chdir"), which a stale database (a build folder since deleted, a
// directory name the database mangled) would otherwise turn into an abort with no report. The same
// change of directory is tried first on the worker's own file system, so the unit can be reported
// and skipped instead. Returns an empty string when every command's directory can be entered.
static std::string unusable_compile_directory(const clang::tooling::CompilationDatabase& database,
                                              const std::string& file, llvm::vfs::FileSystem& file_system) {
  for (const clang::tooling::CompileCommand& command : database.getCompileCommands(file)) {
    if (std::error_code error = file_system.setCurrentWorkingDirectory(command.Directory))
      return "its compile directory '" + command.Directory + "' cannot be entered (" + error.message() +
             "; a stale compilation database? rebuild it)";
  }
  return "";
}

void run_parallel(size_t count, unsigned jobs, const std::function<void(size_t index)>& work) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(1, count));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t index = next++; index < count; index = next++) work(index);
  };
  if (jobs == 1) {
    worker();
    return;
  }
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < jobs; ++i) threads.emplace_back(worker);
  for (std::thread& thread : threads) thread.join();
}

// The RunOptions edits of a compile command: --remove-arg, the GCC-only flags, --extra-arg. `warn_once`
// reports a dropped flag (it prints each distinct flag once for the whole run).
static clang::tooling::ArgumentsAdjuster
command_edits(const RunOptions& options, const std::function<void(const std::string&, llvm::StringRef)>& warn_once) {
  return [&options, warn_once](const clang::tooling::CommandLineArguments& arguments, llvm::StringRef file) {
    clang::tooling::CommandLineArguments edited;
    for (const std::string& argument : arguments)
      if (std::find(options.remove_args.begin(), options.remove_args.end(), argument) == options.remove_args.end())
        edited.push_back(argument);
    if (options.drop_unknown_flags && edited.size() > 1) {
      // argv[0] is the compiler; the driver's table judges the rest.
      std::vector<std::string> flags(edited.begin() + 1, edited.end());
      for (const std::string& unknown : flags_unknown_to_clang(flags)) {
        auto where = std::find(edited.begin() + 1, edited.end(), unknown);
        if (where == edited.end()) continue;
        edited.erase(where);
        warn_once(unknown, file);
      }
    }
    edited.insert(edited.end(), options.extra_args.begin(), options.extra_args.end());
    return edited;
  };
}

void run_translation_units(const Inputs& inputs, clang::tooling::FrontendActionFactory& factory,
                           const RunOptions& options, RunStatus& status) {
  status.tus_total = static_cast<unsigned>(inputs.files.size());
  std::mutex failed_mutex;
  std::vector<std::string> failed;
  // Everything printed while TUs run goes through the status line's print(), which erases it first.
  Progress progress(inputs.files.size(), options.progress);
  std::mutex warned_mutex;
  std::set<std::string> warned_flags;
  auto warn_once = [&](const std::string& flag, llvm::StringRef file) {
    std::lock_guard lock(warned_mutex);
    if (warned_flags.insert(flag).second)
      progress.print("hone: warning: dropped '" + flag + "' from the compile commands (first in " + file.str() +
                     "): clang does not know this flag\n");
  };
  const clang::tooling::ArgumentsAdjuster edits = command_edits(options, warn_once);

  run_parallel(inputs.files.size(), options.jobs, [&](size_t index) {
    const std::string& file = inputs.files[index];
    // A physical file system of its own: ClangTool moves into each command's directory, and the
    // default real file system would chdir the whole process under the other workers' feet.
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system = llvm::vfs::createPhysicalFileSystem();
    if (std::string problem = unusable_compile_directory(*inputs.database, file, *file_system); !problem.empty()) {
      {
        std::lock_guard lock(failed_mutex);
        failed.push_back(file);
      }
      if (!options.quiet_failures)
        progress.print("hone: error: '" + file + "' was not analyzed: " + problem +
                       "; its records are not in the report\n");
      progress.finished(file);
      return;
    }
    clang::tooling::ClangTool tool(*inputs.database, {file}, std::make_shared<clang::PCHContainerOperations>(),
                                   file_system);
    // Buffer this TU's diagnostics so parallel TUs do not interleave their messages.
    std::string diagnostics;
    llvm::raw_string_ostream diagnostic_stream(diagnostics);
    auto diagnostic_options = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
    clang::TextDiagnosticPrinter printer(diagnostic_stream, diagnostic_options.get());
    tool.setDiagnosticConsumer(&printer);
    // Analyzers only need the AST: skip warnings nobody reads, and the codegen-only flags.
    tool.appendArgumentsAdjuster(
        clang::tooling::getInsertArgumentAdjuster("-w", clang::tooling::ArgumentInsertPosition::END));
    // Nothing of the TU may reach stderr past the buffer: ClangTool's "Error while processing FILE." and
    // the compiler's "N errors generated." (written straight to stderr, only when the invocation shows
    // carets; the buffered printer keeps its own caret setting) would interleave between parallel TUs and
    // land on the status line. hone's own "did not parse" message says the same.
    tool.setPrintErrorMessage(false);
    tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
        "-fno-caret-diagnostics", clang::tooling::ArgumentInsertPosition::END));
    tool.appendArgumentsAdjuster(edits);
    int result = tool.run(&factory);
    diagnostic_stream.flush();
    progress.finished(file);
    if (result == 0) return;
    {
      std::lock_guard lock(failed_mutex);
      failed.push_back(file);
    }
    if (!options.quiet_failures)
      progress.print(diagnostics + "hone: error: '" + file +
                     "' did not parse; its records are not in the report (fix the errors above, or "
                     "check its flags in the compilation database)\n");
  });
  progress.clear();
  std::sort(failed.begin(), failed.end());
  status.failed_files = std::move(failed);
}

SourceFilter::SourceFilter(std::string header_filter, bool include_system)
    : pattern_(std::move(header_filter)), regex_(pattern_), include_system_(include_system) {}

bool SourceFilter::should_report(const clang::SourceManager& sources, clang::SourceLocation location) const {
  if (location.isInvalid()) return false;
  clang::SourceLocation spelling = sources.getExpansionLoc(location);
  if (sources.isInMainFile(spelling)) return true;
  if (!include_system_ && sources.isInSystemHeader(spelling)) return false;
  if (pattern_.empty()) return false;
  PresumedPlace place = place_of(sources, spelling);
  return regex_.match(place.file);
}

PresumedPlace place_of(const clang::SourceManager& sources, clang::SourceLocation location) {
  PresumedPlace place;
  clang::SourceLocation expansion = sources.getExpansionLoc(location);
  clang::FileID file_id = sources.getFileID(expansion);
  if (clang::OptionalFileEntryRef entry = sources.getFileEntryRefForID(file_id)) {
    // A header found through a relative -I has a relative name; it is relative to the TU's compile
    // directory (the file manager's working directory), not to the analyzer's own.
    llvm::SmallString<256> path(entry->getName());
    sources.getFileManager().makeAbsolutePath(path);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    place.file = std::string(path);
  }
  place.line = sources.getExpansionLineNumber(expansion);
  place.column = sources.getExpansionColumnNumber(expansion);
  return place;
}

}  // namespace hone::analyze
