// Parallel TU execution, the header filter and location helpers (see tu_runner.h).
//
// One ClangTool per TU rather than one for all: ClangTool::run keeps going after a failure but only
// reports "some failed", and we need to know which. Threads share nothing but the file counter, the
// failure list (under a mutex) and whatever thread-safe sink the action writes to. run_parallel is the
// pool under it, also used by analyzers whose per-TU work is not one FrontendAction (hone vec).
#include "tu_runner.h"

#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Threading.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <atomic>
#include <mutex>
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

void run_translation_units(const Inputs& inputs, clang::tooling::FrontendActionFactory& factory,
                           const RunOptions& options, RunStatus& status) {
  status.tus_total = static_cast<unsigned>(inputs.files.size());
  std::mutex failed_mutex;
  std::vector<std::string> failed;
  std::mutex stderr_mutex;

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
      if (!options.quiet_failures) {
        std::lock_guard lock(stderr_mutex);
        llvm::errs() << "hone: error: '" << file << "' was not analyzed: " << problem
                     << "; its records are not in the report\n";
      }
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
    int result = tool.run(&factory);
    diagnostic_stream.flush();
    if (result == 0) return;
    {
      std::lock_guard lock(failed_mutex);
      failed.push_back(file);
    }
    if (!options.quiet_failures) {
      std::lock_guard lock(stderr_mutex);
      llvm::errs() << diagnostics << "hone: error: '" << file
                   << "' did not parse; its records are not in the report (fix the errors above, or "
                      "check its flags in the compilation database)\n";
    }
  });
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
