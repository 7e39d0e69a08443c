// Running the commands of a pipeline (the user's build, workloads, llvm-profdata, llvm-bolt) as child
// processes: an argument vector (never a shell string, so paths with spaces work), extra environment
// variables on top of hone-pgo's own, a working folder, a timeout, and stdout/stderr sent to files so
// that a failure can quote them and a success can hash the output. The spawning itself is
// support/process; what is pgo's own is the policy (every child in its own process group and dying
// with hone-pgo, Ctrl-C forwarded, the interruption reported) and the wording of its messages.
#pragma once

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/process.h"

namespace hone::pgo {

struct ProcessSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  // set (or, with an empty value, kept as empty) in the child
  std::filesystem::path cwd;               // empty: the current folder
  std::optional<double> timeout_seconds;   // killed (SIGKILL to its process group) when exceeded
  std::filesystem::path stdout_file;       // empty: inherit
  std::filesystem::path stderr_file;       // empty: inherit
  bool stdout_to_stderr = false;           // when stdout_file is empty: keep hone's stdout clean
};

// How the child ended (support::Outcome: started, start_error, exit_code, signal, timed_out, CPU time).
struct ProcessResult : support::Outcome {
  double seconds = 0;  // wall time (Outcome::wall_seconds under the name pgo's manifests use)
};

ProcessResult run_process(const ProcessSpec& spec);

// The signals hone pgo forwards to the running child's process group: the handler is installed for
// these, and a thread blocks them (forwarded_signals() as a set) while a child starts or when it must
// leave them to the main thread (the progress ticker).
inline constexpr int k_forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP};
sigset_t forwarded_signals();

// Wall time spent waiting for child processes so far (builds, workloads, tools): the rest of a
// pipeline's time is hone's own orchestration, which `hone pgo` reports.
double total_child_seconds();

// A spec with only its command set, for describe_outcome and the like.
inline ProcessSpec spec_of(std::vector<std::string> argv) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

// "exited with status 3", "was killed by signal 11 (Segmentation fault)", "timed out after 5 s", ...
std::string describe_outcome(const ProcessResult& result, const ProcessSpec& spec);

// The command line quoted for a human to copy into a shell.
std::string shell_quote(const std::vector<std::string>& argv);

// The last `max_lines` lines of a text file (for quoting a failed command's output).
std::string tail_of_file(const std::filesystem::path& path, int max_lines);

// Finds an executable on PATH (or returns the path itself when it contains a slash and is one).
std::optional<std::filesystem::path> find_program(const std::string& name);

}  // namespace hone::pgo
