// The analysed source files' text, read once each after the analysis, for what is decided from the
// text itself rather than the AST: the `// NOLINT(...)` comments on a finding's line (suppressions.h)
// and the byte offsets of a fix's edits (export_fixes.h).
//
// Findings carry absolute paths and 1-based line/column (the compiler's convention); a fixes file for
// clang-apply-replacements wants byte offsets. Files are read on demand; one that cannot be read is
// remembered as missing, so a finding there is simply never suppressed and its fix never exported.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace hone::analyze {

class SourceCache {
public:
  // The whole text of `file`, or null when it cannot be read.
  const std::string* text(const std::string& file);
  // Line `line` (1-based) of `file` without its newline, or nullopt when there is no such line.
  std::optional<std::string> line(const std::string& file, unsigned line);
  // The byte offset of 1-based `line`:`column` in `file`, or nullopt when it lies outside the text.
  std::optional<unsigned> offset(const std::string& file, unsigned line, unsigned column);

private:
  std::map<std::string, std::optional<std::string>> texts_;
};

// The byte offset of 1-based `line`:`column` in `text`; nullopt when the line does not exist or the
// column lies past its end (the newline itself counts as a column, so an edit may append to a line).
std::optional<unsigned> offset_in(const std::string& text, unsigned line, unsigned column);

}  // namespace hone::analyze
