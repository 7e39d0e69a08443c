// Runs an analyzer's FrontendAction over many translation units in parallel.
//
// Each worker thread takes the next TU from a shared counter and runs a ClangTool on it alone, so a
// TU that fails to parse is recorded and the others continue; the caller turns a non-empty
// `failed_files` into the "partial result" exit code (3). Diagnostics from failing TUs go to stderr
// prefixed with the file, so the user sees why. The action factory is shared by all threads: its
// create() must be thread-safe, and actions must only write to thread-safe sinks (FindingSet).
#pragma once

#include "findings.h"
#include "inputs.h"
#include "progress.h"
#include "support/contracts.h"

#include <clang/Basic/SourceLocation.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/Regex.h>

#include <functional>
#include <string>
#include <vector>

namespace hone::analyze {

// Exit codes shared by the analyzers: hone's own (support/contracts.h).
constexpr int k_exit_ok = support::k_exit_ok;
constexpr int k_exit_findings = support::k_exit_failed;  // only with --fail-on
constexpr int k_exit_usage = support::k_exit_usage;
constexpr int k_exit_partial = support::k_exit_partial;  // some TUs did not parse; the findings cover the rest

struct RunOptions {
  unsigned jobs = 0;            // 0: all hardware threads
  bool quiet_failures = false;  // do not print diagnostics of failing TUs
  // Edits of every compile command before run_translation_units parses it (hone layout's --extra-arg,
  // --remove-arg): flags appended at the end, flags removed where they match exactly.
  std::vector<std::string> extra_args;
  std::vector<std::string> remove_args;
  // Drop the flags clang's driver does not know (GCC-only ones), with one warning per distinct flag.
  bool drop_unknown_flags = false;
  // Draw `[k/N] file` on stderr as TUs finish (set from progress_wanted(): on a terminal only).
  bool progress = false;
};

// The analyzers' one worker pool: calls work(index) once for every index below `count`, on up to `jobs`
// threads (0: all hardware threads), each taking the next index from a shared counter. On one thread the
// calls run in order on the caller's thread.
void run_parallel(size_t count, unsigned jobs, const std::function<void(size_t index)>& work);

// work(index) for every file of `inputs` (index into inputs.files), in parallel; the results come back
// in the order of the files. Each call writes only its own result, so `work` needs no lock of its own
// for them. With options.progress, the status line is drawn as they finish and erased at the end.
template <class Result>
std::vector<Result> map_translation_units(const Inputs& inputs, const RunOptions& options,
                                          const std::function<Result(size_t index)>& work) {
  std::vector<Result> results(inputs.files.size());
  Progress progress(results.size(), options.progress);
  run_parallel(results.size(), options.jobs, [&](size_t index) {
    results[index] = work(index);
    progress.finished(inputs.files[index]);
  });
  return results;
}

// Runs `factory` over every file of `inputs`; fills status.tus_total and status.failed_files.
void run_translation_units(const Inputs& inputs, clang::tooling::FrontendActionFactory& factory,
                           const RunOptions& options, RunStatus& status);

// Decides which source locations findings may be reported at: the main files always, headers only
// when they are not system headers (unless include_system) and match the --header-filter regex.
class SourceFilter {
public:
  // `header_filter`: a regex on the absolute header path; empty reports no headers, like clang-tidy.
  SourceFilter(std::string header_filter, bool include_system);
  bool should_report(const clang::SourceManager& sources, clang::SourceLocation location) const;

private:
  std::string pattern_;
  llvm::Regex regex_;
  bool include_system_;
};

// The absolute, dot-free path and 1-based line/column of a location (its expansion location); relative
// file names are resolved against the TU's compile directory.
struct PresumedPlace {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
};
PresumedPlace place_of(const clang::SourceManager& sources, clang::SourceLocation location);

}  // namespace hone::analyze
