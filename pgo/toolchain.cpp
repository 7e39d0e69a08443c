// Tool discovery and version checks (see toolchain.h).
#include "pgo/toolchain.h"

#include <climits>
#include <cstdlib>
#include <unistd.h>

#include "pgo/error.h"
#include "pgo/process.h"
#include "support/llvm_tools.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

Tool describe(const fs::path& path) {
  const support::LlvmVersion version = support::llvm_tool_version(path.string());
  return Tool{path, version.text, version.major};
}

Tool describe_gnu(const fs::path& path) {
  const std::string version = parse_gnu_version(support::version_output(path.string()));
  return Tool{path, version, std::atoi(version.c_str())};
}

fs::path own_directory() {
  char buffer[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (length <= 0) return ".";
  return fs::path(std::string(buffer, static_cast<size_t>(length))).parent_path();
}

}  // namespace

CompilerKind compiler_kind(const std::string& version_text) {
  // Clang's text names clang ("Debian clang version 19.1.7"). GCC's first line may name only the program
  // (a gcc renamed to cc prints "cc (Debian 12.2.0-14) 12.2.0"), so GCC is known by its licence lines,
  // which other GNU programs word differently (coreutils: "License GPLv3+", binutils: "This program is
  // free software").
  if (version_text.find("clang") != std::string::npos) return CompilerKind::clang;
  if (version_text.find("Free Software Foundation") != std::string::npos &&
      version_text.find("This is free software; see the source for copying conditions") != std::string::npos)
    return CompilerKind::gcc;
  return CompilerKind::other;
}

Toolchain find_toolchain(const Config& config) {
  Toolchain toolchain;
  auto locate = [](const std::string& name, const std::string& key) {
    std::optional<fs::path> path = find_program(name);
    if (!path)
      fail_input("compiler '" + name + "' (" + key +
                 " in hone.yaml) is not installed or not on PATH; "
                 "install clang-19 or gcc-12 (scripts/setup does) or set " +
                 key + " to a full path");
    return *path;
  };
  const fs::path c = locate(config.c_compiler, "compiler.c");
  const fs::path cxx = locate(config.cxx_compiler, "compiler.cxx");
  const CompilerKind c_kind = compiler_kind(support::version_output(c.string()));
  const CompilerKind cxx_kind = compiler_kind(support::version_output(cxx.string()));
  if (c_kind == CompilerKind::other || cxx_kind == CompilerKind::other)
    fail_input(std::string("compiler.") +
               (c_kind == CompilerKind::other ? "c '" + config.c_compiler : "cxx '" + config.cxx_compiler) +
               "' is neither Clang nor GCC (its --version names neither): hone pgo drives Clang's or GCC's own "
               "profile instrumentation; set compiler.c and compiler.cxx in hone.yaml to clang-19/clang++-19 or "
               "gcc-12/g++-12");
  if (c_kind != cxx_kind)
    fail_input("compiler.c '" + config.c_compiler + "' is " + (c_kind == CompilerKind::clang ? "Clang" : "GCC") +
               " but compiler.cxx '" + config.cxx_compiler + "' is " +
               (cxx_kind == CompilerKind::clang ? "Clang" : "GCC") +
               ": one profile format serves both, so set both to the same compiler family and release");
  toolchain.is_clang = c_kind == CompilerKind::clang;
  // GCC's instrumentation is IR-level -fprofile-generate; the other kinds are Clang's alone (front-end
  // -fprofile-instr-generate, context-sensitive -fcs-profile-generate, LLVM sample profiles).
  if (!toolchain.is_clang && config.pgo_kind != PgoKind::ir)
    fail_input((config.pgo_kind_location.empty() ? config.file.string() : config.pgo_kind_location) + ": pgo.kind " +
               to_string(config.pgo_kind) + " needs Clang, but compiler.c '" + config.c_compiler +
               "' is GCC. With GCC, hone runs GCC's own PGO (-fprofile-generate, -fprofile-use "
               "-fprofile-partial-training): remove the pgo.kind line (or set pgo.kind: ir), or set compiler.c: "
               "clang-19 and compiler.cxx: clang++-19 to keep pgo.kind " +
               to_string(config.pgo_kind));
  toolchain.c_compiler = toolchain.is_clang ? describe(c) : describe_gnu(c);
  toolchain.cxx_compiler = toolchain.is_clang ? describe(cxx) : describe_gnu(cxx);
  const std::string family = toolchain.is_clang ? "Clang " : "GCC ";
  if (toolchain.cxx_compiler.major != toolchain.c_compiler.major)
    fail_input("compiler.c is " + family + toolchain.c_compiler.version + " but compiler.cxx is " + family +
               toolchain.cxx_compiler.version + ": both must come from the same " +
               (toolchain.is_clang ? "LLVM" : "GCC") + " release");
  if (toolchain.is_clang) toolchain.llvm_bin_dir = support::llvm_bin_dir(c.string());
  toolchain.hone = own_directory() / "hone";
  if (access(toolchain.hone.c_str(), X_OK) != 0)
    fail_input("the 'hone' wrapper is not installed beside hone-pgo (" + toolchain.hone.string() +
               "); rebuild hone (cmake --build) or reinstall it");
  return toolchain;
}

Tool find_gcc_tool(const Toolchain& toolchain, const std::string& name) {
  const fs::path compiler = toolchain.c_compiler.path;
  const int major = toolchain.c_compiler.major;
  const support::GccToolLookup found = support::find_gcc_tool(name, compiler.string(), major);
  if (!found.path.empty()) return Tool{found.path, found.version, major};
  std::string looked_at;
  for (const std::string& candidate : found.looked_at) looked_at += (looked_at.empty() ? "" : ", ") + candidate;
  // A .gcda file carries its GCC release's format version; another release's tool misreads it.
  const std::string other = found.other_release_path.empty()
                                ? std::string()
                                : "; " + found.other_release_path + " is from " +
                                      (found.other_release_version.empty() ? std::string("an unknown release")
                                                                           : "GCC " + found.other_release_version) +
                                      ", which cannot read GCC " + std::to_string(major) + "'s .gcda files";
  fail_input(name + " from GCC " + std::to_string(major) + " (the release of compiler.c, " + compiler.string() +
             ") was not found (looked at " + looked_at + ")" + other +
             "; it comes with the compiler: install the Debian package " + support::gcc_tools_package(major) +
             " (scripts/setup does)");
}

Tool find_llvm_tool(const Config& config, const Toolchain& toolchain, const std::string& name,
                    const std::string& override_path) {
  (void)config;
  const std::string key = name == "llvm-profdata" ? "llvm_profdata" : name == "llvm-bolt" ? "llvm_bolt" : "merge_fdata";
  // With GCC only BOLT's tools are LLVM's; they read any ELF binary, so they come from the LLVM release
  // hone was built against (the rule without a compiler).
  const int major = toolchain.is_clang ? toolchain.c_compiler.major : 0;
  const support::LlvmToolLookup found = support::find_llvm_tool(
      {name, override_path, toolchain.is_clang ? toolchain.c_compiler.path.string() : std::string(), major});
  if (!found.path.empty()) return describe(found.path);
  if (!override_path.empty())
    fail_input("tools." + key + " in hone.yaml is '" + override_path + "', which does not exist");
  std::string looked_in;
  for (const std::string& place : found.looked_in) looked_in += (looked_in.empty() ? "" : ", ") + place;
  const std::string release = major > 0 ? std::to_string(major) : std::string("19");
  const std::string package = (name == "llvm-profdata" ? "llvm-" : "bolt-") + release;
  fail_input(name + " from LLVM " + release + " was not found (looked in " + looked_in + "); " +
             (found.from_environment ? "HONE_LLVM_BIN_DIR names that folder: point it at the compiler's LLVM or unset "
                                       "it, or "
                                     : "") +
             "install the Debian package " + package + " (scripts/setup does) or set tools." + key + " in hone.yaml");
}

void check_same_llvm(const Toolchain& toolchain, const Tool& tool, const std::string& name, const std::string& key) {
  if (tool.major == toolchain.c_compiler.major) return;
  std::string tool_version = tool.version.empty() ? "an unknown LLVM version" : "LLVM " + tool.version;
  // The tool came from HONE_LLVM_BIN_DIR (rule 2 of support/llvm_tools.h): that variable is what to change.
  const char* chosen = std::getenv(support::k_env_llvm_bin_dir);
  const bool from_variable = chosen != nullptr && *chosen != '\0' && tool.path.parent_path() == fs::path(chosen);
  const std::string compiler_folder = support::llvm_bin_dir(
      toolchain.c_compiler.path.string(), [](const char*) { return static_cast<const char*>(nullptr); });
  const std::string advice = from_variable
                                 ? "HONE_LLVM_BIN_DIR=" + std::string(chosen) +
                                       " names another release's tools: point it at " + compiler_folder + " or unset it"
                                 : "Use the " + name + " from " + toolchain.llvm_bin_dir.string() + " (remove " + key +
                                       " from hone.yaml, or point it there)";
  fail_input("version mismatch: " + name + " (" + tool.path.string() + ") is " + tool_version + " but the compiler (" +
             toolchain.c_compiler.path.string() + ") is LLVM " + toolchain.c_compiler.version +
             "; profiles written by one LLVM release cannot be read by another's tools. " + advice);
}

}  // namespace hone::pgo
