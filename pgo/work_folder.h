// The work folder (.hone by default) belongs to hone pgo, and hone makes sure of that before it writes
// anything there. See work_folder.cpp for the rules; docs/pgo.md ("The work folder") for users.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pgo/config.h"

namespace hone::pgo {

// The work folder taken for one run: it exists, it is hone's (its marker lists what hone made in it),
// and this process holds its lock until the object is destroyed.
class WorkFolder {
public:
  // Creates the folder (or takes an empty one, or one hone made before), takes the lock and records
  // the entries this configuration's stages will make. Throws PgoError: exit 2 when the folder is not
  // hone's, exit 1 when another run holds the lock (the message names its pid).
  static WorkFolder take(const Config& config);

  WorkFolder(WorkFolder&& other) noexcept : lock_fd_(std::exchange(other.lock_fd_, -1)) {}
  WorkFolder& operator=(WorkFolder&&) = delete;
  WorkFolder(const WorkFolder&) = delete;
  ~WorkFolder();

private:
  friend int clean_work_folder(const Config& config);
  explicit WorkFolder(int lock_fd) : lock_fd_(lock_fd) {}
  int lock_fd_;
};

// `hone pgo clean`: removes what the marker lists, the marker, the lock, and the folder when that
// leaves it empty (anything else in it is left and named). Refuses a folder without hone's marker and
// a folder another run is using. Returns the exit status.
int clean_work_folder(const Config& config);

// The file names hone keeps at the top of every work folder.
inline constexpr const char* k_work_marker = "HONE_WORK_DIR";
inline constexpr const char* k_work_lock = "hone-pgo.lock";

}  // namespace hone::pgo
