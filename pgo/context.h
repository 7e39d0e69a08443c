// What every stage of the pipeline shares: the checked configuration, the command-line options, the
// tools, where each stage keeps its files under the work folder, and progress output. Stages are free
// functions taking a Context (see stages.h); this header is the only state they have in common.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pgo/config.h"
#include "pgo/manifest.h"
#include "pgo/process.h"
#include "pgo/toolchain.h"

namespace hone::pgo {

struct Options {
  bool force = false;                  // redo the named stage even when it is up to date
  bool quiet = false;                  // no progress lines
  bool json = false;                   // machine-readable result on stdout
  bool callgrind = false;              // verify: also count instructions with callgrind
  std::string markdown_file;           // verify: also write the Markdown summary here
  int jobs = 0;                        // build parallelism; 0 = number of CPUs
  std::vector<std::string> add;        // merge: FILE[:WEIGHT] profiles collected elsewhere
  std::vector<std::string> perf_data;  // merge: FILE[:WEIGHT] perf.data recorded elsewhere (pgo.kind sample)
};

// How one build variant compiles and links: turned into the wrapper's HONE_* variables.
struct BuildMode {
  bool plain = false;                      // baseline: the project's own flags, no wrapper
  std::filesystem::path profile_generate;  // instrument: folder for -fprofile-generate
  std::filesystem::path profile_use;       // optimize: merged .profdata
  LtoMode lto = LtoMode::off;
  bool relocs = false;  // link with --emit-relocs (BOLT input)
  std::vector<std::string> compile_flags;
  std::vector<std::string> link_flags;
  bool afresh = false;  // --force: empty the build folder first, whatever it holds
};

// Progress lines on stderr (progress.cpp). On a terminal the line of the step in progress is redrawn
// once a second by a ticker thread, with the stage's elapsed time and, for a build, the build's own
// "[k/N]" from the end of its log, so a long build or workload never looks frozen.
class Progress {
public:
  Progress(bool quiet, int stage_count);
  ~Progress();
  Progress(Progress&&) noexcept;
  Progress& operator=(Progress&&) noexcept;
  void stage(int index, const std::string& name);
  void note(const std::string& message);  // one plain line under the current stage
  // Replaced by the next line on a terminal; `watch` (optional) is a log whose last "[k/N]" is shown.
  void live(const std::string& message, const std::filesystem::path& watch = {});
  void done(const std::string& message);
  void set_stage_count(int count);

  struct State;  // shared with the ticker thread, behind a mutex

private:
  std::unique_ptr<State> state_;
};

struct Context {
  Config config;
  Options options;
  Toolchain tools;
  Progress progress{false, 0};
  std::string forced_stage;  // the stage --force applies to ("all": every stage)

  std::filesystem::path stage_dir(const std::string& stage) const { return config.work_dir / stage; }
  // True when --force applies to `stage` (named, or every stage).
  bool forced(const std::string& stage) const { return forced_stage == "all" || forced_stage == stage; }
  int jobs() const;
};

// Runs the project's build for one variant in `build_dir` (configured once, rebuilt incrementally
// while the mode stays the same, from scratch when it changes). The full build output goes to
// `log_file`; a failing build throws with the last lines of it. Returns the commands it ran.
nlohmann::json build_variant(Context& context, const std::string& variant, const std::filesystem::path& build_dir,
                             const BuildMode& mode, const std::filesystem::path& log_file);

// The product binaries of a build folder (absolute paths, in hone.yaml order); throws naming any
// binary the build did not produce.
std::map<std::string, std::filesystem::path> product_binaries(const Context& context,
                                                              const std::filesystem::path& build_dir);

// The result of running one workload once.
struct WorkloadRun {
  ProcessResult result;
  std::string stdout_hash;
  std::filesystem::path stdout_file;
  std::filesystem::path stderr_file;
};

// Runs `workload` once with `binaries` substituted for {bin}/{bin:NAME}; `extra_env` is added to the
// workload's own env (e.g. LLVM_PROFILE_FILE). Output goes under `output_dir`. Does not judge the
// outcome: see check_workload.
WorkloadRun run_workload(const Context& context, const Workload& workload,
                         const std::map<std::string, std::filesystem::path>& binaries,
                         const std::map<std::string, std::string>& extra_env, const std::filesystem::path& output_dir,
                         const std::string& run_label);

// Throws (exit 1) when a run crashed, timed out or exited with another status than expected, naming
// the workload, where it is defined, what happened and the end of its stderr.
void check_workload(const Workload& workload, const WorkloadRun& run, const std::string& what);

// Placeholder expansion for workload commands and build commands.
std::string expand(const std::string& text, const std::map<std::string, std::string>& values,
                   const std::string& location);

std::string format_seconds(double seconds);

}  // namespace hone::pgo
