// Child processes for `hone profile` (see process.h): fork + execvp, pipes, and exit statuses.
//
// Captured output goes through an anonymous temporary file rather than a pipe read after the child
// exits, so a chatty child can never fill a pipe and block. The streamed stdout of run_streaming is a
// pipe wrapped in a small std::streambuf, read while the child runs.
#include "driver/profile/process.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <streambuf>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hone::profile {
namespace {

// An unlinked temporary file for a child's output; -1 on failure.
int anonymous_file() {
  const char* directory = std::getenv("TMPDIR");
  std::string pattern = std::string(directory != nullptr && directory[0] != '\0' ? directory : "/tmp") +
                        "/hone-profile-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd >= 0) unlink(pattern.c_str());
  return fd;
}

std::string read_all(int fd) {
  std::string text;
  if (lseek(fd, 0, SEEK_SET) < 0) return text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

struct Redirects {
  int in = -1;   // -1: inherit
  int out = -1;
  int err = -1;
};

ExitStatus wait_for(pid_t child) {
  ExitStatus status;
  status.started = true;
  int raw = 0;
  while (waitpid(child, &raw, 0) < 0) {
    if (errno != EINTR) {
      status.started = false;
      status.error = std::string("waitpid: ") + std::strerror(errno);
      return status;
    }
  }
  if (WIFEXITED(raw)) {
    status.code = WEXITSTATUS(raw);
    // 127 from the child side of our fork: exec failed (the message is already in `error` output).
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

// Forks and execs; on exec failure the child exits 127 after writing the reason to `exec_error_fd`.
pid_t spawn(const std::vector<std::string>& argv, const Redirects& redirects, std::string& error) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return -1;
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t child = fork();
  if (child < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    close(report[0]);
    close(report[1]);
    return -1;
  }
  if (child == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (redirects.in >= 0) dup2(redirects.in, STDIN_FILENO);
    if (redirects.out >= 0) dup2(redirects.out, STDOUT_FILENO);
    if (redirects.err >= 0) dup2(redirects.err, STDERR_FILENO);
    execvp(args[0], args.data());
    const int failure = errno;
    [[maybe_unused]] const ssize_t written = write(report[1], &failure, sizeof failure);
    _exit(127);
  }
  close(report[1]);
  int failure = 0;
  ssize_t got = 0;
  do {
    got = read(report[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int ignored = 0;
    waitpid(child, &ignored, 0);
    error = "cannot run " + argv[0] + ": " + std::strerror(failure);
    return -1;
  }
  return child;
}

int open_dev_null() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

class PipeBuffer : public std::streambuf {
 public:
  explicit PipeBuffer(int fd) : fd_(fd) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t got = 0;
    do {
      got = read(fd_, buffer_, sizeof buffer_);
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return traits_type::eof();
    setg(buffer_, buffer_, buffer_ + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  int fd_;
  char buffer_[65536];
};

}  // namespace

ExitStatus run_captured(const std::vector<std::string>& argv, std::string& output) {
  ExitStatus status;
  const int file = anonymous_file();
  const int null = open_dev_null();
  if (file < 0 || null < 0) {
    status.error = std::string("cannot create a temporary file: ") + std::strerror(errno);
    if (file >= 0) close(file);
    if (null >= 0) close(null);
    return status;
  }
  const pid_t child = spawn(argv, Redirects{null, file, file}, status.error);
  close(null);
  if (child < 0) {
    close(file);
    return status;
  }
  status = wait_for(child);
  output = read_all(file);
  close(file);
  return status;
}

ExitStatus run_foreground(const std::vector<std::string>& argv) {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_int = {}, old_quit = {};
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  ExitStatus status;
  const pid_t child = spawn(argv, Redirects{}, status.error);
  if (child >= 0) status = wait_for(child);
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  return status;
}

ExitStatus run_streaming(const std::vector<std::string>& argv, const std::function<void(std::istream&)>& consume,
                         std::string& error_output) {
  ExitStatus status;
  int out[2];
  const int err = anonymous_file();
  const int null = open_dev_null();
  if (err < 0 || null < 0 || pipe2(out, O_CLOEXEC) != 0) {
    status.error = std::string("cannot set up the output of ") + argv[0] + ": " + std::strerror(errno);
    if (err >= 0) close(err);
    if (null >= 0) close(null);
    return status;
  }
  const pid_t child = spawn(argv, Redirects{null, out[1], err}, status.error);
  close(null);
  close(out[1]);
  if (child < 0) {
    close(out[0]);
    close(err);
    return status;
  }
  {
    PipeBuffer buffer(out[0]);
    std::istream stream(&buffer);
    consume(stream);
    char drain[65536];
    while (read(out[0], drain, sizeof drain) > 0) {
    }
  }
  close(out[0]);
  status = wait_for(child);
  error_output = read_all(err);
  close(err);
  return status;
}

std::string describe(const ExitStatus& status) {
  if (!status.started) return status.error;
  if (status.signal != 0) {
    return "signal " + std::to_string(status.signal) + " (" + strsignal(status.signal) + ")";
  }
  return "exit code " + std::to_string(status.code);
}

std::string resolve_executable(const std::string& name, const char* path) {
  if (name.empty()) return {};
  auto executable = [](const std::string& candidate) {
    struct stat info;
    return stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(candidate.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return executable(name) ? name : std::string();
  std::string directories = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= directories.size()) {
    std::size_t end = directories.find(':', start);
    if (end == std::string::npos) end = directories.size();
    std::string directory = directories.substr(start, end - start);
    if (directory.empty()) directory = ".";
    const std::string candidate = directory + "/" + name;
    if (executable(candidate)) return candidate;
    start = end + 1;
  }
  return {};
}

}  // namespace hone::profile
