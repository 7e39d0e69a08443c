// The checks that let hone vouch for a build variant, run after each build (docs/pgo.md, "Builds hone
// can vouch for"). A build that exits 0 is not yet the build hone asked for: a Makefile that sets CC
// itself compiles nothing through the wrapper, a build that writes into the source folder hands one
// variant's objects to the next, and a cache can return another variant's binary. Each of these once
// let hone report an instrumented binary as the optimized one; each check fails the stage instead,
// naming the cause and the fix.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pgo/context.h"

namespace hone::pgo {

// The log the wrapper writes for a variant's build (HONE_LOG): one line per compiler call.
std::filesystem::path wrapper_log_path(const std::filesystem::path& build_dir);

// The compile lines ("hone: compile ..." or "hone: compile+link ...") of a wrapper log that contain
// `must_contain` (every compile line when it is empty); 0 when the log does not exist.
int wrapper_compile_count(const std::filesystem::path& wrapper_log, const std::string& must_contain = "");

// The size and modification time of every source file before a build, to see what the build wrote.
class SourceSnapshot {
public:
  static SourceSnapshot take(const Config& config);
  // The files (relative to the source folder, sorted) created, changed or removed since the snapshot.
  std::vector<std::string> changes(const Config& config) const;

private:
  std::map<std::filesystem::path, std::pair<uintmax_t, std::filesystem::file_time_type>> files_;
};

// Throws (exit 1) when the build of `variant` wrote into the source folder.
void check_no_source_writes(const Config& config, const std::string& variant, const SourceSnapshot& before);

// Throws (exit 1) when no compile of the build in `build_dir` went through the wrapper, naming the
// likely cause (a CC= assignment in the Makefile, found and quoted when there is one) and the fix.
void check_compiled_through_wrapper(const Context& context, const std::string& variant,
                                    const std::filesystem::path& build_dir);

// What a variant's binaries must be.
struct VariantExpectation {
  bool instrumented = false;              // must carry LLVM's profile counters (else must not)
  bool differ_from_instrumented = false;  // must not be byte-identical to an instrument-stage binary
  std::string profile;                    // non-empty: some compile of the build must have used this profile
};

// Throws (exit 1) when a binary of `variant` is not what `expected` says; `build_log` is the variant's
// build output (searched for the profile when the flags went through CFLAGS rather than the wrapper).
void check_variant_binaries(Context& context, const std::string& variant,
                            const std::map<std::string, std::filesystem::path>& binaries,
                            const std::filesystem::path& build_dir, const std::filesystem::path& build_log,
                            const VariantExpectation& expected);

}  // namespace hone::pgo
