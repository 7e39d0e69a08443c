// Progress output on stderr: "hone pgo [k/N] stage: ..." lines. On a terminal the line about the
// step in progress is redrawn in place with its elapsed time; in CI (not a terminal) every step is
// its own plain line, so logs stay readable. --quiet prints nothing.
#include <chrono>
#include <cstdio>
#include <unistd.h>

#include "pgo/context.h"

namespace hone::pgo {

namespace {
bool on_terminal() {
  static const bool tty = isatty(STDERR_FILENO) == 1;
  return tty;
}
}  // namespace

void Progress::stage(int index, const std::string& name) {
  index_ = index;
  name_ = name;
  stage_start_ = std::chrono::steady_clock::now();
}

void Progress::clear_live() {
  if (live_shown_) std::fprintf(stderr, "\r\033[K");
  live_shown_ = false;
}

void Progress::note(const std::string& message) {
  if (quiet_) return;
  clear_live();
  std::fprintf(stderr, "hone pgo [%d/%d] %s: %s\n", index_, stage_count_, name_.c_str(), message.c_str());
}

void Progress::live(const std::string& message) {
  if (quiet_) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start_).count();
  if (!on_terminal()) {
    std::fprintf(stderr, "hone pgo [%d/%d] %s: %s\n", index_, stage_count_, name_.c_str(), message.c_str());
    return;
  }
  clear_live();
  std::fprintf(stderr, "hone pgo [%d/%d] %s: %s (%s)", index_, stage_count_, name_.c_str(), message.c_str(),
               format_seconds(elapsed).c_str());
  live_shown_ = true;
}

void Progress::done(const std::string& message) {
  if (quiet_) return;
  clear_live();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_start_).count();
  std::fprintf(stderr, "hone pgo [%d/%d] %s: %s (%s)\n", index_, stage_count_, name_.c_str(), message.c_str(),
               format_seconds(elapsed).c_str());
}

}  // namespace hone::pgo
