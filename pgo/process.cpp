// fork/exec with a timeout. The child gets its own process group so that a timeout kills the whole
// workload (a shell script and what it started), not just its first process. Time is measured with
// a monotonic clock; CPU time comes from wait4's resource usage.
#include "pgo/process.h"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "pgo/error.h"

namespace hone::pgo {

namespace {

std::atomic<double> child_seconds{0};

// Ctrl-C (or a SIGTERM/SIGHUP) must not orphan the build or workload running in its own process
// group: the handler forwards the signal to that group and remembers it; run_process then reports
// the interruption so that the stage stops without writing its manifest and resumes on the next run.
volatile sig_atomic_t running_group = 0;
volatile sig_atomic_t interrupted_by = 0;

extern "C" void forward_signal(int signal_number) {
  interrupted_by = signal_number;
  if (running_group > 0) kill(-running_group, signal_number);
}

void install_signal_forwarding() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  struct sigaction action {};
  action.sa_handler = forward_signal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

[[noreturn]] void child_exec(const ProcessSpec& spec, int error_pipe) {
  setpgid(0, 0);
  if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) {
    std::string message = "cannot enter folder '" + spec.cwd.string() + "': " + std::strerror(errno);
    (void)!write(error_pipe, message.data(), message.size());
    _exit(127);
  }
  auto redirect = [&](const std::filesystem::path& file, int target) {
    if (file.empty()) return;
    int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      std::string message = "cannot write '" + file.string() + "': " + std::strerror(errno);
      (void)!write(error_pipe, message.data(), message.size());
      _exit(127);
    }
    dup2(fd, target);
  };
  redirect(spec.stdout_file, STDOUT_FILENO);
  redirect(spec.stderr_file, STDERR_FILENO);
  if (spec.stdout_file.empty() && spec.stdout_to_stderr) dup2(STDERR_FILENO, STDOUT_FILENO);
  for (const auto& [name, value] : spec.env) setenv(name.c_str(), value.c_str(), 1);
  std::vector<char*> argv;
  for (const std::string& argument : spec.argv) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  std::string message = std::strerror(errno);
  (void)!write(error_pipe, message.data(), message.size());
  _exit(127);
}

} // namespace

ProcessResult run_process(const ProcessSpec& spec) {
  ProcessResult result;
  if (spec.argv.empty()) {
    result.start_error = "empty command";
    return result;
  }
  install_signal_forwarding();
  if (interrupted_by != 0) throw PgoError(130, "interrupted; run the same command again to resume");
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) fail_job(std::string("pipe: ") + std::strerror(errno));
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) fail_job(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) child_exec(spec, error_pipe[1]);
  close(error_pipe[1]);
  setpgid(pid, pid); // also done in the child; whichever runs first wins, both are harmless
  running_group = pid;
  char buffer[512];
  ssize_t got = read(error_pipe[0], buffer, sizeof(buffer));
  close(error_pipe[0]);
  if (got > 0) {
    int status;
    waitpid(pid, &status, 0);
    running_group = 0;
    result.start_error.assign(buffer, static_cast<size_t>(got));
    return result;
  }
  result.started = true;
  // A blocking wait4 gives the exact end time of the child (verify's timings depend on it); a
  // watchdog thread enforces the timeout by killing the child's process group.
  std::mutex mutex;
  std::condition_variable finished_signal;
  bool finished = false;
  std::atomic<bool> killed{false};
  std::thread watchdog;
  if (spec.timeout_seconds) {
    watchdog = std::thread([&] {
      std::unique_lock lock(mutex);
      auto limit = std::chrono::duration<double>(*spec.timeout_seconds);
      if (!finished_signal.wait_for(lock, limit, [&] { return finished; })) {
        killed = true;
        kill(-pid, SIGKILL);
      }
    });
  }
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  auto end = std::chrono::steady_clock::now();
  running_group = 0;
  if (watchdog.joinable()) {
    {
      std::lock_guard lock(mutex);
      finished = true;
    }
    finished_signal.notify_one();
    watchdog.join();
  }
  result.timed_out = killed;
  if (interrupted_by != 0)
    throw PgoError(130, std::string("interrupted by ") + strsignal(interrupted_by) + " while running '" +
                            shell_quote(spec.argv) + "'; the stage was not recorded as done: run the same "
                            "command again to resume");
  result.seconds = std::chrono::duration<double>(end - start).count();
  child_seconds = child_seconds + result.seconds;
  result.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

double total_child_seconds() { return child_seconds; }

std::string describe_outcome(const ProcessResult& result, const ProcessSpec& spec) {
  if (!result.started) return "could not be started (" + spec.argv.front() + ": " + result.start_error + ")";
  if (result.timed_out) {
    std::ostringstream out;
    out << "timed out after " << *spec.timeout_seconds << " s (raise 'timeout' in hone.yaml if that is expected)";
    return out.str();
  }
  if (result.signal != 0)
    return "was killed by signal " + std::to_string(result.signal) + " (" + strsignal(result.signal) + ")";
  return "exited with status " + std::to_string(result.exit_code);
}

std::string shell_quote(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& argument : argv) {
    if (!line.empty()) line += ' ';
    bool plain = !argument.empty() &&
                 argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                            "-_./=:,+%@") == std::string::npos;
    if (plain) {
      line += argument;
      continue;
    }
    line += '\'';
    for (char c : argument) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

std::string tail_of_file(const std::filesystem::path& path, int max_lines) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  size_t first = lines.size() > static_cast<size_t>(max_lines) ? lines.size() - static_cast<size_t>(max_lines) : 0;
  std::string text;
  for (size_t i = first; i < lines.size(); ++i) text += "    " + lines[i] + "\n";
  return text;
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) == 0) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "/usr/bin:/bin");
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    std::filesystem::path candidate = std::filesystem::path(folder.empty() ? "." : folder) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

} // namespace hone::pgo
