// The pipeline's child processes, started through support/process. Every child gets its own process
// group, so that a timeout kills the whole workload (a shell script and what it started), and dies
// with hone-pgo, so that a SIGKILL of hone pgo does not leave a build or workload running on and
// racing the next run (issue 11 item 12). Ctrl-C is forwarded to the running group by hand, because a
// child in its own group no longer shares the terminal's foreground group with hone.
#include "pgo/process.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>

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
  struct sigaction action{};
  action.sa_handler = forward_signal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : k_forwarded_signals) sigaction(signal_number, &action, nullptr);
}

support::ProcessSpec child_spec(const ProcessSpec& spec) {
  support::ProcessSpec child;
  child.argv = spec.argv;
  child.env = spec.env;
  child.cwd = spec.cwd.string();
  child.stdout_file = spec.stdout_file.string();
  child.stdout_sink = !spec.stdout_file.empty() ? support::Sink::file
                      : spec.stdout_to_stderr   ? support::Sink::into_stderr
                                                : support::Sink::inherit;
  child.stderr_file = spec.stderr_file.string();
  child.stderr_sink = spec.stderr_file.empty() ? support::Sink::inherit : support::Sink::file;
  child.own_process_group = true;
  child.die_with_parent = true;
  return child;
}

}  // namespace

sigset_t forwarded_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal_number : k_forwarded_signals) sigaddset(&signals, signal_number);
  return signals;
}

ProcessResult run_process(const ProcessSpec& spec) {
  install_signal_forwarding();
  if (interrupted_by != 0) throw PgoError(130, "interrupted; run the same command again to resume");
  // The forwarded signals stay blocked until running_group names the new child: a workload that
  // signals hone at once (or a Ctrl-C in that instant) would otherwise find no group to forward to,
  // and the workload would run on while hone reports it interrupted. A blocked signal is delivered
  // (and forwarded) as soon as the mask is restored; the child starts with an empty mask.
  const sigset_t forwarded = forwarded_signals();
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &forwarded, &previous);
  support::RunningProcess child = support::start(child_spec(spec));
  running_group = child.pid() > 0 ? child.pid() : 0;
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ProcessResult result;
  static_cast<support::Outcome&>(result) = support::finish(child, spec.timeout_seconds.value_or(0));
  running_group = 0;
  if (interrupted_by != 0)
    throw PgoError(130, std::string("interrupted by ") + strsignal(interrupted_by) + " while running '" +
                            shell_quote(spec.argv) +
                            "'; the stage was not recorded as done: run the same "
                            "command again to resume");
  result.seconds = result.wall_seconds;
  if (result.started) child_seconds = child_seconds + result.seconds;
  return result;
}

double total_child_seconds() {
  return child_seconds;
}

std::string describe_outcome(const ProcessResult& result, const ProcessSpec& spec) {
  if (!result.started)
    return "could not be started (" + (spec.argv.empty() ? "" : spec.argv.front() + ": ") + result.start_error + ")";
  std::string outcome = support::describe_outcome(result);
  if (result.timed_out) outcome += " (raise 'timeout' in hone.yaml if that is expected)";
  return outcome;
}

std::string shell_quote(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& argument : argv) {
    if (!line.empty()) line += ' ';
    bool plain =
        !argument.empty() && argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
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
  std::string path = support::find_executable(name, std::getenv("PATH"));
  if (path.empty()) return std::nullopt;
  return std::filesystem::path(path);
}

}  // namespace hone::pgo
