// Applying `hone layout --fix` edits to files, and the unified diff `--diff` prints instead.
//
// Edits arrive per record, possibly from several TUs that saw the same header; identical edits are
// the same edit. A record's edits are accepted all together or not at all: if they overlap another
// record's, or the file on disk is no longer the content the TU parsed, the record is left unchanged
// and the caller is told why. Files are written to a temporary next to them and renamed over the
// original, so an interrupted run never leaves a half-written source file.
#pragma once

#include "field_moves.h"

#include <clang/Tooling/Core/Replacement.h>

#include <map>
#include <string>
#include <vector>

namespace hone::layout {

struct FileRewrite {
  std::string file;
  std::string before;
  std::string after;
};

class RewriteSet {
public:
  // Accepts all of `edits` or none; on refusal returns false and sets `reason`.
  bool add(const std::vector<SourceEdit>& edits, const std::vector<FileVersion>& versions, std::string& reason);
  // The new content of every file with accepted edits, sorted by path. Returns false with `error`
  // if applying fails (it should not, as edits were checked when added).
  bool results(std::vector<FileRewrite>& rewrites, std::string& error) const;

private:
  // Content read from disk on first use; empty optional-like flag when unreadable.
  const std::string* content(const std::string& file, std::string& reason);
  std::map<std::string, std::string> contents_;
  std::map<std::string, clang::tooling::Replacements> replacements_;
};

// A unified diff (3 lines of context) from `before` to `after`, with `---`/`+++` headers naming
// `old_name` and `new_name`. Empty when the texts are equal.
std::string unified_diff(const std::string& old_name, const std::string& new_name, const std::string& before,
                         const std::string& after);

}  // namespace hone::layout
