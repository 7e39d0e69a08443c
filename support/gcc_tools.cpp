// The GCC tool lookup rule (see gcc_tools.h). Candidates are built in rule order; the first one whose
// --version names the compiler's major release wins, and everything tried is kept for messages.
#include "support/gcc_tools.h"

#include <cctype>
#include <cstdlib>
#include <unistd.h>

#include "support/llvm_tools.h"
#include "support/process.h"

namespace hone::support {

std::string parse_gnu_version(std::string_view version_text) {
  // GNU tools print "NAME (PKGVERSION) VERSION" first: "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
  // "gcc (GCC) 13.2.1 20231011 (Red Hat 13.2.1-4)". The version is the word after the package's ")".
  const std::string_view line = version_text.substr(0, version_text.find('\n'));
  size_t at = line.find(") ");
  at = at == std::string_view::npos ? line.find_last_of(' ') : at + 1;
  if (at == std::string_view::npos) return "";
  while (at < line.size() && line[at] == ' ') ++at;
  size_t end = at;
  while (end < line.size() && (std::isdigit(static_cast<unsigned char>(line[end])) || line[end] == '.')) ++end;
  return std::string(line.substr(at, end - at));
}

GccToolLookup find_gcc_tool(std::string_view name, const std::string& compiler, int major) {
  const size_t slash = compiler.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : compiler.substr(0, slash);
  const std::string base = slash == std::string::npos ? compiler : compiler.substr(slash + 1);
  const std::string versioned = std::string(name) + "-" + std::to_string(major);
  std::vector<std::string> candidates;
  for (const char* driver : {"g++", "gcc", "cc"}) {
    if (size_t at = base.rfind(driver); at != std::string::npos) {
      candidates.push_back(folder + "/" + base.substr(0, at) + std::string(name) +
                           base.substr(at + std::string_view(driver).size()));
      break;
    }
  }
  candidates.push_back(folder + "/" + versioned);
  for (const std::string& program : {versioned, std::string(name)})
    if (std::string found = find_executable(program, std::getenv("PATH")); !found.empty()) candidates.push_back(found);
  GccToolLookup result;
  for (const std::string& candidate : candidates) {
    bool seen = false;
    for (const std::string& before : result.looked_at) seen = seen || before == candidate;
    if (seen) continue;
    result.looked_at.push_back(candidate);
    if (access(candidate.c_str(), X_OK) != 0) continue;
    const std::string version = parse_gnu_version(version_output(candidate));
    if (std::atoi(version.c_str()) == major) {
      result.path = candidate;
      result.version = version;
      return result;
    }
    if (result.other_release_path.empty()) {
      result.other_release_path = candidate;
      result.other_release_version = version;
    }
  }
  return result;
}

std::string gcc_tools_package(int major) {
  return "gcc-" + std::to_string(major);
}

}  // namespace hone::support
