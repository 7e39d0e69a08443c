// Finding the LLVM tools (clang's companions: llvm-profdata, llvm-bolt, merge-fdata, ld.lld, ...) and
// their versions: one rule, used by `hone doctor` to say what `hone pgo` will use and by `hone pgo` to
// use it, so that doctor's advice (say, HONE_LLVM_BIN_DIR) changes what pgo does.
//
// The rule, first match wins (docs/doctor.md):
//   1. an explicit path for that tool (hone.yaml `tools.*`), used as given (a bare name is looked up on
//      PATH);
//   2. $HONE_LLVM_BIN_DIR when set: the tool must be in that folder, nothing else is searched;
//   3. the folder of the compiler's real path (clang-19 -> /usr/lib/llvm-19/bin on Debian), so the
//      tools come from the compiler's own LLVM release;
//   4. /usr/lib/llvm-<major>/bin for the compiler's LLVM major version, or, with no compiler known, the
//      folder hone was built against;
//   5. <name>-<major> on PATH (Debian's versioned names).
// A profile can only be read by tools of the LLVM release that wrote it, which is why the compiler's
// own folder comes before anything on PATH.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/contracts.h"

namespace hone::support {

struct LlvmToolRequest {
  std::string name;           // "llvm-profdata"
  std::string explicit_path;  // rule 1, or ""
  std::string compiler;       // the clang the tool must match (a path or a name on PATH), or ""
  int major = 0;              // that compiler's LLVM major version, 0 when unknown
};

struct LlvmToolLookup {
  std::string path;                    // the tool found, "" when none
  std::vector<std::string> looked_in;  // every folder (or versioned name) tried, in order, for messages
  bool from_environment = false;       // HONE_LLVM_BIN_DIR decided it (rule 2)
};

// The folder the rule takes a compiler's tools from: $HONE_LLVM_BIN_DIR, else the folder of the
// compiler's real path, else the folder hone was built against.
std::string llvm_bin_dir(std::string_view compiler, EnvironmentLookup lookup = nullptr);

// Applies the rule. Reads the file system (is the candidate an executable file) and PATH.
LlvmToolLookup find_llvm_tool(const LlvmToolRequest& request, EnvironmentLookup lookup = nullptr);

// "19.1.7" from a tool's --version text: the number after "version " ("clang version 19.1.7",
// "LLVM version 19.1.7") or after "LLD " (ld.lld); "" when there is none (GCC says neither).
std::string parse_llvm_version(std::string_view version_text);

struct LlvmVersion {
  std::string text;  // "19.1.7"; "" when unknown
  int major = 0;
};

// Runs `<path> --version` (llvm-profdata before LLVM 15 only answers after a subcommand, so
// `<path> merge --version` is tried too) and parses the answer.
LlvmVersion llvm_tool_version(const std::string& path);

// The standard output of `<path> [subcommand] --version` (stderr discarded, 30 s at most); "" when it
// cannot run.
std::string version_output(const std::string& path, const char* subcommand = nullptr);

}  // namespace hone::support
