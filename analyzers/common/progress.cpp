// The status line of an analyzer run (see progress.h).
//
// Drawn with a carriage return and "erase to end of line" (ESC [ K), cut to the terminal's width so it
// never wraps (a wrapped line cannot be rewritten in place).
#include "progress.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <cstring>
#include <sys/ioctl.h>
#include <unistd.h>

namespace hone::analyze {

Progress::Progress(size_t total, bool enabled) : total_(total), enabled_(enabled && total > 0) {}

Progress::~Progress() {
  clear();
}

void Progress::finished(llvm::StringRef file) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  ++done_;
  last_file_ = file.str();
  draw_locked();
}

void Progress::print(llvm::StringRef text) {
  std::lock_guard lock(mutex_);
  if (shown_) llvm::errs() << "\r\x1b[K";
  llvm::errs() << text;
  if (shown_) draw_locked();
  llvm::errs().flush();
}

void Progress::clear() {
  std::lock_guard lock(mutex_);
  if (!shown_) return;
  llvm::errs() << "\r\x1b[K";
  llvm::errs().flush();
  shown_ = false;
}

void Progress::draw_locked() {
  std::string line = "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] ";
  const size_t width = terminal_columns() > 1 ? terminal_columns() - 1 : 79;
  std::string file = last_file_;
  if (line.size() + file.size() > width && width > line.size() + 3) {
    const size_t keep = width - line.size() - 3;  // the end of the path names the file
    file = "..." + file.substr(file.size() - keep);
  }
  line += file;
  if (line.size() > width) line.resize(width);
  llvm::errs() << "\r" << line << "\x1b[K";
  llvm::errs().flush();
  shown_ = true;
}

bool progress_wanted() {
  if (!isatty(STDERR_FILENO)) return false;
  const char* term = std::getenv("TERM");
  return term && *term && std::strcmp(term, "dumb") != 0;
}

unsigned terminal_columns() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace hone::analyze
