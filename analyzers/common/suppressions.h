// Per-finding suppressions in the source, in clang-tidy's spelling: `// NOLINT(hone-padding)` on the line a
// finding is reported at, or `// NOLINTNEXTLINE(hone-vec-*)` on the line before it.
//
// The names in the parentheses are the check names hone prints in brackets after each finding
// (`[hone-padding]`, `[hone-vec-dependence]`), comma-separated, each a glob where `*` matches any run
// of characters (`hone-vec-*` silences every `hone vec` finding). A bare `// NOLINT` without names is
// clang-tidy's and does not silence hone: code bases carry many of those, written for other checks,
// and hone's findings would vanish with them unnoticed. A suppressed finding is left out of every output
// format, of `--fail-on`, of `--fix` and `--export-fixes`; the run says on stderr how many it left out.
#pragma once

#include "findings.h"
#include "source_cache.h"

#include <llvm/ADT/StringRef.h>

#include <cstddef>
#include <vector>

namespace hone::analyze {

// Whether the NOLINT comment of kind `marker` ("NOLINT" or "NOLINTNEXTLINE") in `line_text` names
// `check` (directly or by a glob).
bool line_suppresses(llvm::StringRef line_text, llvm::StringRef marker, llvm::StringRef check);

// Whether `check` at `line` of `file` is suppressed by a NOLINT on that line or a NOLINTNEXTLINE on the
// line before.
bool is_suppressed(SourceCache& sources, const std::string& file, unsigned line, llvm::StringRef check);

// Removes the suppressed findings; returns how many were removed.
size_t drop_suppressed(SourceCache& sources, std::vector<Finding>& findings);

// Prints "hone: note: N findings suppressed by NOLINT comments" on stderr when N > 0.
void note_suppressed(size_t count);

}  // namespace hone::analyze
