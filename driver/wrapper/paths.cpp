// Path helpers built directly on POSIX calls: the wrapper runs on every compile, so it avoids
// std::filesystem's exceptions and allocations where a syscall answers the question. Files shared with
// parallel compiles are written with support/atomic_file.h.
#include "driver/wrapper/paths.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "support/atomic_file.h"
#include "support/contracts.h"
#include "support/paths.h"

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
    struct stat status{};
    if (stat(candidate.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(candidate.c_str(), X_OK) == 0) {
      if (skip_real_path.empty() || real_path(candidate) != skip_real_path) return candidate;
    }
    start = end + 1;
  }
  return {};
}

bool access_executable(const std::string& path) {
  struct stat status{};
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(path.c_str(), X_OK) == 0;
}

bool make_directories(const std::string& directory) {
  return support::make_directories(directory).empty();
}

namespace {

// Below this much free space a record is not asked for: clang stops with "IO failure on output stream"
// (a crash) when its record cannot be written, and a big unit's record takes tens of megabytes.
constexpr unsigned long long k_record_free_space = 64ull << 20;

// The ':'-separated parts of `text` as views into it (no copies: this runs on every masquerade call).
// An empty part of PATH is the working directory, "."; empty parts of other lists are dropped.
std::vector<std::string_view> split_colons(std::string_view text, bool empty_is_dot) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find(':', start), text.size());
    if (end > start)
      parts.push_back(text.substr(start, end - start));
    else if (empty_is_dot && !text.empty())
      parts.push_back(".");
    start = end + 1;
  }
  return parts;
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool is_executable_file(const std::string& path, struct stat& status) {
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(path.c_str(), X_OK) == 0;
}

// What PATH folder `folder` holds under `name`, as hone's masquerade sees it.
enum class FolderRole { nothing, hone, launcher, compiler };

FolderRole role_of(const std::string& candidate, const struct stat& self, std::string& resolved) {
  struct stat status{};
  if (!is_executable_file(candidate, status)) return FolderRole::nothing;
  resolved = real_path(candidate);
  std::string_view program = support::base_name(resolved);
  if (same_file(status, self) || program == "hone") return FolderRole::hone;
  return support::is_launcher(program) ? FolderRole::launcher : FolderRole::compiler;
}

}  // namespace

MasqueradeTarget find_masquerade_target(const std::string& name, const std::string& invoked_as,
                                        const std::string& passed_before) {
  MasqueradeTarget target;
  struct stat self{};
  stat("/proc/self/exe", &self);
  const char* path_variable = std::getenv("PATH");
  const std::vector<std::string_view> folders =
      split_colons(path_variable ? path_variable : "/usr/local/bin:/usr/bin:/bin", true);
  const std::vector<std::string_view> passed = split_colons(passed_before, false);
  auto was_passed = [&](std::string_view folder) {
    return std::find(passed.begin(), passed.end(), folder) != passed.end();
  };
  std::string candidate;  // one buffer for every "<folder>/<name>" and folder tried
  auto in_folder = [&](std::string_view folder, bool with_name) -> const std::string& {
    candidate.assign(folder);
    if (with_name) candidate.append("/").append(name);
    return candidate;
  };
  // hone's own folder: the one it was started from, else the first holding hone under this name.
  size_t start = 0;
  struct stat own_folder{};
  bool by_path = invoked_as.find('/') != std::string::npos &&
                 stat(invoked_as.substr(0, invoked_as.rfind('/') + 1).c_str(), &own_folder) == 0;
  for (size_t i = 0; i < folders.size() && !invoked_as.empty(); ++i) {
    struct stat status{};
    bool own = by_path ? stat(in_folder(folders[i], false).c_str(), &status) == 0 && same_file(status, own_folder)
                       : is_executable_file(in_folder(folders[i], true), status) && same_file(status, self);
    if (own) {
      start = i + 1;
      target.explained.push_back(std::string(folders[i]) + " (hone, where the search starts)");
      break;
    }
  }
  target.passed = passed_before;
  auto pass = [&](std::string_view folder) {
    if (!was_passed(folder)) target.passed.append(target.passed.empty() ? "" : ":").append(folder);
  };
  if (start > 0) pass(folders[start - 1]);
  for (size_t i = start; i < folders.size() && target.compiler.empty(); ++i) {
    const std::string_view folder = folders[i];
    std::string resolved;
    FolderRole role = role_of(in_folder(folder, true), self, resolved);
    if (role == FolderRole::nothing) continue;
    pass(folder);
    if (was_passed(folder)) {
      target.explained.push_back(std::string(folder) + " (already passed by hone for this compile)");
    } else if (role == FolderRole::hone) {
      target.explained.push_back(std::string(folder) + " (hone)");
    } else if (role == FolderRole::launcher) {
      target.explained.push_back(std::string(folder) + " (" + std::string(support::base_name(resolved)) +
                                 "'s masquerade folder)");
      if (target.launcher.empty()) target.launcher = resolved;
    } else {
      target.compiler = candidate;
    }
  }
  return target;
}

std::string masquerade_owner(const std::string& candidate) {
  struct stat self{};
  stat("/proc/self/exe", &self);
  std::string resolved;
  switch (role_of(candidate, self, resolved)) {
    case FolderRole::hone: return "hone";
    case FolderRole::launcher: return std::string(support::base_name(resolved));
    default: return {};
  }
}

std::string clang_profile_problem(const std::string& path) {
  // llvm/ProfileData/InstrProf.h: the indexed magic 0x8169666f72706cff and the raw one
  // 0xff6c70726f665281 (x86-64 little endian; "\xfflprofi\x81" and "\x81rforpl\xff" on disk).
  static const unsigned char indexed[8] = {0xff, 0x6c, 0x70, 0x72, 0x6f, 0x66, 0x69, 0x81};
  static const unsigned char raw[8] = {0x81, 0x72, 0x66, 0x6f, 0x72, 0x70, 0x6c, 0xff};
  struct stat status{};
  if (stat(path.c_str(), &status) != 0) return "does not exist";
  if (S_ISDIR(status.st_mode))
    return "is a folder, not a clang .profdata file (GCC reads a folder; clang one merged file)";
  unsigned char magic[8] = {};
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string("cannot be read: ") + std::strerror(errno);
  ssize_t count = read(fd, magic, sizeof(magic));
  close(fd);
  if (count == 8 && std::memcmp(magic, indexed, 8) == 0) return {};
  if (count == 8 && std::memcmp(magic, raw, 8) == 0) {
    return "is a raw profile (.profraw); merge it first: llvm-profdata merge -o FILE.profdata " + path;
  }
  return "is not an indexed clang profile (no .profdata magic); make one with llvm-profdata merge";
}

std::string gcc_profile_problem(const std::string& path) {
  struct stat status{};
  if (stat(path.c_str(), &status) != 0) return "does not exist";
  return S_ISDIR(status.st_mode) ? std::string{}
                                 : "is not a folder of .gcda files (GCC reads a folder; a .profdata file is clang's)";
}

std::string record_file_problem(const std::string& path) {
  std::string prefix = "HONE_REMARKS_DIR: the optimization record " + path;
  struct stat status{};
  if (lstat(path.c_str(), &status) == 0) {
    if (!S_ISREG(status.st_mode)) return prefix + " exists and is not a regular file";
    if (access(path.c_str(), W_OK) != 0) return prefix + " is not writable: " + std::strerror(errno);
    if (status.st_uid != geteuid()) return prefix + " belongs to another user";
  }
  struct statvfs space{};
  std::string folder = path.substr(0, path.rfind('/') + 1);
  if (statvfs(folder.empty() ? "." : folder.c_str(), &space) == 0 &&
      static_cast<unsigned long long>(space.f_bavail) * space.f_frsize < k_record_free_space) {
    return "HONE_REMARKS_DIR=" + folder + " has less than 64 MiB free";
  }
  return {};
}

}  // namespace hone::wrapper
