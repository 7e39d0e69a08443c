// Atomic files and private temporaries: the one way hone writes a file someone else may be reading, and
// the one way it makes a scratch file or folder.
//
// The contract, in ccache's style (its AtomicFile and TemporaryFile):
//
//  - A file is replaced by writing the whole new content to a temporary file in the target's own folder
//    and renaming it over the target. rename(2) within one folder is atomic, so a reader that opens the
//    target sees the old content or the new, never a mix, and a writer killed at any point leaves the
//    target as it was.
//  - The temporary is named `<target>.<8 random [0-9a-z]>.tmp` and created with
//    O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode 0666 (or the caller's) less the umask. O_EXCL never
//    opens anything that already exists, a symlink included (dangling or not), so no name planted in
//    advance can redirect the write; a clash just draws another name.
//  - rename(2) never follows a symlink at the target's own name: such a link is replaced by the new file,
//    and whatever it pointed to is left alone.
//  - On any failure the temporary is removed, the target is untouched, and the function returns an error
//    text ("cannot write PATH: what failed: strerror") instead of throwing: the static `hone` wrapper
//    uses this on every recorded compile and must neither throw nor allocate much.
//  - A writer killed between create and rename leaves its temporary behind. remove_stale_temporaries()
//    removes those of one target: regular files (never symlinks or folders) owned by this user, named
//    exactly by the pattern above and not modified for k_stale_temporary_age. Nothing else is touched.
//  - Scratch folders come from mkdtemp(3) under $TMPDIR (when it is an absolute path, else /tmp), private
//    to the user (mode 0700); TemporaryDirectory removes its folder and everything in it when it goes
//    out of scope, never following a symlink found inside (a link is removed, not what it points to).
//
// C++ standard library and POSIX only; no function here throws except std::bad_alloc.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace hone::support {

// How long a temporary may sit unchanged before it counts as left by a killed writer. No writer holds
// a temporary open that long: content is in memory before the temporary is created.
inline constexpr std::chrono::seconds k_stale_temporary_age{10 * 60};

struct AtomicWriteOptions {
  mode_t mode = 0666;                      // permissions of a new file, before the umask is applied
  bool keep_target_permissions = false;    // an existing target's permission bits are kept exactly
  bool create_parent_directories = false;  // `mkdir -p` the target's folder first (0777 less the umask)
  bool sync = false;                       // fsync the content before the rename (survives a power cut)
  bool remove_stale_temporaries = false;   // first remove this target's temporaries older than the age above
};

// Replaces `target` with `content` as described above. "" on success, else the error text; the target is
// then exactly as it was.
std::string write_file_atomically(const std::string& target, std::string_view content,
                                  const AtomicWriteOptions& options = {});

// Creates the file `path` for writing only if nothing (not even a dangling symlink) exists under that
// name: O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC. Sets `fd` and returns "" on success; else leaves
// `fd` at -1 and returns strerror's text (EEXIST: "File exists").
std::string open_exclusive(const std::string& path, mode_t mode, int& fd);

// Creates a fresh temporary `<target>.<random>.tmp` beside `target` with open_exclusive, drawing new
// names while they clash. Sets `fd` and `path`; returns "" or the error text.
std::string create_temporary_beside(const std::string& target, mode_t mode, int& fd, std::string& path);

// True when `name` (a file name, no folder) is a temporary of the target whose file name is
// `target_name`: exactly `<target_name>.` + 8 characters of [0-9a-z] + `.tmp`.
bool is_temporary_name_of(std::string_view target_name, std::string_view name);

// Removes the temporaries of `target` left by killed writers (see the contract above). Returns how many
// were removed; problems (an unreadable folder) simply remove nothing.
std::size_t remove_stale_temporaries(const std::string& target, std::chrono::seconds max_age = k_stale_temporary_age);

// Creates `directory` and its missing parents (0777 less the umask). "" when it is a folder afterwards,
// else the error text.
std::string make_directories(const std::string& directory);

// Removes `path` and everything beneath it. A symlink anywhere in the tree is removed itself and never
// followed; `path` itself must be a real folder (a symlink there is an error and nothing is removed).
// "" when everything was removed, else the first error text.
std::string remove_tree(const std::string& path);

// The folder new temporary folders go into: $TMPDIR when it is an absolute path, else /tmp.
std::string temporary_root();

// Makes a new private folder `<temporary_root()>/<prefix>-XXXXXX` with mkdtemp(3). Sets `path` and
// returns "" on success, else the error text.
std::string make_temporary_directory(std::string_view prefix, std::string& path);

// A private scratch folder that is removed with everything in it (see remove_tree) when the object goes
// out of scope. Check ok() (or error()) before use.
class TemporaryDirectory {
public:
  explicit TemporaryDirectory(std::string_view prefix);
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& path() const { return path_; }    // "" when the folder could not be made
  const std::string& error() const { return error_; }  // why it could not be made

private:
  std::string path_;
  std::string error_;
};

}  // namespace hone::support
