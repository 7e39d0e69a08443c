// Which headers are a project's public interface, so `hone layout --fix` leaves their records alone.
//
// Reordering a record declared in an installed header changes the ABI: an application built against
// the old header and linked to the rebuilt library reads the wrong bytes. hone cannot see those
// applications, so such records are reported but not rewritten unless the user says `--abi-break`.
// A header counts as public when any of these says so:
// - the build folder (`-p BUILD`) is a CMake one and its cmake_install.cmake (with the files it
//   includes for subdirectories) installs it, as a file or inside an installed directory;
// - it lies in an `include/` tree (a path component named "include"), the usual home of installed
//   headers;
// - its path matches `--public-headers REGEX`;
// - the record itself is exported: a visibility("default") or dllexport/dllimport attribute, which is
//   what export macros (FOO_EXPORT, FOO_API) expand to. That one needs the AST and is checked by
//   exported_record().
#pragma once

#include <clang/AST/Decl.h>
#include <llvm/Support/Regex.h>

#include <set>
#include <string>
#include <vector>

namespace hone::layout {

class PublicHeaders {
public:
  // Reads BUILD/cmake_install.cmake when `build_dir` is not empty and the file exists; `pattern` is the
  // --public-headers regex (empty: none; it was validated when the options were parsed).
  PublicHeaders(const std::string& build_dir, const std::string& pattern);

  // Why `file` (absolute) is a public header, as a phrase ("it is installed by BUILD/cmake_install.cmake"),
  // or "" when it is not one.
  std::string why(const std::string& file) const;

  // The files and directories the install rules name (for tests).
  const std::set<std::string>& installed_files() const { return installed_files_; }
  const std::vector<std::string>& installed_directories() const { return installed_directories_; }

  // Adds what one cmake_install.cmake installs and follows its include() lines; `seen` stops loops.
  void read_install_script(const std::string& path, std::set<std::string>& seen);

private:
  std::string manifest_;  // the top cmake_install.cmake, empty when there is none
  std::set<std::string> installed_files_;
  std::vector<std::string> installed_directories_;  // each ends with '/'
  std::string pattern_;
  llvm::Regex regex_;
};

// Why `record` is exported from its library ("it is marked visibility(\"default\")"), or "".
std::string exported_record(const clang::RecordDecl& record);

}  // namespace hone::layout
