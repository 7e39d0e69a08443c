// Finding and exec'ing helper executables. They are looked up next to the real path of the running
// `hone` (the build tree's bin/ folder, or an installation's bin/), then in ../libexec/hone, so a
// masquerade symlink or a PATH entry pointing at hone never changes which helpers run.
#include "driver/subcommand_exec.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "support/contracts.h"

namespace hone {
namespace {

std::string own_directory() {
  char buffer[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (length <= 0) return ".";
  std::string path(buffer, static_cast<size_t>(length));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::string helper_executable(std::string_view name) {
  const std::string directory = own_directory();
  const std::string executable(name);
  for (const std::string& candidate : {directory + "/" + executable, directory + "/../libexec/hone/" + executable})
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  return "";
}

int exec_external_command(const Command& command, int argc, char** argv) {
  std::string directory = own_directory();
  std::string executable(command.executable);
  std::string candidate = helper_executable(executable);
  if (!candidate.empty()) {
    std::vector<char*> arguments;
    arguments.push_back(candidate.data());
    std::string leading(command.leading_argument);
    if (!leading.empty()) arguments.push_back(leading.data());
    for (int i = 0; i < argc; ++i) arguments.push_back(argv[i]);
    arguments.push_back(nullptr);
    execv(candidate.c_str(), arguments.data());
    std::fprintf(stderr, "hone: error: cannot run %s: %s\n", candidate.c_str(), std::strerror(errno));
    return support::k_exit_usage;
  }
  std::fprintf(stderr,
               "hone: error: 'hone %.*s' needs the helper executable '%s', which is not installed beside "
               "%s/hone; rebuild hone (cmake --build) or reinstall it\n",
               static_cast<int>(command.name.size()), command.name.data(), executable.c_str(), directory.c_str());
  return support::k_exit_usage;
}

}  // namespace hone
