// Writing the report and the trace a run asked for, once: at exit, on request (flush_outputs()), or
// when SIGINT or SIGTERM stops the program, which is how services end (issue 14: Ctrl-C or a
// SIGTERM used to leave neither report nor trace).
//
// The signal path does nothing in the handler that is not async-signal-safe. The handler only writes
// the signal number into a pipe (the self-pipe pattern) and returns; a "flusher" thread, started with
// the signals blocked so it never runs the handler itself, sleeps in read() on the other end. Woken,
// it writes the trace and the report with the ordinary, locking code (the program's threads keep
// running meanwhile; the recorder and the trace are built to be read while they record), then puts
// the signal back to its default action, unblocks it and raises it, so the process still ends
// "killed by SIGTERM" (exit status 143 in a shell) as its supervisor expects. A second signal while
// the flush runs ends the process at once, the same way. Handlers are installed only for signals at
// their default action when the profiler starts: a program that handles SIGINT/SIGTERM itself keeps
// its handler (and can call hone::profiling::flush_outputs() from its own shutdown path). A child
// made by fork() has no flusher thread, so in a child the handler goes straight to the default action.
#include "outputs.h"

#include "hone/profiling.h"
#include "trace.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <pthread.h>
#include <string>
#include <unistd.h>

namespace hone::profiling::detail {
namespace {

constexpr int k_flush_signals[] = {SIGINT, SIGTERM};

// Written once while the registry is created, before any handler or thread can read them.
bool g_report = false;       // HONE_PROFILE=1 or json
bool g_report_json = false;  // HONE_PROFILE=json
bool g_trace_asked = false;  // HONE_PROFILE_TRACE started a trace
int g_wake_pipe[2] = {-1, -1};
pid_t g_owner_pid = 0;

constinit std::mutex g_outputs_mutex;
constinit bool g_outputs_written = false;  // guarded by g_outputs_mutex
constinit std::atomic<int> g_caught_signal{0};

void write_report() {
  const std::string report = g_report_json ? report_json() : report_text();
  std::fputs(report.c_str(), stderr);
  std::fflush(stderr);
}

void write_outputs_at_exit() {
  write_outputs_once();
}

// Async-signal-safe: getpid, signal, raise, write and a lock-free atomic exchange only.
extern "C" void on_flush_signal(int signal_number) {
  const int saved_errno = errno;
  int expected = 0;
  if (getpid() != g_owner_pid || !g_caught_signal.compare_exchange_strong(expected, signal_number)) {
    // A forked child (its flusher thread did not survive the fork) or a second signal: default action
    // now. The signal is blocked while its handler runs, so it is delivered when this returns.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
  } else {
    const auto byte = static_cast<unsigned char>(signal_number);
    [[maybe_unused]] const ssize_t written = ::write(g_wake_pipe[1], &byte, 1);
  }
  errno = saved_errno;
}

[[noreturn]] void end_by_signal(int signal_number) {
  struct sigaction default_action{};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal_number, &default_action, nullptr);
  sigset_t just_this;
  sigemptyset(&just_this);
  sigaddset(&just_this, signal_number);
  pthread_sigmask(SIG_UNBLOCK, &just_this, nullptr);
  std::raise(signal_number);        // the default action ends the whole process...
  ::kill(getpid(), signal_number);  // ...so these two lines are only a safety net
  ::_exit(128 + signal_number);
}

void* flusher_main(void*) {
  unsigned char byte = 0;
  for (;;) {
    const ssize_t got = ::read(g_wake_pipe[0], &byte, 1);
    if (got == 1) break;
    if (got < 0 && errno == EINTR) continue;
    return nullptr;  // the pipe is gone: nothing will wake this thread again
  }
  write_outputs_once();
  end_by_signal(byte);
}

void install_signal_flush() noexcept {
  bool wanted[std::size(k_flush_signals)] = {};
  bool any = false;
  for (std::size_t i = 0; i < std::size(k_flush_signals); ++i) {
    struct sigaction current{};
    if (sigaction(k_flush_signals[i], nullptr, &current) != 0) continue;
    wanted[i] = (current.sa_flags & SA_SIGINFO) == 0 && current.sa_handler == SIG_DFL;
    any = any || wanted[i];
  }
  if (!any || ::pipe2(g_wake_pipe, O_CLOEXEC) != 0) return;
  g_owner_pid = getpid();
  sigset_t blocked;
  sigset_t previous;
  sigemptyset(&blocked);
  for (const int signal_number : k_flush_signals) sigaddset(&blocked, signal_number);
  pthread_sigmask(SIG_BLOCK, &blocked, &previous);  // inherited by the flusher thread
  pthread_t flusher;
  const int created = pthread_create(&flusher, nullptr, flusher_main, nullptr);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (created != 0) {
    ::close(g_wake_pipe[0]);
    ::close(g_wake_pipe[1]);
    std::fprintf(stderr,
                 "hone: warning: cannot start the profiler's signal thread (%s); SIGINT/SIGTERM will "
                 "end the program without a report or trace\n",
                 std::strerror(created));
    return;
  }
  pthread_setname_np(flusher, "hone-flush");
  pthread_detach(flusher);
  for (std::size_t i = 0; i < std::size(k_flush_signals); ++i) {
    if (!wanted[i]) continue;
    struct sigaction action{};
    action.sa_handler = on_flush_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // the program's interrupted system calls carry on
    sigaction(k_flush_signals[i], &action, nullptr);
  }
}

}  // namespace

void write_outputs_once() noexcept {
  std::lock_guard lock(g_outputs_mutex);
  if (g_outputs_written) return;
  g_outputs_written = true;
  if (g_trace_asked) write_trace_output();
  if (g_report) write_report();
}

void arrange_outputs_from_environment() noexcept {
  const char* mode = ::secure_getenv("HONE_PROFILE");
  g_report = mode != nullptr && (std::strcmp(mode, "1") == 0 || std::strcmp(mode, "json") == 0);
  g_report_json = g_report && std::strcmp(mode, "json") == 0;
  g_trace_asked = start_trace_from_environment();
  if (!g_report && !g_trace_asked) return;
  std::atexit(write_outputs_at_exit);
  install_signal_flush();
}

}  // namespace hone::profiling::detail

namespace hone::profiling {

void flush_outputs() noexcept {
  detail::registry();  // HONE_PROFILE / HONE_PROFILE_TRACE are read when the registry is created
  detail::write_outputs_once();
}

}  // namespace hone::profiling
