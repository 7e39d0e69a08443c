// Path helpers built directly on POSIX calls: the wrapper runs on every compile, so it avoids
// std::filesystem's exceptions and allocations where a syscall answers the question.
#include "driver/wrapper/paths.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    std::string directory = path.substr(start, end - start);
    if (directory.empty()) directory = ".";
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

bool make_directories(const std::string& directory) {
  if (directory.empty()) return false;
  struct stat status {};
  if (stat(directory.c_str(), &status) == 0) return S_ISDIR(status.st_mode);
  size_t slash = directory.rfind('/');
  if (slash != std::string::npos && slash > 0) make_directories(directory.substr(0, slash));
  return mkdir(directory.c_str(), 0777) == 0 || errno == EEXIST;
}

bool write_file_atomically(const std::string& path, const std::string& content) {
  size_t slash = path.rfind('/');
  if (slash != std::string::npos && !make_directories(path.substr(0, slash))) return false;
  std::string temporary = path + ".tmp." + std::to_string(getpid());
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return false;
  size_t written = 0;
  while (written < content.size()) {
    ssize_t count = write(fd, content.data() + written, content.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    written += static_cast<size_t>(count);
  }
  bool ok = written == content.size();
  ok = close(fd) == 0 && ok;
  if (ok && rename(temporary.c_str(), path.c_str()) == 0) return true;
  unlink(temporary.c_str());
  return false;
}

} // namespace hone::wrapper
