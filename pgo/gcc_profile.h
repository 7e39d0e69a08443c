// GCC's profile-guided optimization, for the stages of a pipeline whose compiler is GCC. GCC keeps
// its profile as one .gcda file per object file, not one file per process: an instrumented program
// adds its counts, at exit and under a lock, to DIR/<mangled object path>.gcda, where DIR is the
// folder of -fprofile-generate=DIR and the object path is absolute with '/' written as '#'. Two
// things follow for hone:
//
//  - The optimize stage builds in another folder than the instrument stage, so the object paths
//    differ and -fprofile-use would find no file. Both builds get -fprofile-prefix-path=<their build
//    folder>, which makes the mangled names relative to it ("CMakeFiles#app.dir#main.c.gcda").
//  - Each training workload must count into its own folder (the weights apply per workload). The
//    runtime's GCOV_PREFIX / GCOV_PREFIX_STRIP move the compiled-in DIR to the workload's folder.
//
// The weighted merge uses gcov-tool from the compiler's release. GCC 12's `gcov-tool merge -w` and
// `gcov-tool rewrite -s` crash on value-profile (topn) counters, and `merge` crashes when a file is
// only in its first folder; plain `merge` of two folders holding the same one file works. So hone
// merges one object's file at a time, and a weight w is w copies of the profile added up (by doubling:
// about 2·log2(w) merges), after dividing all weights by their greatest common divisor.
//
// `hone pgo info` reads the merged counts with gcov's JSON output, which needs the .gcno notes files
// the instrumented build writes beside its objects (-ftest-coverage, added to that build only).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "pgo/context.h"

namespace hone::pgo {

// The compile flags the instrument and optimize builds of `build_dir` get on top of the wrapper's mode.
std::vector<std::string> gcc_instrument_flags(const std::filesystem::path& build_dir);
std::vector<std::string> gcc_optimize_flags(const std::filesystem::path& build_dir);

// The environment that makes an instrumented binary built with -fprofile-generate=`compiled_in`
// write its .gcda files directly into `folder`.
std::map<std::string, std::string> gcov_redirect_environment(const std::filesystem::path& compiled_in,
                                                             const std::filesystem::path& folder);

// The .gcda files under `folder`, as paths relative to it, sorted.
std::vector<std::filesystem::path> gcda_files(const std::filesystem::path& folder);

// The object a .gcda file counts for, from its mangled name: "CMakeFiles#app.dir#main.c.gcda" ->
// "CMakeFiles/app.dir/main.c" (GCC writes '/' as '#' and a ".." component as '^'); the .gcno notes of
// the object are that path plus ".gcno".
std::filesystem::path gcda_object_path(const std::filesystem::path& gcda_name);

// Hash of a profile folder: every .gcda file's relative name and contents.
std::string hash_gcda_folder(const std::filesystem::path& folder);

struct WeightedFolder {
  std::filesystem::path folder;
  long long weight = 1;
  std::string what;  // "training workload 'large'", for messages
};

// Writes sum(weight × counts) of `inputs` into `output` (created; must not exist), one object's file at
// a time, with gcov-tool (see above). Scratch files go under `scratch` (emptied first, removed after).
// Returns the number of gcov-tool runs. Throws (exit 1) naming the file and the tool's output when a
// merge fails.
int merge_gcda_folders(const Tool& gcov_tool, const std::vector<WeightedFolder>& inputs,
                       const std::filesystem::path& output, const std::filesystem::path& scratch,
                       nlohmann::json& commands);

// One function's counts as gcov reports them from a .gcda and its .gcno.
struct GcovFunction {
  std::string name;           // demangled
  std::string source;         // the source file, as gcov names it
  long long entry_count = 0;  // how often the function was entered
  int blocks = 0;
  int blocks_executed = 0;
};

struct GcovReport {
  std::vector<GcovFunction> functions;
  int objects = 0;                         // .gcda files read
  std::vector<std::string> without_notes;  // .gcda files whose .gcno was not found (not counted)
};

// The functions of every .gcda file in `profile_folder`, paired with the .gcno that the instrumented
// build wrote under `instrument_build` (the .gcda name unmangled), read with gcov --json-format.
GcovReport read_gcov_report(const Tool& gcov, const std::filesystem::path& profile_folder,
                            const std::filesystem::path& instrument_build, const std::filesystem::path& scratch);

// The functions the optimize build's log names: compiled without any profile (an object whose .gcda
// was not found, or a function missing from it) and with a profile that no longer matches the code.
struct GccProfileUse {
  std::vector<std::string> objects_without_profile;  // the .gcda files GCC looked for and did not find
  std::vector<std::string> functions_without_profile;
  std::vector<std::string> functions_with_stale_profile;
};
GccProfileUse read_gcc_profile_use(const std::filesystem::path& build_log);

// The optimize stage with GCC: the account of read_gcc_profile_use in the manifest's facts. Throws (exit
// 1) when no compile of the build found its .gcda file: the profile then reached none of the code.
void record_gcc_profile_use(Context& context, const std::filesystem::path& build_log,
                            const std::filesystem::path& build_dir, Manifest& manifest);

// The merge stage with GCC: the training workloads' .gcda folders, weighted, into
// .hone/merge/merged-<content hash>/ (a folder, which -fprofile-use takes).
std::string gcc_merge_key(Context& context);
void run_gcc_merge(Context& context, Manifest& manifest);

// A profiling symbol of GCC's runtime (libgcov: __gcov_merge_add, __gcov_init, ...) in the binary's
// symbol tables: present in binaries linked from -fprofile-generate objects. False for a stripped one.
bool has_gcov_symbols(const std::filesystem::path& binary);

// Whether `binary` was linked from objects compiled with -fprofile-generate=`profile_dir`: libgcov's
// symbols, or, when `strip` has removed those, a .gcda path under `profile_dir` in its read-only data
// (each instrumented object carries the absolute path of the .gcda file it writes, and strip keeps
// allocated sections). The folder makes the second test exact: hone's own binaries, and any program
// that merely mentions a .gcda file, do not hold a path under a pipeline's work folder.
bool is_gcc_instrumented(const std::filesystem::path& binary, const std::filesystem::path& profile_dir);

}  // namespace hone::pgo
