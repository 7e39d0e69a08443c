// Running another program: the one spawn/wait contract every part of hone uses (hone pgo's builds and
// workloads, hone profile's perf, hone bench's benchmarks, the analyzers' compiles, the wrapper's
// `cc --version` probe).
//
// A child is described by a ProcessSpec (an argument vector, never a shell string; environment
// changes; a working folder; where its three standard streams go; whether it gets its own process
// group and dies with hone) and ends as an Outcome (exit status or signal, timeout, wall and CPU time,
// captured text). `start` + `finish` let the caller work while the child runs; `run` does both.
//
// Every failure to start (program not found, folder missing, output file not writable, exec refused)
// is reported as `started == false` with a reason, never confused with a program that ran and
// exited 127. Nothing here throws for such failures or changes the caller's own working folder, so
// worker threads may start children concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <signal.h>
#include <sys/types.h>

namespace hone::support {

// Where a child's standard output or standard error goes.
enum class Sink {
  inherit,      // hone's own stream
  discard,      // /dev/null
  file,         // the spec's stdout_file / stderr_file, created or truncated
  capture,      // collected into Outcome::stdout_text / stderr_text (a memory file: never blocks the child)
  stream,       // stdout only, with run(): a pipe read by ProcessSpec::on_stdout while the child runs
  into_stderr,  // stdout only: wherever stderr goes (keeps hone's stdout clean for its own result)
  into_stdout,  // stderr only: wherever stdout goes (one interleaved log)
};

struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is searched on PATH (the child's) unless it has a '/'
  std::map<std::string, std::string> env;  // set in the child, on top of hone's environment
  std::vector<std::string> unset_env;      // removed from the child's environment
  std::string cwd;                         // empty: hone's current folder
  bool stdin_from_null = false;            // else hone's stdin is inherited
  Sink stdout_sink = Sink::inherit;
  std::string stdout_file;  // with Sink::file
  Sink stderr_sink = Sink::inherit;
  std::string stderr_file;  // with Sink::file
  // With Sink::stream: reads the child's stdout as it is written. It may stop early; the rest is then
  // read and dropped so the child is never left blocked on a full pipe.
  std::function<void(std::istream&)> on_stdout;
  bool own_process_group = false;  // a timeout then kills the whole group, grandchildren included
  // The child gets SIGKILL when the thread that started it dies, even by SIGKILL (PR_SET_PDEATHSIG).
  // With own_process_group as well, a guardian (a forked copy of hone that only waits for hone's
  // death) then kills the child's whole process group, so a build's compilers and a script's
  // programs go too; it costs one more fork per child.
  bool die_with_parent = false;
  // Like system(): hone ignores SIGINT and SIGQUIT until finish(), so a Ctrl-C is for the child (which
  // gets the default actions back) and hone lives on to clean up and report.
  bool ignore_interrupts = false;
  double timeout_seconds = 0;  // run() only, counted from the start; 0: none
};

struct Outcome {
  bool started = false;        // false: the program never ran; start_error says why
  std::string start_error;     // e.g. "No such file or directory", "cannot enter folder 'x': ..."
  int exit_code = -1;          // when it exited (not signalled, not timed out)
  int signal = 0;              // the signal that ended it, 0 when it exited
  bool timed_out = false;      // killed (SIGKILL) at the timeout; signal is then SIGKILL
  double timeout_seconds = 0;  // the limit that applied, for describe_outcome
  double wall_seconds = 0;
  double cpu_seconds = 0;   // user + system time of the child and the descendants it waited for
  std::string stdout_text;  // Sink::capture (stderr too when it is Sink::into_stdout)
  std::string stderr_text;  // Sink::capture

  bool succeeded() const { return started && !timed_out && signal == 0 && exit_code == 0; }
};

// A started child. Move-only; destroying one that was not finished kills and reaps it, so no path
// leaves a zombie or a runaway child behind.
class RunningProcess {
public:
  RunningProcess() = default;
  RunningProcess(RunningProcess&& other) noexcept;
  RunningProcess& operator=(RunningProcess&& other) noexcept;
  RunningProcess(const RunningProcess&) = delete;
  RunningProcess& operator=(const RunningProcess&) = delete;
  ~RunningProcess();

  pid_t pid() const { return pid_; }  // -1 when not started or already finished
  bool started() const { return pid_ > 0; }
  const std::string& start_error() const { return start_error_; }

private:
  friend RunningProcess start(const ProcessSpec& spec);
  friend Outcome finish(RunningProcess& process, double timeout_seconds);
  friend Outcome run(const ProcessSpec& spec);
  Outcome wait_until(std::chrono::steady_clock::time_point deadline, double limit_seconds);
  void kill_at_timeout();  // SIGKILL to the child, or to its whole process group
  void release();          // kills and reaps a child still running, closes what is open
  bool wait_for_exit(std::chrono::steady_clock::time_point deadline);  // false: killed at the deadline
  void stop_guardian();

  pid_t pid_ = -1;
  pid_t guardian_ = -1;      // kills the group if hone dies first (die_with_parent + own_process_group)
  int pidfd_ = -1;           // wakes poll() when the child exits; -1 on kernels before 5.3
  int stdout_capture_ = -1;  // memory files of Sink::capture
  int stderr_capture_ = -1;
  int stdout_pipe_ = -1;  // read end for Sink::stream
  bool own_group_ = false;
  bool killed_at_timeout_ = false;
  bool restore_interrupts_ = false;
  struct sigaction old_int_{}, old_quit_{};
  std::chrono::steady_clock::time_point started_at_{};
  std::string start_error_;
};

// Starts the child. On failure the result is not started() and start_error() says why.
RunningProcess start(const ProcessSpec& spec);

// Waits for the child and reports how it ended. With a timeout (seconds from now, 0 for none) a child
// still running then is killed with SIGKILL, its whole process group when it has one.
Outcome finish(RunningProcess& process, double timeout_seconds = 0);

// start + (stream) + finish, with spec.timeout_seconds counted from the start.
Outcome run(const ProcessSpec& spec);

// "exited with status 3", "was killed by signal 11 (Segmentation fault)", "timed out after 5 s",
// "could not be started (No such file or directory)".
std::string describe_outcome(const Outcome& outcome);

// The file `name` runs as: itself when it contains a '/', else the first executable regular file
// `name` in the folders of `path_variable` (the value of PATH; nullptr: /usr/local/bin:/usr/bin:/bin;
// an empty entry is the current folder). "" when there is none.
std::string find_executable(std::string_view name, const char* path_variable);

}  // namespace hone::support
