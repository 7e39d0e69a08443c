// Loop matching and scratch-copy edits (see loop_match.h).
#include "loop_match.h"

#include <algorithm>
#include <tuple>

namespace hone::vec {

namespace {

bool before_or_at(unsigned line_a, unsigned column_a, unsigned line_b, unsigned column_b) {
  return std::tie(line_a, column_a) <= std::tie(line_b, column_b);
}

}  // namespace

std::optional<size_t> match_loop(const std::vector<LoopSite>& loops, const std::string& file, unsigned line,
                                 unsigned column) {
  std::optional<size_t> innermost;
  for (size_t i = 0; i < loops.size(); ++i) {
    const LoopSite& loop = loops[i];
    if (loop.file != file) continue;
    if (loop.line == line && loop.column == column) return i;
    bool inside = before_or_at(loop.line, loop.column, line, column) &&
                  before_or_at(line, column, loop.end_line, loop.end_column);
    if (!inside) continue;
    // Nested loops: the later start is the inner one (ranges nest, they never cross).
    if (!innermost || before_or_at(loops[*innermost].line, loops[*innermost].column, loop.line, loop.column))
      innermost = i;
  }
  return innermost;
}

bool apply_edits(const std::string& file, const std::vector<SourceEdit>& edits, std::string& text) {
  std::vector<SourceEdit> mine;
  for (const SourceEdit& edit : edits)
    if (edit.file == file) mine.push_back(edit);
  // From the end backwards, so earlier offsets stay valid.
  std::sort(mine.begin(), mine.end(), [](const SourceEdit& a, const SourceEdit& b) {
    return std::tie(a.line, a.column) > std::tie(b.line, b.column);
  });
  for (const SourceEdit& edit : mine) {
    size_t offset = 0;
    for (unsigned line = 1; line < edit.line; ++line) {
      offset = text.find('\n', offset);
      if (offset == std::string::npos) return false;
      ++offset;
    }
    size_t line_end = text.find('\n', offset);
    if (line_end == std::string::npos) line_end = text.size();
    if (edit.column == 0 || offset + edit.column - 1 > line_end) return false;
    text.insert(offset + edit.column - 1, edit.text);
  }
  return true;
}

void map_to_original(const std::vector<SourceEdit>& edits, const std::string& file, unsigned line, unsigned& column) {
  std::vector<const SourceEdit*> on_line;
  for (const SourceEdit& edit : edits)
    if (edit.file == file && edit.line == line) on_line.push_back(&edit);
  std::sort(on_line.begin(), on_line.end(),
            [](const SourceEdit* a, const SourceEdit* b) { return a->column < b->column; });
  // Walk the insertions left to right in edited coordinates: each one at original column c starts at
  // c + shift in the copy; anything at or after its end moves back by its length.
  unsigned shift = 0;
  for (const SourceEdit* edit : on_line) {
    unsigned start = edit->column + shift;
    unsigned length = static_cast<unsigned>(edit->text.size());
    if (column < start + length) break;
    shift += length;
  }
  column -= shift;
}

}  // namespace hone::vec
