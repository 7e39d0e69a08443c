// Owning the work folder. A mistaken work_dir must never make hone write among the user's files or, on
// `hone pgo clean`, delete them, so:
//
//  - config.cpp refuses `/`, $HOME, the project folder, its source folder and any folder above them,
//    and a path that exists but is not a folder (unsafe_work_dir_reason).
//  - hone creates the work folder itself, or takes one that is empty; a folder that holds anything and
//    lacks hone's marker is refused before anything is written into it.
//  - The marker, HONE_WORK_DIR, is the work folder's own manifest: the entries hone made at its top
//    (one folder per stage, the lock file), recorded before they are made. Everything inside a stage
//    folder is hone's. `clean` removes exactly the recorded entries (never following a symlink), then
//    the marker and the lock, then the folder if that left it empty; anything else stays and is named.
//
// One run at a time: every command that writes (the stages, `merge --add`, `clean`) holds an flock(2)
// on hone-pgo.lock for its whole life, and a second one is refused with the first one's pid (which it
// wrote into the file). The kernel drops the lock when its holder dies however it dies, SIGKILL
// included, so a killed run never blocks the next; the file's content is only ever a hint for the
// message. The descriptor is close-on-exec: builds and workloads do not hold the lock.
#include "pgo/work_folder.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/file.h>
#include <unistd.h>

#include "pgo/error.h"
#include "pgo/manifest.h"
#include "pgo/pipeline.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// The top-level entries this configuration's runs make: a folder per stage (merge also for imports)
// and the lock file.
std::set<std::string> entries_of(const Config& config) {
  std::set<std::string> entries = {"merge", k_work_lock};
  for (const std::string& stage : plan(config)) entries.insert(stage);
  return entries;
}

// The entries a marker lists. A marker from an older hone (plain text) or a damaged one lists hone's
// standard entries, which is what such a folder holds.
std::set<std::string> read_marker(const Config& config) {
  std::ifstream in(config.work_dir / k_work_marker);
  nlohmann::json marker = nlohmann::json::parse(in, nullptr, false);
  std::set<std::string> entries;
  if (marker.is_object() && marker.contains("entries") && marker["entries"].is_array()) {
    for (const auto& entry : marker["entries"]) {
      std::string name = entry.is_string() ? entry.get<std::string>() : "";
      // Only plain names of the folder's own entries: nothing outside it, never the marker itself.
      if (!name.empty() && name != "." && name != ".." && name != k_work_marker && name.find('/') == std::string::npos)
        entries.insert(name);
    }
    return entries;
  }
  Config every_stage = config;
  every_stage.bolt = true;
  every_stage.pgo_kind = PgoKind::cs;
  entries = entries_of(every_stage);
  entries.insert("info.tmp");  // an older `hone pgo info`'s scratch file
  return entries;
}

void write_marker(const Config& config, const std::set<std::string>& entries) {
  nlohmann::json marker = {{"created_by", "hone pgo"},
                           {"config", config.file.string()},
                           {"note", "hone pgo's work folder: 'hone pgo clean' removes the entries listed here"},
                           {"entries", entries}};
  write_file_atomically(config.work_dir / k_work_marker, marker.dump(2) + "\n");
}

// The names in `folder` other than `ignored`, sorted, for messages.
std::vector<std::string> names_in(const fs::path& folder, const std::set<std::string>& ignored) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error))
    if (!ignored.count(entry.path().filename().string())) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string list_of(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < 5; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > 5) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

// Opens and locks hone-pgo.lock; a run that holds it already is named in the error.
int lock_work_folder(const Config& config) {
  fs::path file = config.work_dir / k_work_lock;
  int fd = open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) fail_job("cannot open the lock file " + file.string() + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    char text[32] = {};
    ssize_t length = pread(fd, text, sizeof(text) - 1, 0);
    close(fd);
    if (error != EWOULDBLOCK) fail_job("cannot lock " + file.string() + ": " + std::strerror(error));
    std::string pid = length > 0 ? std::string(text, static_cast<size_t>(length)) : "";
    pid = pid.substr(0, pid.find_first_not_of("0123456789"));
    fail_job("another hone pgo (pid " + (pid.empty() ? std::string("unknown") : pid) + ") is using the work folder " +
             config.work_dir.string() + "; wait for it to finish or stop it, then run this again");
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    // The pid is only for the other run's message; the lock itself is held.
  }
  return fd;
}

void refuse_unsafe(const Config& config) {
  std::string unsafe = unsafe_work_dir_reason(config);
  if (!unsafe.empty()) fail_input(config.work_dir_location + ": " + unsafe);
}

// Removes one recorded entry: a folder with everything in it (symlinks inside are removed, never
// followed), or a file or symlink itself.
std::string remove_entry(const fs::path& path) {
  std::error_code error;
  fs::file_status status = fs::symlink_status(path, error);
  if (!fs::exists(status)) return "";
  if (fs::is_directory(status)) return support::remove_tree(path.string());
  if (!fs::remove(path, error)) return "cannot remove " + path.string() + ": " + error.message();
  return "";
}

}  // namespace

WorkFolder WorkFolder::take(const Config& config) {
  refuse_unsafe(config);
  const fs::path& work = config.work_dir;
  std::error_code error;
  auto has_marker = [&] { return fs::exists(fs::symlink_status(work / k_work_marker, error)); };
  if (!fs::exists(fs::symlink_status(work, error))) {
    std::string made = support::make_directories(work.string());
    if (!made.empty()) fail_job("cannot create the work folder: " + made);
  } else {
    // Only an empty folder is taken. Hone's own traces of a run taking it at this moment (the lock, a
    // marker being written) do not count; the marker is looked for after the listing because hone
    // writes it before anything else, so a hone entry in the listing means the marker is there.
    std::vector<std::string> others = names_in(work, {k_work_lock});
    std::erase_if(others, [](const std::string& name) { return support::is_temporary_name_of(k_work_marker, name); });
    if (!others.empty() && !has_marker())
      fail_input(config.work_dir_location + ": work_dir '" + work.string() +
                 "' already exists and holds files hone "
                 "did not create (" +
                 list_of(others) + ") and no " + k_work_marker +
                 " marker; hone pgo keeps its "
                 "files in a folder of its own: name a new or empty folder in work_dir");
  }
  WorkFolder folder(lock_work_folder(config));
  bool marked = has_marker();  // again, under the lock: another run may have just made the folder
  std::set<std::string> recorded = marked ? read_marker(config) : std::set<std::string>{};
  std::set<std::string> wanted = recorded;
  for (const std::string& entry : entries_of(config)) {
    // An entry hone did not record but that exists was made by someone else: hone does not adopt it.
    if (!recorded.count(entry) && entry != k_work_lock && fs::exists(fs::symlink_status(work / entry, error)))
      fail_input(work.string() + "/" + entry + " was not made by hone pgo (its " + k_work_marker +
                 " marker does not "
                 "list it); move it out of the work folder");
    wanted.insert(entry);
  }
  if (!marked || wanted != recorded) write_marker(config, wanted);
  return folder;
}

WorkFolder::~WorkFolder() {
  if (lock_fd_ >= 0) close(lock_fd_);  // releases the lock
}

int clean_work_folder(const Config& config) {
  refuse_unsafe(config);
  const fs::path& work = config.work_dir;
  std::error_code error;
  if (!fs::exists(fs::symlink_status(work, error))) {
    std::printf("nothing to clean: %s does not exist\n", work.string().c_str());
    return 0;
  }
  if (!fs::exists(fs::symlink_status(work / k_work_marker, error))) {
    // Only the lock left (a clean killed near its end, or a run killed as it began): finish it.
    if (names_in(work, {}) == std::vector<std::string>{k_work_lock}) {
      WorkFolder held(lock_work_folder(config));
      if (remove_entry(work / k_work_lock).empty() && fs::remove(work, error)) {
        std::printf("removed %s\n", work.string().c_str());
        return 0;
      }
    }
    fail_input(work.string() + " was not created by hone pgo (no " + k_work_marker + " marker in it); not removing it");
  }
  WorkFolder lock(lock_work_folder(config));
  std::set<std::string> entries = read_marker(config);
  for (const std::string& entry : entries) {
    if (entry == k_work_lock) continue;
    std::string problem = remove_entry(work / entry);
    if (!problem.empty()) fail_job(problem);
  }
  // The marker's temporaries left by a killed writer, then the marker and the lock; last the folder.
  for (const std::string& name : names_in(work, {}))
    if (support::is_temporary_name_of(k_work_marker, name)) remove_entry(work / name);
  remove_entry(work / k_work_marker);
  remove_entry(work / k_work_lock);
  std::vector<std::string> left = names_in(work, {});
  if (left.empty() && fs::remove(work, error)) {
    std::printf("removed %s\n", work.string().c_str());
    return 0;
  }
  std::printf("removed hone's files from %s; kept the folder, which holds files hone did not make: %s\n",
              work.string().c_str(), list_of(left).c_str());
  return 0;
}

}  // namespace hone::pgo
