// The LLVM tool lookup rule and version parsing (see llvm_tools.h). Candidates are built in rule order
// and the first executable one wins; everything tried is kept so a message can say where hone looked.
#include "support/llvm_tools.h"

#include <cctype>
#include <climits>
#include <cstdlib>
#include <unistd.h>

#include "support/paths.h"
#include "support/process.h"

#ifndef HONE_DEFAULT_LLVM_BIN_DIR
#define HONE_DEFAULT_LLVM_BIN_DIR "/usr/lib/llvm-19/bin"
#endif

namespace hone::support {
namespace {

const char* process_environment(const char* name) {
  return std::getenv(name);
}

bool executable_file(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

std::string parent_folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// The folder of the real file behind `compiler` (a name is looked up on PATH), "" when there is none.
std::string compiler_folder(std::string_view compiler) {
  if (compiler.empty()) return {};
  const std::string found = find_executable(compiler, std::getenv("PATH"));
  char resolved[PATH_MAX];
  if (found.empty() || realpath(found.c_str(), resolved) == nullptr) return {};
  return parent_folder(resolved);
}

// "N.N[.N]" at the start of `text` after spaces, "" when there is none.
std::string leading_version(std::string_view text) {
  size_t i = text.find_first_not_of(' ');
  if (i == std::string_view::npos || !std::isdigit(static_cast<unsigned char>(text[i]))) return {};
  size_t end = i;
  int dots = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                               (text[end] == '.' && dots < 2 && end + 1 < text.size() &&
                                std::isdigit(static_cast<unsigned char>(text[end + 1]))))) {
    if (text[end] == '.') ++dots;
    ++end;
  }
  return dots == 0 ? std::string() : std::string(text.substr(i, end - i));
}

}  // namespace

std::string llvm_bin_dir(std::string_view compiler, EnvironmentLookup lookup) {
  if (lookup == nullptr) lookup = process_environment;
  if (const char* folder = lookup(k_env_llvm_bin_dir); folder != nullptr && *folder != '\0') return folder;
  if (std::string folder = compiler_folder(compiler); !folder.empty()) return folder;
  return HONE_DEFAULT_LLVM_BIN_DIR;
}

LlvmToolLookup find_llvm_tool(const LlvmToolRequest& request, EnvironmentLookup lookup) {
  if (lookup == nullptr) lookup = process_environment;
  LlvmToolLookup result;
  if (!request.explicit_path.empty()) {
    result.looked_in.push_back(request.explicit_path);
    result.path = find_executable(request.explicit_path, std::getenv("PATH"));
    if (!executable_file(result.path)) result.path.clear();
    return result;
  }
  if (const char* folder = lookup(k_env_llvm_bin_dir); folder != nullptr && *folder != '\0') {
    result.from_environment = true;
    result.looked_in.push_back(folder);
    if (std::string candidate = absolute_in(folder, request.name); executable_file(candidate)) result.path = candidate;
    return result;
  }
  std::vector<std::string> folders;
  if (std::string beside = compiler_folder(request.compiler); !beside.empty()) folders.push_back(beside);
  folders.push_back(request.major > 0 ? "/usr/lib/llvm-" + std::to_string(request.major) + "/bin"
                                      : std::string(HONE_DEFAULT_LLVM_BIN_DIR));
  for (const std::string& folder : folders) {
    if (!result.looked_in.empty() && result.looked_in.back() == folder) continue;
    result.looked_in.push_back(folder);
    if (std::string candidate = folder + "/" + request.name; executable_file(candidate)) {
      result.path = candidate;
      return result;
    }
  }
  if (request.major > 0) {
    const std::string versioned = request.name + "-" + std::to_string(request.major);
    result.looked_in.push_back(versioned + " on PATH");
    result.path = find_executable(versioned, std::getenv("PATH"));
  }
  return result;
}

std::string parse_llvm_version(std::string_view text) {
  for (std::string_view marker : {"version ", "LLD "}) {
    for (size_t at = text.find(marker); at != std::string_view::npos; at = text.find(marker, at + 1)) {
      if (std::string version = leading_version(text.substr(at + marker.size())); !version.empty()) return version;
    }
  }
  return {};
}

std::string version_output(const std::string& path, const char* subcommand) {
  ProcessSpec spec;
  spec.argv = {path};
  if (subcommand != nullptr) spec.argv.push_back(subcommand);
  spec.argv.push_back("--version");
  spec.stdin_from_null = true;
  spec.stdout_sink = Sink::capture;
  spec.stderr_sink = Sink::discard;
  spec.timeout_seconds = 30;
  const Outcome outcome = run(spec);
  return outcome.started ? outcome.stdout_text : std::string();
}

LlvmVersion llvm_tool_version(const std::string& path) {
  LlvmVersion version;
  version.text = parse_llvm_version(version_output(path));
  if (version.text.empty() && base_name(path).starts_with("llvm-profdata")) {
    version.text = parse_llvm_version(version_output(path, "merge"));
  }
  version.major = std::atoi(version.text.c_str());
  return version;
}

}  // namespace hone::support
