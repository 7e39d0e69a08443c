// Which compiler family and version a compiler executable is, detected once and cached on disk.
//
// The wrapper needs the family to spell mode flags (clang and GCC differ for PGO and LTO), but running
// `cc --version` on every call would double the cost of small compiles. The answer is cached per
// executable, keyed by its real path, size and modification time, so an upgrade is noticed.
#pragma once

#include <string>

#include "support/contracts.h"

namespace hone::wrapper {

// The families the mode flags are spelled for (support/contracts.h).
using CompilerFamily = support::CompilerFamily;

const char* to_string(CompilerFamily family);

struct CompilerInfo {
  CompilerFamily family = CompilerFamily::other;
  int major_version = 0;
  std::string version;  // e.g. "19.1.7"; empty when unknown
};

// Parses the first lines of `<compiler> --version`.
CompilerInfo parse_version_output(const std::string& text);

// The info for the executable at `path` (found on PATH when it has no slash). Uses the cache under
// $HONE_CACHE_DIR, else $XDG_CACHE_HOME/hone, else ~/.cache/hone; runs `<path> --version` on a miss.
// A cache that cannot be written only costs the extra process next time.
CompilerInfo detect_compiler(const std::string& path);

// The standard output of `<path> [subcommand] --version` (stderr discarded); "" when it cannot run.
std::string version_text(const std::string& path, const char* subcommand = nullptr);

// The first "N.N[.N]" number standing after a space in `text` (or at its start); "" when none.
std::string first_version_in(const std::string& text);

// The directory of the cache ("" when no location can be determined).
std::string cache_directory();

}  // namespace hone::wrapper
