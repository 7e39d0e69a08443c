// Tool discovery and version checks (see toolchain.h).
#include "pgo/toolchain.h"

#include <climits>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "pgo/error.h"
#include "pgo/process.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

std::string version_text(const fs::path& program) {
  char name[] = "/tmp/hone-version-XXXXXX";
  int fd = mkstemp(name);
  if (fd < 0) return "";
  close(fd);
  ProcessSpec spec;
  spec.argv = {program.string(), "--version"};
  spec.stdout_file = name;
  spec.stderr_file = "/dev/null";
  spec.timeout_seconds = 30;
  run_process(spec);
  std::ifstream in(name);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove(name);
  return text.str();
}

Tool describe(const fs::path& path) {
  Tool tool;
  tool.path = path;
  tool.version = parse_llvm_version(version_text(path));
  if (!tool.version.empty()) tool.major = std::stoi(tool.version.substr(0, tool.version.find('.')));
  return tool;
}

fs::path own_directory() {
  char buffer[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (length <= 0) return ".";
  return fs::path(std::string(buffer, static_cast<size_t>(length))).parent_path();
}

} // namespace

std::string parse_llvm_version(const std::string& text) {
  static const std::regex pattern(R"((?:clang|LLVM) version (\d+)\.(\d+)\.(\d+))");
  std::smatch match;
  if (!std::regex_search(text, match, pattern)) return "";
  return match[1].str() + "." + match[2].str() + "." + match[3].str();
}

Toolchain find_toolchain(const Config& config) {
  Toolchain toolchain;
  auto locate = [](const std::string& name, const std::string& key) {
    std::optional<fs::path> path = find_program(name);
    if (!path)
      fail_input("compiler '" + name + "' (" + key + " in hone.yaml) is not installed or not on PATH; "
                 "install clang-19 (scripts/setup does) or set " + key + " to a full path");
    return *path;
  };
  fs::path c = locate(config.c_compiler, "compiler.c");
  std::string c_text = version_text(c);
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
  std::error_code error;
  fs::path real = fs::canonical(c, error);
  toolchain.llvm_bin_dir = error ? c.parent_path() : real.parent_path();
  toolchain.hone = own_directory() / "hone";
  if (access(toolchain.hone.c_str(), X_OK) != 0)
    fail_input("the 'hone' wrapper is not installed beside hone-pgo (" + toolchain.hone.string() +
               "); rebuild hone (cmake --build) or reinstall it");
  return toolchain;
}

Tool find_llvm_tool(const Config& config, const Toolchain& toolchain, const std::string& name,
                    const std::string& override_path) {
  (void)config;
  if (!override_path.empty()) {
    std::optional<fs::path> path = find_program(override_path);
    if (!path) fail_input("tools." + name + " in hone.yaml is '" + override_path + "', which does not exist");
    return describe(*path);
  }
  std::string versioned = name + "-" + std::to_string(toolchain.c_compiler.major);
  for (const fs::path& candidate : {toolchain.llvm_bin_dir / name, fs::path("/usr/lib/llvm-" +
                                     std::to_string(toolchain.c_compiler.major) + "/bin/" + name)}) {
    if (access(candidate.c_str(), X_OK) == 0) return describe(candidate);
  }
  if (std::optional<fs::path> path = find_program(versioned)) return describe(*path);
  std::string package = name == "llvm-profdata" ? "llvm-" : "bolt-";
  fail_input(name + " from LLVM " + std::to_string(toolchain.c_compiler.major) + " was not found (looked in " +
             toolchain.llvm_bin_dir.string() + " and for " + versioned + " on PATH); install the Debian package " +
             package + std::to_string(toolchain.c_compiler.major) + " (scripts/setup does) or set tools." +
             (name == "llvm-profdata" ? "llvm_profdata" : name == "llvm-bolt" ? "llvm_bolt" : "merge_fdata") +
             " in hone.yaml");
}

void check_same_llvm(const Toolchain& toolchain, const Tool& tool, const std::string& name, const std::string& key) {
  if (tool.major == toolchain.c_compiler.major) return;
  std::string tool_version = tool.version.empty() ? "an unknown LLVM version" : "LLVM " + tool.version;
  fail_input("version mismatch: " + name + " (" + tool.path.string() + ") is " + tool_version + " but the compiler (" +
             toolchain.c_compiler.path.string() + ") is LLVM " + toolchain.c_compiler.version +
             "; profiles written by one LLVM release cannot be read by another's tools. Use the " + name +
             " from " + toolchain.llvm_bin_dir.string() + " (remove " + key + " from hone.yaml, or point it there)");
}

} // namespace hone::pgo
