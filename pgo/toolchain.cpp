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

fs::path own_directory() {
  char buffer[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (length <= 0) return ".";
  return fs::path(std::string(buffer, static_cast<size_t>(length))).parent_path();
}

}  // namespace

Toolchain find_toolchain(const Config& config) {
  Toolchain toolchain;
  auto locate = [](const std::string& name, const std::string& key) {
    std::optional<fs::path> path = find_program(name);
    if (!path)
      fail_input("compiler '" + name + "' (" + key +
                 " in hone.yaml) is not installed or not on PATH; "
                 "install clang-19 (scripts/setup does) or set " +
                 key + " to a full path");
    return *path;
  };
  fs::path c = locate(config.c_compiler, "compiler.c");
  std::string c_text = support::version_output(c.string());
  if (c_text.find("clang") == std::string::npos) {
    bool gcc = c_text.find("Free Software Foundation") != std::string::npos || c_text.find("gcc") != std::string::npos;
    fail_input(std::string("compiler.c '") + config.c_compiler + "' is " + (gcc ? "GCC" : "not Clang") +
               ": hone pgo drives Clang's profile instrumentation (.profraw/.profdata, ThinLTO); set "
               "compiler.c: clang-19 and compiler.cxx: clang++-19 in hone.yaml (GCC's .gcda profiles are "
               "not supported by this version)");
  }
  toolchain.c_compiler = describe(c);
  toolchain.cxx_compiler = describe(locate(config.cxx_compiler, "compiler.cxx"));
  if (toolchain.cxx_compiler.major != toolchain.c_compiler.major)
    fail_input("compiler.c is Clang " + toolchain.c_compiler.version + " but compiler.cxx is Clang " +
               toolchain.cxx_compiler.version + ": both must come from the same LLVM release");
  toolchain.llvm_bin_dir = support::llvm_bin_dir(c.string());
  toolchain.hone = own_directory() / "hone";
  if (access(toolchain.hone.c_str(), X_OK) != 0)
    fail_input("the 'hone' wrapper is not installed beside hone-pgo (" + toolchain.hone.string() +
               "); rebuild hone (cmake --build) or reinstall it");
  return toolchain;
}

Tool find_llvm_tool(const Config& config, const Toolchain& toolchain, const std::string& name,
                    const std::string& override_path) {
  (void)config;
  const std::string key = name == "llvm-profdata" ? "llvm_profdata" : name == "llvm-bolt" ? "llvm_bolt" : "merge_fdata";
  const int major = toolchain.c_compiler.major;
  const support::LlvmToolLookup found =
      support::find_llvm_tool({name, override_path, toolchain.c_compiler.path.string(), major});
  if (!found.path.empty()) return describe(found.path);
  if (!override_path.empty())
    fail_input("tools." + key + " in hone.yaml is '" + override_path + "', which does not exist");
  std::string looked_in;
  for (const std::string& place : found.looked_in) looked_in += (looked_in.empty() ? "" : ", ") + place;
  const std::string package = (name == "llvm-profdata" ? "llvm-" : "bolt-") + std::to_string(major);
  fail_input(name + " from LLVM " + std::to_string(major) + " was not found (looked in " + looked_in + "); " +
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
