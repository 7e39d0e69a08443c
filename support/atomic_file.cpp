// Atomic files and private temporaries (the contract is in atomic_file.h).
//
// Everything is plain POSIX on file descriptors: the `hone` wrapper calls write_file_atomically on every
// recorded compile, so there is no std::filesystem (its exceptions, its extra stats) on this path. Folder
// walks use the *at() calls on descriptors opened with O_NOFOLLOW, so a symlink swapped in during a walk
// is seen as what it is (a link to unlink) instead of being followed out of the tree. Random names come
// from getrandom(2); when that is unavailable, from the clock, the pid and a counter, which is enough
// because O_EXCL, not the name, is what makes creation safe.
#include "support/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace hone::support {
namespace {

constexpr std::string_view k_name_alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::size_t k_random_length = 8;
constexpr std::string_view k_temporary_suffix = ".tmp";
// Name clashes are astronomically rare with 36^8 names; a long run of them means something is wrong.
constexpr int k_name_attempts = 64;
// Deeper trees than this in a scratch folder are not hone's; stop instead of exhausting the stack.
constexpr int k_max_tree_depth = 128;

std::string error_text(int error) {
  return std::strerror(error);
}

std::string random_name_part() {
  unsigned char bytes[k_random_length];
  if (getrandom(bytes, sizeof(bytes), GRND_NONBLOCK) != static_cast<ssize_t>(sizeof(bytes))) {
    static std::atomic<std::uint64_t> counter{0};
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    std::uint64_t mix = static_cast<std::uint64_t>(now.tv_nsec) ^ (static_cast<std::uint64_t>(now.tv_sec) << 20) ^
                        (static_cast<std::uint64_t>(getpid()) << 40) ^ (counter.fetch_add(1) * 0x9e3779b97f4a7c15ULL);
    for (unsigned char& byte : bytes) {
      mix = mix * 6364136223846793005ULL + 1442695040888963407ULL;
      byte = static_cast<unsigned char>(mix >> 56);
    }
  }
  std::string part(k_random_length, '0');
  for (std::size_t i = 0; i < k_random_length; ++i) part[i] = k_name_alphabet[bytes[i] % k_name_alphabet.size()];
  return part;
}

// "dir" of "dir/name"; "." for a bare name; "/" for "/name".
std::string folder_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string_view name_of(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool write_all(int fd, std::string_view content, int& error) {
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t count = write(fd, content.data() + written, content.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      error = count < 0 ? errno : ENOSPC;
      return false;
    }
    written += static_cast<std::size_t>(count);
  }
  return true;
}

// open_exclusive with the errno value instead of its text (0 on success).
int open_exclusive_errno(const std::string& path, mode_t mode, int& fd) {
  do {
    fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd >= 0 ? 0 : errno;
}

// Removes everything inside the open folder `folder_fd` (not the folder itself). Returns "" or the first
// error text.
std::string remove_inside(int folder_fd, const std::string& shown_path, int depth) {
  if (depth > k_max_tree_depth) return shown_path + ": folders nested too deep";
  // A descriptor of its own for readdir, so the walk's position is not shared with folder_fd.
  int listing_fd = openat(folder_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* listing = listing_fd >= 0 ? fdopendir(listing_fd) : nullptr;
  if (!listing) {
    int error = errno;
    if (listing_fd >= 0) close(listing_fd);
    return shown_path + ": " + error_text(error);
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(listing)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  closedir(listing);

  std::string first_error;
  auto note = [&](const std::string& text) {
    if (first_error.empty()) first_error = text;
  };
  for (const std::string& name : names) {
    std::string shown = shown_path + "/" + name;
    struct stat status{};
    if (fstatat(folder_fd, name.c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) note(shown + ": " + error_text(errno));
      continue;
    }
    if (!S_ISDIR(status.st_mode)) {
      if (unlinkat(folder_fd, name.c_str(), 0) != 0 && errno != ENOENT) note(shown + ": " + error_text(errno));
      continue;
    }
    // O_NOFOLLOW: if the folder was swapped for a symlink since fstatat, this fails instead of leaving the tree.
    int child = openat(folder_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (child < 0) {
      note(shown + ": " + error_text(errno));
      continue;
    }
    std::string inner = remove_inside(child, shown, depth + 1);
    close(child);
    if (!inner.empty()) note(inner);
    if (unlinkat(folder_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) note(shown + ": " + error_text(errno));
  }
  return first_error;
}

}  // namespace

std::string open_exclusive(const std::string& path, mode_t mode, int& fd) {
  int error = open_exclusive_errno(path, mode, fd);
  return error == 0 ? std::string() : error_text(error);
}

std::string create_temporary_beside(const std::string& target, mode_t mode, int& fd, std::string& path) {
  int error = 0;
  for (int attempt = 0; attempt < k_name_attempts; ++attempt) {
    path = target + "." + random_name_part() + std::string(k_temporary_suffix);
    error = open_exclusive_errno(path, mode, fd);
    if (error != EEXIST) break;
  }
  if (error == 0) return {};
  path.clear();
  return "cannot create a temporary file in " + folder_of(target) + ": " + error_text(error);
}

bool is_temporary_name_of(std::string_view target_name, std::string_view name) {
  const std::size_t expected = target_name.size() + 1 + k_random_length + k_temporary_suffix.size();
  if (target_name.empty() || name.size() != expected || !name.starts_with(target_name) ||
      name[target_name.size()] != '.' || !name.ends_with(k_temporary_suffix))
    return false;
  std::string_view random = name.substr(target_name.size() + 1, k_random_length);
  return random.find_first_not_of(k_name_alphabet) == std::string_view::npos;
}

std::size_t remove_stale_temporaries(const std::string& target, std::chrono::seconds max_age) {
  std::string folder = folder_of(target);
  std::string_view target_name = name_of(target);
  int folder_fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd < 0) return 0;
  int listing_fd = dup(folder_fd);
  DIR* listing = listing_fd >= 0 ? fdopendir(listing_fd) : nullptr;
  if (!listing) {
    if (listing_fd >= 0) close(listing_fd);
    close(folder_fd);
    return 0;
  }
  const time_t newest_stale = time(nullptr) - static_cast<time_t>(max_age.count());
  const uid_t me = geteuid();
  std::size_t removed = 0;
  while (const dirent* entry = readdir(listing)) {
    if (!is_temporary_name_of(target_name, entry->d_name)) continue;
    struct stat status{};
    if (fstatat(folder_fd, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(status.st_mode) || status.st_uid != me || status.st_mtime > newest_stale) continue;
    if (unlinkat(folder_fd, entry->d_name, 0) == 0) ++removed;
  }
  closedir(listing);
  close(folder_fd);
  return removed;
}

std::string make_directories(const std::string& directory) {
  if (directory.empty()) return "cannot create a folder with an empty name";
  struct stat status{};
  if (stat(directory.c_str(), &status) == 0)
    return S_ISDIR(status.st_mode) ? std::string() : "cannot create " + directory + ": it exists and is not a folder";
  std::size_t slash = directory.find_last_not_of('/');
  slash = slash == std::string::npos ? std::string::npos : directory.rfind('/', slash);
  if (slash != std::string::npos && slash > 0) {
    std::string parent_error = make_directories(directory.substr(0, slash));
    if (!parent_error.empty()) return parent_error;
  }
  if (mkdir(directory.c_str(), 0777) == 0) return {};
  // EEXIST: a parallel writer made it first; fine if it is a folder.
  if (errno == EEXIST && stat(directory.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) return {};
  return "cannot create " + directory + ": " + error_text(errno);
}

std::string write_file_atomically(const std::string& target, std::string_view content,
                                  const AtomicWriteOptions& options) {
  const std::string failure = "cannot write " + target + ": ";
  if (options.create_parent_directories) {
    std::string error = make_directories(folder_of(target));
    if (!error.empty()) return failure + error;
  }
  if (options.remove_stale_temporaries) remove_stale_temporaries(target);

  int fd = -1;
  std::string temporary;
  std::string error = create_temporary_beside(target, options.mode, fd, temporary);
  if (!error.empty()) return failure + error;

  // Every later step either commits with rename or removes the temporary; errno is saved first.
  auto abandon = [&](const char* step, int saved_errno) {
    if (fd >= 0) close(fd);
    unlink(temporary.c_str());
    return failure + step + error_text(saved_errno);
  };
  struct stat status{};
  if (options.keep_target_permissions && stat(target.c_str(), &status) == 0 && fchmod(fd, status.st_mode & 07777) != 0)
    return abandon("cannot set the permissions of the temporary file: ", errno);
  int write_error = 0;
  if (!write_all(fd, content, write_error)) return abandon("", write_error);
  if (options.sync && fsync(fd) != 0) return abandon("fsync: ", errno);
  // close() reports delayed write errors on some file systems (NFS); a failed close must not commit.
  int closed = close(fd);
  fd = -1;
  if (closed != 0) return abandon("", errno);
  if (rename(temporary.c_str(), target.c_str()) != 0)
    return abandon("cannot rename the temporary file over it: ", errno);
  return {};
}

std::string remove_tree(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return "cannot remove " + path + ": " + error_text(errno);
  std::string error = remove_inside(fd, path, 0);
  close(fd);
  if (!error.empty()) return "cannot remove " + error;
  if (rmdir(path.c_str()) != 0) return "cannot remove " + path + ": " + error_text(errno);
  return {};
}

std::string temporary_root() {
  const char* variable = std::getenv("TMPDIR");
  if (variable != nullptr && variable[0] == '/') return variable;
  return "/tmp";
}

std::string make_temporary_directory(std::string_view prefix, std::string& path) {
  std::string root = temporary_root();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::string pattern = (root == "/" ? "" : root) + "/" + std::string(prefix) + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    path.clear();
    return "cannot create a temporary folder in " + root + ": " + error_text(errno);
  }
  path = std::move(pattern);
  return {};
}

TemporaryDirectory::TemporaryDirectory(std::string_view prefix) {
  error_ = make_temporary_directory(prefix, path_);
}

TemporaryDirectory::~TemporaryDirectory() {
  if (!path_.empty()) remove_tree(path_);
}

}  // namespace hone::support
