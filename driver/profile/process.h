// Running perf from `hone profile`: a child process with its output captured, streamed or left on the
// terminal, and its exit status decoded. Thin uses of support/process, which does the spawning.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "support/process.h"

namespace hone::profile {

// How the child ended (support::Outcome), with a start-up failure phrased for hone profile's messages.
struct ExitStatus : support::Outcome {
  std::string error;  // when it could not be started: "cannot run perf: No such file or directory"
  bool ok() const { return succeeded(); }
};

// Runs `argv` with stdin from /dev/null, its stdout and stderr captured into `output`.
ExitStatus run_captured(const std::vector<std::string>& argv, std::string& output);

// Runs `argv` with the terminal's stdin/stdout/stderr, ignoring SIGINT and SIGQUIT in hone meanwhile:
// Ctrl-C reaches the child (perf record stops the workload and writes its data), and hone goes on to
// render what was recorded.
ExitStatus run_foreground(const std::vector<std::string>& argv);

// Runs `argv` and hands its stdout to `consume` as a stream read straight from the pipe (stderr is
// captured into `error_output`), so a large output never sits in memory or on disk whole. If
// `consume` stops reading early, the rest is drained so the child is not left blocked.
ExitStatus run_streaming(const std::vector<std::string>& argv, const std::function<void(std::istream&)>& consume,
                         std::string& error_output);

// "exited with status 3", "was killed by signal 11 (Segmentation fault)", or the start-up error.
std::string describe(const ExitStatus& status);

// The executable `name` would run as (a path with '/' as is, else searched on `path`), or "".
inline std::string resolve_executable(const std::string& name, const char* path) {
  return support::find_executable(name, path);
}

}  // namespace hone::profile
