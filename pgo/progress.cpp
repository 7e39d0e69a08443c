// Progress output on stderr: "hone pgo [k/N] stage: ..." lines. On a terminal the line about the
// step in progress is redrawn in place with its elapsed time, once a second by a ticker thread while a
// build or workload runs (with the build's own "[k/N]" when its log shows one); in CI (not a terminal)
// every step is its own plain line, so logs stay readable and nothing runs in the background.
// --quiet prints nothing.
//
// The ticker and the stage code share State under one mutex; every write to stderr from here holds it,
// so a redraw never interleaves with a note. The thread starts with the first live line on a terminal
// and is joined when the Progress is destroyed (before hone-pgo prints an error).
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>
#include <unistd.h>

#include "pgo/context.h"
#include "pgo/process.h"

namespace hone::pgo {

namespace {
bool on_terminal() {
  static const bool tty = isatty(STDERR_FILENO) == 1;
  return tty;
}

// The last "[k/N]" in the final 4 KiB of `log` (Ninja's and CMake's step counters), or "".
std::string last_build_step(const std::filesystem::path& log) {
  std::ifstream in(log, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > 4096 ? size - 4096 : 0;
  in.seekg(start);
  std::string tail(static_cast<size_t>(size - start), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  static const std::regex step(R"(\[\s*(\d+)/(\d+)\])");
  std::string found;
  for (auto it = std::sregex_iterator(tail.begin(), tail.end(), step); it != std::sregex_iterator(); ++it)
    found = "[" + (*it)[1].str() + "/" + (*it)[2].str() + "]";
  return found;
}
}  // namespace

struct Progress::State {
  bool quiet = false;
  int stage_count = 0;
  int index = 0;
  std::string name;
  std::chrono::steady_clock::time_point stage_start = std::chrono::steady_clock::now();
  std::string live_message;
  std::filesystem::path watch;
  bool live_shown = false;

  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread ticker;

  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start).count();
  }
  void clear_live() {  // with mutex held
    if (live_shown) std::fprintf(stderr, "\r\033[K");
    live_shown = false;
  }
  void draw_live() {  // with mutex held, on a terminal
    clear_live();
    std::string step = watch.empty() ? "" : last_build_step(watch);
    std::fprintf(stderr, "hone pgo [%d/%d] %s: %s%s (%s)", index, stage_count, name.c_str(), live_message.c_str(),
                 step.empty() ? "" : (" " + step).c_str(), format_seconds(elapsed()).c_str());
    std::fflush(stderr);
    live_shown = true;
  }
  void tick() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      wake.wait_for(lock, std::chrono::seconds(1));
      if (!stopping && live_shown) draw_live();
    }
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (ticker.joinable()) ticker.join();
  }
};

Progress::Progress(bool quiet, int stage_count) : state_(std::make_unique<State>()) {
  state_->quiet = quiet;
  state_->stage_count = stage_count;
}

Progress::~Progress() {
  if (state_) state_->stop();
}

Progress::Progress(Progress&&) noexcept = default;

Progress& Progress::operator=(Progress&& other) noexcept {
  if (state_) state_->stop();
  state_ = std::move(other.state_);
  return *this;
}

void Progress::set_stage_count(int count) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->stage_count = count;
}

void Progress::stage(int index, const std::string& name) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->index = index;
  state_->name = name;
  state_->stage_start = std::chrono::steady_clock::now();
}

void Progress::note(const std::string& message) {
  State& state = *state_;
  if (state.quiet) return;
  std::lock_guard<std::mutex> lock(state.mutex);
  state.clear_live();
  std::fprintf(stderr, "hone pgo [%d/%d] %s: %s\n", state.index, state.stage_count, state.name.c_str(),
               message.c_str());
}

void Progress::live(const std::string& message, const std::filesystem::path& watch) {
  State& state = *state_;
  if (state.quiet) return;
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!on_terminal()) {
    std::fprintf(stderr, "hone pgo [%d/%d] %s: %s\n", state.index, state.stage_count, state.name.c_str(),
                 message.c_str());
    return;
  }
  state.live_message = message;
  state.watch = watch;
  state.draw_live();
  if (!state.ticker.joinable()) {
    // The ticker starts with Ctrl-C, SIGTERM and SIGHUP blocked (a thread inherits its creator's
    // mask), so that they reach the main thread, whose mask pgo/process.cpp manages while it starts
    // a child; there the handler forwards them to the running workload's group.
    const sigset_t forwarded = forwarded_signals();
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &forwarded, &previous);
    state.ticker = std::thread([&state] { state.tick(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }
}

void Progress::done(const std::string& message) {
  State& state = *state_;
  if (state.quiet) return;
  std::lock_guard<std::mutex> lock(state.mutex);
  state.clear_live();
  std::fprintf(stderr, "hone pgo [%d/%d] %s: %s (%s)\n", state.index, state.stage_count, state.name.c_str(),
               message.c_str(), format_seconds(state.elapsed()).c_str());
}

}  // namespace hone::pgo
