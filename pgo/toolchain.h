// The tools a pipeline needs and how they must agree. The profile a compiler writes can only be read
// by llvm-profdata from the same LLVM release, so llvm-profdata is looked up next to the compiler
// first and its version is compared with the compiler's before anything is merged: a mismatch is the
// most common way PGO fails, and LLVM's own message for it ("unsupported version") says nothing
// about which two tools disagree. With GCC the same holds for .gcda files and gcov-tool: the tools are
// taken from the compiler's GCC release (find_gcc_tool).
#pragma once

#include <filesystem>
#include <string>

#include "pgo/config.h"
#include "support/gcc_tools.h"
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
  bool is_clang = true;                // false: GCC (.gcda profiles, gcov-tool; pgo/gcc_profile.h)
  std::filesystem::path hone;          // the `hone` wrapper beside hone-pgo
  std::filesystem::path llvm_bin_dir;  // Clang only: where the compiler's LLVM tools live
};

enum class CompilerKind { clang, gcc, other };

// "12.2.0" from a GNU tool's --version text (gcc, g++, gcov, gcov-tool): the one parser doctor and pgo
// share (support/gcc_tools.h).
using support::parse_gnu_version;

// Which compiler a --version text is from.
CompilerKind compiler_kind(const std::string& version_text);

// Finds the compilers (both Clang or both GCC, of one release) and hone.
Toolchain find_toolchain(const Config& config);

// A GCC tool of the compiler's release ("gcov-tool", "gcov"), by the rule `hone doctor` also reports
// (support/gcc_tools.h: beside the compiler under its own name pattern, gcc-12 -> gcov-tool-12, then
// <name>-<major> and <name> on PATH); its version must be the compiler's. Throws (exit 2) saying where it looked and
// which package has it.
Tool find_gcc_tool(const Toolchain& toolchain, const std::string& name);

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
