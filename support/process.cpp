// Child processes (see process.h): fork + execve, with everything that can allocate done before the
// fork.
//
// hone's callers are often multi-threaded (the analyzers' worker pool), so between fork and exec the
// child may only make async-signal-safe calls: the argument and environment arrays, the program's
// path (looked up on PATH here rather than by execvp) and every message text are prepared in the
// parent, and the child reports a failed step as two integers on a close-on-exec pipe. Nothing
// arriving on that pipe means exec succeeded; that is how "could not be started" is told apart from a
// program that exits 127.
//
// fork rather than posix_spawn because PR_SET_PDEATHSIG has to be set in the child itself; a child
// with its own process group that must die with hone also gets a guardian (see guardian_main), since
// PR_SET_PDEATHSIG reaches only the child, not what it started. Captured output goes to a memory file
// (memfd), not a pipe, so a chatty child can never block on a full pipe and a grandchild that keeps
// the stream open cannot hang the wait. The wait polls a pidfd, which wakes the moment the child
// exits; kernels before 5.3 have none and fall back to checking with waitid every 20 ms. Wall time is
// from just before the child's fork to its exit; CPU time is wait4's.
#include "support/process.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <streambuf>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hone::support {
namespace {

using Clock = std::chrono::steady_clock;
constexpr Clock::time_point k_no_deadline = Clock::time_point::max();

// The step of the child's setup that failed, sent to the parent with its errno.
enum class Step : int { enter_folder, open_stdin, open_stdout, open_stderr, exec };

struct StartFailure {
  Step step;
  int error;
};

// Everything the child needs, prepared by the parent (the child must not allocate).
struct ChildPlan {
  const ProcessSpec* spec = nullptr;
  std::string program;             // the path execve runs
  std::vector<char*> argv;         // spec.argv as char*
  std::vector<char*> script_argv;  // /bin/sh PROGRAM ARGS...: how execvp runs a script without a #! line
  std::vector<std::string> env_storage;
  std::vector<char*> env_pointers;
  char** envp = environ;
  int stdout_fd = -1;  // capture or stream: the child's side
  int stderr_fd = -1;
  pid_t parent = 0;
  struct sigaction old_int{}, old_quit{};
};

[[noreturn]] void report_and_exit(int report_fd, Step step) {
  const StartFailure failure{step, errno};
  [[maybe_unused]] const ssize_t written = write(report_fd, &failure, sizeof failure);
  _exit(127);
}

// dup2 that also clears close-on-exec when `fd` already is `target`.
void place(int fd, int target) {
  if (fd == target)
    fcntl(fd, F_SETFD, 0);
  else
    dup2(fd, target);
}

constexpr int k_nothing_to_open = -2;

// The descriptor a sink writes to in the child: -1 when opening failed, k_nothing_to_open for
// inherit and for the other stream's destination.
int open_sink(Sink sink, const std::string& file, int prepared_fd) {
  switch (sink) {
    case Sink::discard: return open("/dev/null", O_WRONLY | O_CLOEXEC);
    case Sink::file: return open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    case Sink::capture:
    case Sink::stream: return prepared_fd;
    case Sink::inherit:
    case Sink::into_stderr:
    case Sink::into_stdout: return k_nothing_to_open;
  }
  return k_nothing_to_open;
}

void set_default_action(int signal_number) {
  struct sigaction action{};
  action.sa_handler = SIG_DFL;
  sigaction(signal_number, &action, nullptr);
}

void reset_signals(const ChildPlan& plan) {
  // SIGINT/SIGQUIT that hone ignores only for the child's sake go back to what they were (an ignore
  // inherited from hone's own parent stays); SIGPIPE is hone's business, children get the default.
  if (plan.spec->ignore_interrupts) {
    if (plan.old_int.sa_handler != SIG_IGN) set_default_action(SIGINT);
    if (plan.old_quit.sa_handler != SIG_IGN) set_default_action(SIGQUIT);
  }
  set_default_action(SIGPIPE);
  // Handlers go back to the default before the mask is cleared, as execve would do a moment later: a
  // caller may start the child with signals blocked (hone pgo forwards Ctrl-C to the child's group and
  // blocks it until it knows the group), and a signal that reached the child before the exec must end
  // the child, not run the parent's handler in it and be lost.
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    struct sigaction current{};
    if (sigaction(signal_number, nullptr, &current) != 0) continue;
    const bool has_handler =
        (current.sa_flags & SA_SIGINFO) != 0 || (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN);
    if (has_handler) set_default_action(signal_number);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

void redirect_outputs(const ChildPlan& plan, int report_fd) {
  const ProcessSpec& spec = *plan.spec;
  const int out = open_sink(spec.stdout_sink, spec.stdout_file, plan.stdout_fd);
  if (out == -1) report_and_exit(report_fd, Step::open_stdout);
  if (out >= 0) place(out, STDOUT_FILENO);
  // One file named for both streams is opened once, so the two do not overwrite each other.
  const bool same_file =
      spec.stdout_sink == Sink::file && spec.stderr_sink == Sink::file && spec.stdout_file == spec.stderr_file;
  const int err = same_file ? STDOUT_FILENO : open_sink(spec.stderr_sink, spec.stderr_file, plan.stderr_fd);
  if (err == -1) report_and_exit(report_fd, Step::open_stderr);
  if (err >= 0) place(err, STDERR_FILENO);
  if (spec.stdout_sink == Sink::into_stderr) dup2(STDERR_FILENO, STDOUT_FILENO);
  if (spec.stderr_sink == Sink::into_stdout) dup2(STDOUT_FILENO, STDERR_FILENO);
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void child_main(const ChildPlan& plan, int report_fd) {
  const ProcessSpec& spec = *plan.spec;
  if (spec.own_process_group) setpgid(0, 0);
  if (spec.die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != plan.parent) raise(SIGKILL);  // the parent died before prctl took effect
  }
  reset_signals(plan);
  if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) report_and_exit(report_fd, Step::enter_folder);
  if (spec.stdin_from_null) {
    const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) report_and_exit(report_fd, Step::open_stdin);
    place(fd, STDIN_FILENO);
  }
  redirect_outputs(plan, report_fd);
  execve(plan.program.c_str(), plan.argv.data(), plan.envp);
  if (errno == ENOEXEC) execve(plan.script_argv[0], plan.script_argv.data(), plan.envp);
  report_and_exit(report_fd, Step::exec);
}

std::string describe_failure(const StartFailure& failure, const ProcessSpec& spec) {
  const std::string reason = std::strerror(failure.error);
  switch (failure.step) {
    case Step::enter_folder: return "cannot enter folder '" + spec.cwd + "': " + reason;
    case Step::open_stdin: return "cannot open /dev/null: " + reason;
    case Step::open_stdout: return "cannot write '" + spec.stdout_file + "': " + reason;
    case Step::open_stderr: return "cannot write '" + spec.stderr_file + "': " + reason;
    case Step::exec: return reason;
  }
  return reason;
}

// A memory file for captured output (an unlinked temporary file where memfd is missing).
int capture_file() {
  const int fd = memfd_create("hone-capture", MFD_CLOEXEC);
  if (fd >= 0) return fd;
  const char* folder = std::getenv("TMPDIR");
  std::string pattern = std::string(folder != nullptr && folder[0] == '/' ? folder : "/tmp") + "/hone-XXXXXX";
  const int file = mkostemp(pattern.data(), O_CLOEXEC);
  if (file >= 0) unlink(pattern.c_str());
  return file;
}

std::string read_capture(int fd) {
  std::string text;
  if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) return text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The child's environment: hone's, minus what is removed or replaced, plus what is set.
void prepare_environment(const ProcessSpec& spec, ChildPlan& plan) {
  if (spec.env.empty() && spec.unset_env.empty()) return;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string name(text.substr(0, text.find('=')));
    if (spec.env.count(name) == 0 && !listed(spec.unset_env, name)) plan.env_storage.emplace_back(text);
  }
  for (const auto& [name, value] : spec.env) plan.env_storage.push_back(name + "=" + value);
  for (std::string& entry : plan.env_storage) plan.env_pointers.push_back(entry.data());
  plan.env_pointers.push_back(nullptr);
  plan.envp = plan.env_pointers.data();
}

// The PATH the child will have, for finding its program the way execvp in the child would.
const char* child_path(const ProcessSpec& spec) {
  if (auto set = spec.env.find("PATH"); set != spec.env.end()) return set->second.c_str();
  return listed(spec.unset_env, "PATH") ? nullptr : std::getenv("PATH");
}

// The parts of a start that can fail before the fork; "" when all is well.
std::string prepare_plan(const ProcessSpec& spec, ChildPlan& plan) {
  if (spec.argv.empty()) return "empty command";
  if (spec.stdout_sink == Sink::into_stdout || spec.stderr_sink == Sink::into_stderr ||
      spec.stderr_sink == Sink::stream ||
      (spec.stdout_sink == Sink::into_stderr && spec.stderr_sink == Sink::into_stdout))
    return "invalid redirection of the child's output";
  plan.spec = &spec;
  plan.program =
      spec.argv[0].find('/') != std::string::npos ? spec.argv[0] : find_executable(spec.argv[0], child_path(spec));
  if (plan.program.empty()) return std::strerror(ENOENT);
  for (const std::string& argument : spec.argv) plan.argv.push_back(const_cast<char*>(argument.c_str()));
  plan.argv.push_back(nullptr);
  plan.script_argv = {const_cast<char*>("/bin/sh"), plan.program.data()};
  plan.script_argv.insert(plan.script_argv.end(), plan.argv.begin() + 1, plan.argv.end());
  prepare_environment(spec, plan);
  return {};
}

double seconds_of(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

Clock::time_point deadline_after(Clock::time_point start, double seconds) {
  if (seconds <= 0) return k_no_deadline;
  return start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// Milliseconds to wait in poll() before `deadline`, rounded up so that the wait never spins; <= 0: due.
long long milliseconds_until(Clock::time_point deadline) {
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1;
}

// The stdout pipe of Sink::stream as a std::streambuf; at the deadline it kills the child and ends.
class PipeReader : public std::streambuf {
public:
  PipeReader(int fd, Clock::time_point deadline, std::function<void()> on_timeout)
      : fd_(fd), deadline_(deadline), on_timeout_(std::move(on_timeout)) {}

  // Reads and drops what the child still writes, so that it never blocks on a full pipe.
  void drain() {
    while (fill()) setg(buffer_, buffer_, buffer_);
  }

protected:
  int_type underflow() override {
    if (gptr() < egptr() || fill()) return traits_type::to_int_type(*gptr());
    return traits_type::eof();
  }

private:
  bool fill() {
    if (timed_out_) return false;
    if (deadline_ != k_no_deadline && !readable_before_deadline()) {
      timed_out_ = true;
      on_timeout_();
      return false;
    }
    ssize_t got = 0;
    do {
      got = read(fd_, buffer_, sizeof buffer_);
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return false;
    setg(buffer_, buffer_, buffer_ + got);
    return true;
  }

  bool readable_before_deadline() {
    for (;;) {
      const long long left = milliseconds_until(deadline_);
      if (left <= 0) return false;
      pollfd readable{fd_, POLLIN, 0};
      const int ready = poll(&readable, 1, static_cast<int>(std::min<long long>(left, 60'000)));
      if (ready > 0) return true;
      if (ready < 0 && errno != EINTR) return true;  // let read() report it
    }
  }

  int fd_;
  Clock::time_point deadline_;
  std::function<void()> on_timeout_;
  bool timed_out_ = false;
  char buffer_[65536];
};

// Closes every descriptor but `keep`: a guardian must not hold pipes that other children's readers
// wait to see closed.
void close_all_but(int keep) {
#ifdef SYS_close_range
  if ((keep == 0 || syscall(SYS_close_range, 0u, static_cast<unsigned>(keep - 1), 0u) == 0) &&
      syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0)
    return;
#endif
  struct rlimit limit{};
  const rlim_t highest = getrlimit(RLIMIT_NOFILE, &limit) == 0 ? std::min<rlim_t>(limit.rlim_cur, 65536) : 1024;
  for (int fd = 0; static_cast<rlim_t>(fd) < highest; ++fd)
    if (fd != keep) close(fd);
}

// The guardian of a child's process group, forked before the child: it learns the group from
// `group_pipe`, then sleeps until the thread that forked it dies (PR_SET_PDEATHSIG, even when hone is
// SIGKILLed) and kills the whole group. hone kills the guardian itself once the child has ended.
// Async-signal-safe calls only, like the child.
[[noreturn]] void guardian_main(int group_pipe, pid_t parent) {
  close_all_but(group_pipe);
  struct sigaction ignore{};
  ignore.sa_handler = SIG_IGN;
  for (int terminal_signal : {SIGINT, SIGQUIT, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU})
    sigaction(terminal_signal, &ignore, nullptr);  // the terminal's signals are for hone and the child
  sigset_t death;
  sigemptyset(&death);
  sigaddset(&death, SIGTERM);
  sigprocmask(SIG_BLOCK, &death, nullptr);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  pid_t group = 0;
  ssize_t got = 0;
  do {
    got = read(group_pipe, &group, sizeof group);
  } while (got < 0 && errno == EINTR);
  if (got != static_cast<ssize_t>(sizeof group) || group <= 0) _exit(0);  // no child was started
  siginfo_t info;
  while (getppid() == parent) sigwaitinfo(&death, &info);  // a stray SIGTERM is checked and ignored
  kill(-group, SIGKILL);
  _exit(0);
}

// Forks the guardian; returns its pid (or -1) and the pipe to tell it the group.
pid_t start_guardian(int& group_pipe) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  const pid_t parent = getpid();
  const pid_t guardian = fork();
  if (guardian == 0) guardian_main(fds[0], parent);
  close(fds[0]);
  if (guardian < 0) {
    close(fds[1]);
    return -1;
  }
  group_pipe = fds[1];
  return guardian;
}

}  // namespace

RunningProcess start(const ProcessSpec& spec) {
  RunningProcess process;
  ChildPlan plan;
  process.start_error_ = prepare_plan(spec, plan);
  if (!process.start_error_.empty()) return process;
  int stream[2] = {-1, -1};
  if (spec.stdout_sink == Sink::capture) process.stdout_capture_ = plan.stdout_fd = capture_file();
  if (spec.stderr_sink == Sink::capture) process.stderr_capture_ = plan.stderr_fd = capture_file();
  if (spec.stdout_sink == Sink::stream && pipe2(stream, O_CLOEXEC) == 0) {
    process.stdout_pipe_ = stream[0];
    plan.stdout_fd = stream[1];
  }
  int report[2] = {-1, -1};
  const bool stdout_prepared = spec.stdout_sink == Sink::capture || spec.stdout_sink == Sink::stream;
  if (stdout_prepared && plan.stdout_fd == -1) {
    process.start_error_ = std::string("cannot set up the output: ") + std::strerror(errno);
  } else if (spec.stderr_sink == Sink::capture && plan.stderr_fd == -1) {
    process.start_error_ = std::string("cannot set up the error output: ") + std::strerror(errno);
  } else if (pipe2(report, O_CLOEXEC) != 0) {
    process.start_error_ = std::string("pipe: ") + std::strerror(errno);
  }
  if (!process.start_error_.empty()) {
    close_fd(stream[1]);
    process.release();
    return process;
  }
  if (spec.ignore_interrupts) {
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ignore, &process.old_int_);
    sigaction(SIGQUIT, &ignore, &process.old_quit_);
    process.restore_interrupts_ = true;
    plan.old_int = process.old_int_;
    plan.old_quit = process.old_quit_;
  }
  plan.parent = getpid();
  process.own_group_ = spec.own_process_group;
  int guardian_pipe = -1;
  if (spec.die_with_parent && spec.own_process_group) process.guardian_ = start_guardian(guardian_pipe);
  process.started_at_ = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) child_main(plan, report[1]);
  close_fd(report[1]);
  close_fd(stream[1]);
  if (guardian_pipe >= 0) {
    [[maybe_unused]] const ssize_t told = write(guardian_pipe, &pid, sizeof pid);  // pid -1: it just exits
    close_fd(guardian_pipe);
  }
  if (pid < 0) {
    process.start_error_ = std::string("fork: ") + std::strerror(errno);
    close_fd(report[0]);
    process.release();
    return process;
  }
  if (spec.own_process_group) setpgid(pid, pid);  // also done in the child: whichever runs first
  process.pid_ = pid;
  process.pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  StartFailure failure{};
  ssize_t got = 0;
  do {
    got = read(report[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  close_fd(report[0]);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    process.start_error_ = describe_failure(failure, spec);
    process.release();
  }
  return process;
}

RunningProcess::RunningProcess(RunningProcess&& other) noexcept {
  *this = std::move(other);
}

RunningProcess& RunningProcess::operator=(RunningProcess&& other) noexcept {
  if (this == &other) return *this;
  release();
  pid_ = std::exchange(other.pid_, -1);
  guardian_ = std::exchange(other.guardian_, -1);
  pidfd_ = std::exchange(other.pidfd_, -1);
  stdout_capture_ = std::exchange(other.stdout_capture_, -1);
  stderr_capture_ = std::exchange(other.stderr_capture_, -1);
  stdout_pipe_ = std::exchange(other.stdout_pipe_, -1);
  own_group_ = other.own_group_;
  killed_at_timeout_ = other.killed_at_timeout_;
  restore_interrupts_ = std::exchange(other.restore_interrupts_, false);
  old_int_ = other.old_int_;
  old_quit_ = other.old_quit_;
  started_at_ = other.started_at_;
  start_error_ = std::move(other.start_error_);
  return *this;
}

RunningProcess::~RunningProcess() {
  release();
}

void RunningProcess::kill_at_timeout() {
  if (pid_ <= 0) return;
  killed_at_timeout_ = true;
  kill(own_group_ ? -pid_ : pid_, SIGKILL);
}

void RunningProcess::stop_guardian() {
  if (guardian_ <= 0) return;
  kill(guardian_, SIGKILL);
  while (waitpid(guardian_, nullptr, 0) < 0 && errno == EINTR) {
  }
  guardian_ = -1;
}

void RunningProcess::release() {
  if (pid_ > 0) kill(own_group_ ? -pid_ : pid_, SIGKILL);
  stop_guardian();  // before the child is reaped, so that its group id cannot have been reused
  if (pid_ > 0) {
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  close_fd(pidfd_);
  close_fd(stdout_capture_);
  close_fd(stderr_capture_);
  close_fd(stdout_pipe_);
  if (restore_interrupts_) {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGQUIT, &old_quit_, nullptr);
    restore_interrupts_ = false;
  }
}

bool RunningProcess::wait_for_exit(Clock::time_point deadline) {
  // WNOWAIT leaves the exited child to wait4, which also gives its resource usage.
  siginfo_t info{};
  if (deadline == k_no_deadline) {
    while (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
    }
    return true;
  }
  for (;;) {
    info.si_pid = 0;
    if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_)
      return true;
    const long long left = milliseconds_until(deadline);
    if (left <= 0 || killed_at_timeout_) {
      kill_at_timeout();
      return false;
    }
    pollfd exit_event{pidfd_, POLLIN, 0};
    const long long wait_ms = std::min<long long>(left, pidfd_ >= 0 ? 60'000 : 20);
    poll(pidfd_ >= 0 ? &exit_event : nullptr, pidfd_ >= 0 ? 1 : 0, static_cast<int>(wait_ms));
  }
}

Outcome RunningProcess::wait_until(Clock::time_point deadline, double limit_seconds) {
  Outcome outcome;
  outcome.timeout_seconds = limit_seconds;
  if (pid_ <= 0) {
    outcome.start_error = start_error_.empty() ? "the process was not started" : start_error_;
    release();
    return outcome;
  }
  outcome.started = true;
  close_fd(stdout_pipe_);  // a stream nobody reads (start() without run()): writes now fail
  const bool exited = wait_for_exit(deadline);
  Clock::time_point ended = Clock::now();
  stop_guardian();  // before the reap, so that the group id it would kill cannot have been reused
  int status = 0;
  struct rusage usage{};
  bool reaped = true;
  while (wait4(pid_, &status, 0, &usage) < 0) {
    if (errno == EINTR) continue;
    outcome.start_error = std::string("wait: ") + std::strerror(errno);  // reaped elsewhere: status unknown
    reaped = false;
    break;
  }
  if (!exited) ended = Clock::now();
  outcome.wall_seconds = std::chrono::duration<double>(ended - started_at_).count();
  outcome.cpu_seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
  outcome.timed_out = killed_at_timeout_;
  if (reaped && WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  if (reaped && WIFEXITED(status) && !outcome.timed_out) outcome.exit_code = WEXITSTATUS(status);
  outcome.stdout_text = read_capture(stdout_capture_);
  outcome.stderr_text = read_capture(stderr_capture_);
  pid_ = -1;
  release();
  return outcome;
}

Outcome finish(RunningProcess& process, double timeout_seconds) {
  return process.wait_until(deadline_after(Clock::now(), timeout_seconds), timeout_seconds);
}

Outcome run(const ProcessSpec& spec) {
  RunningProcess process = start(spec);
  const Clock::time_point deadline = deadline_after(process.started_at_, spec.timeout_seconds);
  if (process.started() && process.stdout_pipe_ >= 0) {
    PipeReader reader(process.stdout_pipe_, deadline, [&process] { process.kill_at_timeout(); });
    std::istream stream(&reader);
    if (spec.on_stdout) spec.on_stdout(stream);
    reader.drain();
  }
  return process.wait_until(deadline, spec.timeout_seconds);
}

std::string describe_outcome(const Outcome& outcome) {
  if (!outcome.started) return "could not be started (" + outcome.start_error + ")";
  if (outcome.timed_out) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", outcome.timeout_seconds);
    return std::string("timed out after ") + limit + " s";
  }
  if (outcome.signal != 0)
    return "was killed by signal " + std::to_string(outcome.signal) + " (" + strsignal(outcome.signal) + ")";
  return "exited with status " + std::to_string(outcome.exit_code);
}

std::string find_executable(std::string_view name, const char* path_variable) {
  auto executable = [](const std::string& candidate) {
    struct stat info{};
    return stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(candidate.c_str(), X_OK) == 0;
  };
  if (name.empty()) return {};
  if (name.find('/') != std::string_view::npos) return executable(std::string(name)) ? std::string(name) : "";
  const std::string_view folders = path_variable != nullptr ? path_variable : "/usr/local/bin:/usr/bin:/bin";
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = std::min(folders.find(':', begin), folders.size());
    const std::string_view folder = folders.substr(begin, end - begin);
    std::string candidate = (folder.empty() ? std::string(".") : std::string(folder)) + "/" + std::string(name);
    if (executable(candidate)) return candidate;
    if (end == folders.size()) return {};
    begin = end + 1;
  }
}

}  // namespace hone::support
