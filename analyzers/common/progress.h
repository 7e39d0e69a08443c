// `[k/N] file` while an analyzer works through its translation units, on a terminal only.
//
// A run over a large database takes minutes and prints its report at the end; on a terminal the user
// sees one status line, rewritten in place as each TU finishes (like ninja's), and erased before the
// report. When stderr is not a terminal (CI logs, pipes, lit) nothing is printed at all, so logs stay
// exactly as they were. Messages printed while the line is up go through print(), which erases the
// line first, so they never end up glued to it.
#pragma once

#include <llvm/ADT/StringRef.h>

#include <cstddef>
#include <mutex>
#include <string>

namespace hone::analyze {

class Progress {
public:
  // `enabled`: whether to draw at all (see progress_wanted()).
  Progress(size_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One more TU done; redraws the line as `[k/N] file`. Thread-safe.
  void finished(llvm::StringRef file);
  // Prints `text` (whole lines) on stderr above the status line. Thread-safe.
  void print(llvm::StringRef text);
  // Erases the status line (also done by the destructor).
  void clear();

private:
  void draw_locked();

  std::mutex mutex_;
  size_t total_;
  size_t done_ = 0;
  bool enabled_;
  bool shown_ = false;
  std::string last_file_;
};

// Whether a status line belongs on stderr: it is a terminal that can move the cursor (TERM is set and
// not "dumb").
bool progress_wanted();

// The terminal width of stderr, or 80 when it cannot be asked.
unsigned terminal_columns();

}  // namespace hone::analyze
