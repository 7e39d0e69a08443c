// Path helpers built directly on POSIX calls: the wrapper runs on every compile, so it avoids
// std::filesystem's exceptions and allocations where a syscall answers the question. Files shared with
// parallel compiles are written with support/atomic_file.h.
#include "driver/wrapper/paths.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/atomic_file.h"

namespace hone::wrapper {

std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (!realpath(path.c_str(), buffer)) return {};
  return buffer;
}

std::string self_executable() {
  char buffer[PATH_MAX];
  ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (length <= 0) return {};
  return std::string(buffer, static_cast<size_t>(length));
}

std::string find_in_path(const std::string& name, const std::string& skip_real_path) {
  const char* path_variable = std::getenv("PATH");
  std::string path = path_variable ? path_variable : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    // One expression: g++ 12 warns falsely (-Wrestrict) when "." is assigned to the string afterwards.
    std::string directory = end == start ? std::string(".") : path.substr(start, end - start);
    std::string candidate = directory + "/" + name;
    struct stat status {};
    if (stat(candidate.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(candidate.c_str(), X_OK) == 0) {
      if (skip_real_path.empty() || real_path(candidate) != skip_real_path) return candidate;
    }
    start = end + 1;
  }
  return {};
}

bool access_executable(const std::string& path) {
  struct stat status {};
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(path.c_str(), X_OK) == 0;
}

bool make_directories(const std::string& directory) { return support::make_directories(directory).empty(); }

} // namespace hone::wrapper
