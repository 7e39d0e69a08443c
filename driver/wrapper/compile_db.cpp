// The database is rewritten whole under an exclusive lock on a sibling ".lock" file: read, replace or
// append this call's entries, write a temporary file, rename it over the database. Readers that do not
// take the lock (an editor, clangd) still only ever see a complete file, thanks to the rename.
#include "driver/wrapper/compile_db.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "driver/wrapper/paths.h"
#include "support/atomic_file.h"

namespace hone::wrapper {
namespace {

std::string current_directory() {
  char buffer[PATH_MAX];
  return getcwd(buffer, sizeof(buffer)) ? buffer : ".";
}

// An exclusive flock held for the lifetime of the object.
class FileLock {
public:
  explicit FileLock(const std::string& path) : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666)) {
    if (fd_ >= 0) {
      while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool locked() const { return fd_ >= 0; }

private:
  int fd_;
};

} // namespace

std::string record_compile(const std::string& database,
                           const std::vector<std::string>& command,
                           const Classification& call) {
  if (call.kind != CallKind::compile && call.kind != CallKind::compile_and_link) return {};
  std::string directory = current_directory();

  FileLock lock(database + ".lock");
  if (!lock.locked()) return "cannot lock " + database + ".lock: " + std::strerror(errno);

  nlohmann::json entries = nlohmann::json::array();
  if (std::ifstream in(database); in) {
    std::stringstream text;
    text << in.rdbuf();
    if (!text.str().empty()) {
      entries = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
      if (!entries.is_array()) return database + " is not a JSON array; remove it or choose another HONE_COMPILE_DB";
    }
  }
  for (const std::string& source : call.sources) {
    if (source == "-") continue;
    nlohmann::json entry = {{"directory", directory}, {"file", source}, {"arguments", command}};
    if (!call.output.empty()) entry["output"] = call.output;
    bool replaced = false;
    for (nlohmann::json& existing : entries) {
      if (existing.value("directory", "") == directory && existing.value("file", "") == source &&
          existing.value("output", "") == call.output) {
        existing = entry;
        replaced = true;
        break;
      }
    }
    if (!replaced) entries.push_back(std::move(entry));
  }
  // An exclusive, randomly named temporary (never a predictable name a symlink could be planted at);
  // temporaries of writers killed before their rename are removed here, under the lock.
  support::AtomicWriteOptions options;
  options.create_parent_directories = true;
  options.remove_stale_temporaries = true;
  return support::write_file_atomically(database, entries.dump(2) + "\n", options);
}

} // namespace hone::wrapper
