// Running perf from `hone profile`: a child process with its output captured, streamed or left on the
// terminal, and its exit status decoded.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace hone::profile {

struct ExitStatus {
  bool started = false;  // false: fork or exec failed (error says why)
  int code = 0;          // exit code, when it exited
  int signal = 0;        // the signal that killed it, else 0
  std::string error;
  bool ok() const { return started && signal == 0 && code == 0; }
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

// "exit code 3", "signal 11 (Segmentation fault)", or the start-up error.
std::string describe(const ExitStatus& status);

// The executable `name` would run as (a path with '/' as is, else searched on PATH), or "".
std::string resolve_executable(const std::string& name, const char* path);

}  // namespace hone::profile
