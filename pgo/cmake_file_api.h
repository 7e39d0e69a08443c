// CMake's file API, the one reader of it: `hone pgo init` asks it which executables a project has, and
// every CMake build of `hone pgo` asks it which targets produce the binaries listed in hone.yaml, so that
// `cmake --build --target` builds those and nothing else (another program compiled from the same sources
// with other flags, like zstd's zstd-frugal, would otherwise get the profile of the listed one and be
// reported stale). A query file written into a build folder before the configure makes CMake (3.14 and
// later) answer there with a "codemodel-v2" reply: every target with its type, artifacts and install rule.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pgo/config.h"

namespace hone::pgo {

struct CMakeTarget {
  std::string name;
  std::string type;                    // EXECUTABLE, SHARED_LIBRARY, UTILITY, ...
  std::vector<std::string> artifacts;  // relative to the build folder (absolute when outside it)
  std::string source_folder;           // relative to the source root, "." for the top
  bool installed = false;              // has an install rule
};

// Writes the codemodel-v2 query into `build` (made if needed). Returns "" or what went wrong.
std::string write_codemodel_query(const std::filesystem::path& build);

// Every target of the reply to that query (each once, over all configurations), or nullopt when `build`
// has no reply: no query before its configure, or a CMake older than 3.14. Throws (exit 1) when the reply
// is there but cannot be read.
std::optional<std::vector<CMakeTarget>> read_codemodel(const std::filesystem::path& build);

// The CMake target to build for each binary, in hone.yaml order without repeats. A binary's `target:`
// wins; else the target one of whose artifacts is its path; else a target named like its file. Without a
// reply (`targets` nullopt) the `target:` or the file name is taken as it is. A `target:` CMake does not
// know, or a path no target builds and no target is named like, throws (exit 2) with the binary's
// hone.yaml line and the fix.
std::vector<std::string> targets_for_binaries(const std::vector<Binary>& binaries,
                                              const std::optional<std::vector<CMakeTarget>>& targets);

}  // namespace hone::pgo
