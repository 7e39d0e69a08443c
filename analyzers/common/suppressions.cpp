// NOLINT / NOLINTNEXTLINE comments naming hone's checks (see suppressions.h).
//
// The comment is looked for in the raw text of the line, as clang-tidy does: a `NOLINT(` inside a
// string literal counts too, which costs nothing in practice and keeps this independent of the AST (the
// findings are merged from many TUs long after their ASTs are gone). `NOLINT` is matched as a whole
// word, so `NOLINTNEXTLINE(...)` on a finding's own line is not taken for `NOLINT(...)`.
#include "suppressions.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/raw_ostream.h>

namespace hone::analyze {
namespace {

// `*` matches any run of characters; everything else matches itself.
bool glob_matches(llvm::StringRef pattern, llvm::StringRef text) {
  if (pattern.empty()) return text.empty();
  if (pattern.front() == '*') {
    for (size_t skip = 0; skip <= text.size(); ++skip)
      if (glob_matches(pattern.drop_front(), text.drop_front(skip))) return true;
    return false;
  }
  return !text.empty() && pattern.front() == text.front() && glob_matches(pattern.drop_front(), text.drop_front());
}

bool is_word_character(char c) {
  return llvm::isAlnum(c) || c == '_';
}

}  // namespace

bool line_suppresses(llvm::StringRef line_text, llvm::StringRef marker, llvm::StringRef check) {
  for (size_t at = line_text.find(marker); at != llvm::StringRef::npos; at = line_text.find(marker, at + 1)) {
    const size_t after = at + marker.size();
    if (at > 0 && is_word_character(line_text[at - 1])) continue;
    if (after >= line_text.size() || line_text[after] != '(') continue;  // a bare NOLINT, or NOLINTNEXTLINE
    const size_t close = line_text.find(')', after);
    if (close == llvm::StringRef::npos) continue;
    llvm::SmallVector<llvm::StringRef, 4> names;
    line_text.slice(after + 1, close).split(names, ',');
    for (llvm::StringRef name : names)
      if (glob_matches(name.trim(), check)) return true;
  }
  return false;
}

bool is_suppressed(SourceCache& sources, const std::string& file, unsigned line, llvm::StringRef check) {
  if (std::optional<std::string> text = sources.line(file, line); text && line_suppresses(*text, "NOLINT", check))
    return true;
  if (line <= 1) return false;
  std::optional<std::string> before = sources.line(file, line - 1);
  return before && line_suppresses(*before, "NOLINTNEXTLINE", check);
}

size_t drop_suppressed(SourceCache& sources, std::vector<Finding>& findings) {
  const size_t before = findings.size();
  std::erase_if(findings, [&](const Finding& finding) {
    return is_suppressed(sources, finding.file, finding.line, finding.check);
  });
  return before - findings.size();
}

void note_suppressed(size_t count) {
  if (count == 0) return;
  llvm::errs() << "hone: note: " << count << " finding" << (count == 1 ? "" : "s")
               << " suppressed by NOLINT comments naming the check\n";
}

}  // namespace hone::analyze
