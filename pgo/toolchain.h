// The tools a pipeline needs and how they must agree. The profile a compiler writes can only be read
// by llvm-profdata from the same LLVM release, so llvm-profdata is looked up next to the compiler
// first and its version is compared with the compiler's before anything is merged: a mismatch is the
// most common way PGO fails, and LLVM's own message for it ("unsupported version") says nothing
// about which two tools disagree.
#pragma once

#include <filesystem>
#include <string>

#include "pgo/config.h"
#include "support/llvm_tools.h"

namespace hone::pgo {

struct Tool {
  std::filesystem::path path;
  std::string version;  // "19.1.7"; empty when not known
  int major = 0;
};

struct Toolchain {
  Tool c_compiler;
  Tool cxx_compiler;
  bool is_clang = true;
  std::filesystem::path hone;          // the `hone` wrapper beside hone-pgo
  std::filesystem::path llvm_bin_dir;  // where the compiler's LLVM tools live (support::llvm_bin_dir)
};

// Finds the compilers and hone; refuses GCC with a message saying what to use instead.
Toolchain find_toolchain(const Config& config);

// llvm-profdata / llvm-bolt / merge-fdata with their versions, found by the one rule `hone doctor` also
// reports (support/llvm_tools.h: tools.* in hone.yaml, $HONE_LLVM_BIN_DIR, beside the compiler,
// /usr/lib/llvm-<major>/bin, <name>-<major> on PATH); throws with where it looked and how to install them.
Tool find_llvm_tool(const Config& config, const Toolchain& toolchain, const std::string& name,
                    const std::string& override_path);

// Throws (exit 2) when `tool` is from a different LLVM major release than the C compiler.
void check_same_llvm(const Toolchain& toolchain, const Tool& tool, const std::string& name, const std::string& key);

// "19.1.7" from a --version text: the one parser doctor and pgo share (support/llvm_tools.h).
using support::parse_llvm_version;

}  // namespace hone::pgo
