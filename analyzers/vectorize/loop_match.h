// Attaching vectorizer verdicts to the loops of the source, and mapping locations of an edited
// scratch copy back to the user's file.
//
// A verdict is located where clang put the loop's debug location: the first token of the loop
// statement (`for`, `while`, `do`). match_loop() takes the loop that starts exactly there, and
// otherwise the innermost loop whose source range contains the location (a remark located inside a
// header or body, e.g. from a macro or an older compiler). --try-fixes inserts text into a scratch
// copy (a pragma before the loop, `__restrict` before a parameter name); map_to_original() undoes the
// column shifts those insertions cause, so the re-compiled loop is found at the user's coordinates.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

// Where a loop is in the source: absolute file path, first token, and last token.
struct LoopSite {
  std::string file;
  unsigned line = 0, column = 0;
  unsigned end_line = 0, end_column = 0;
};

// Index of the loop a location (absolute path) belongs to, or nullopt.
std::optional<size_t> match_loop(const std::vector<LoopSite>& loops, const std::string& file, unsigned line,
                                 unsigned column);

// One insertion of single-line text at a 1-based line/column of a file.
struct SourceEdit {
  std::string file;
  unsigned line = 0, column = 0;
  std::string text;  // no newlines
};

// Applies the edits of one file to its text (edits of other files are ignored). Returns false when an
// edit lies outside the text.
bool apply_edits(const std::string& file, const std::vector<SourceEdit>& edits, std::string& text);

// A position in the edited copy → the same position in the original (the column shifts back by the
// text inserted before it on its line).
void map_to_original(const std::vector<SourceEdit>& edits, const std::string& file, unsigned line, unsigned& column);

}  // namespace hone::vec
