// Mode flags per compiler family. Where the families differ:
//  - instrumentation: clang -fprofile-generate=DIR (IR PGO, .profraw files named by %m inside DIR);
//    GCC -fprofile-generate=DIR (.gcda files under DIR with mangled paths);
//  - profile use: clang reads one .profdata; GCC reads the .gcda tree and needs
//    -fprofile-partial-training so that code the training never ran is not optimized for size;
//  - LTO: clang -flto=thin|full and lld at link (the system bfd linker cannot load LLVM's plugin by
//    default); GCC -flto=auto for both kinds (GCC has no ThinLTO; WHOPR partitions instead).
// Warnings that a profile merely misses some functions are silenced: stale profiles are normal while
// the code changes, and -Werror builds must keep building.
#include "driver/wrapper/modes.h"

#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/wrapper/paths.h"

namespace hone::wrapper {
namespace {

std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

bool is_true(const std::string& value) { return value == "1" || value == "true" || value == "yes" || value == "on"; }

bool valid_boolean(const std::string& value) {
  return value.empty() || is_true(value) || value == "0" || value == "false" || value == "no" || value == "off";
}

// A directory hone writes into: created when missing; a problem when that fails or it is not writable.
void require_writable_directory(const char* name, const std::string& directory, std::vector<std::string>& problems) {
  if (!make_directories(directory) || access(directory.c_str(), W_OK) != 0) {
    problems.push_back(std::string(name) + "=" + directory + " is not a writable directory");
  }
}

} // namespace

bool ModeSettings::changes_command() const {
  return !profile_generate_dir.empty() || !profile_use_path.empty() || lto != LtoKind::off || relocs ||
         !remarks_dir.empty() || !extra_compile_flags.empty() || !extra_link_flags.empty();
}

bool ModeSettings::any() const {
  return changes_command() || !compile_db.empty() || !prefix_command.empty() || !log_file.empty();
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t begin = text.find_first_not_of(" \t\n", start);
    if (begin == std::string::npos) break;
    size_t end = text.find_first_of(" \t\n", begin);
    if (end == std::string::npos) end = text.size();
    words.push_back(text.substr(begin, end - begin));
    start = end;
  }
  return words;
}

ModeSettings read_mode_settings(std::vector<std::string>& problems) {
  ModeSettings settings;
  std::string disable = variable("HONE_DISABLE");
  if (!valid_boolean(disable)) problems.push_back("HONE_DISABLE=" + disable + " is not 0 or 1");
  settings.disabled = is_true(disable);
  if (settings.disabled) return settings;

  settings.profile_generate_dir = variable("HONE_PROFILE_GENERATE");
  if (!settings.profile_generate_dir.empty()) {
    require_writable_directory("HONE_PROFILE_GENERATE", settings.profile_generate_dir, problems);
  }
  settings.profile_use_path = variable("HONE_PROFILE_USE");
  if (!settings.profile_use_path.empty()) {
    struct stat status {};
    if (stat(settings.profile_use_path.c_str(), &status) != 0) {
      problems.push_back("HONE_PROFILE_USE=" + settings.profile_use_path + " does not exist");
    }
  }
  if (!settings.profile_generate_dir.empty() && !settings.profile_use_path.empty()) {
    problems.push_back("HONE_PROFILE_GENERATE and HONE_PROFILE_USE are both set; set one of them");
  }
  std::string lto = variable("HONE_LTO");
  if (lto == "thin") {
    settings.lto = LtoKind::thin;
  } else if (lto == "full") {
    settings.lto = LtoKind::full;
  } else if (!lto.empty() && lto != "off" && lto != "0") {
    problems.push_back("HONE_LTO=" + lto + " is not one of thin, full, off");
  }
  std::string relocs = variable("HONE_RELOCS");
  if (!valid_boolean(relocs)) problems.push_back("HONE_RELOCS=" + relocs + " is not 0 or 1");
  settings.relocs = is_true(relocs);
  settings.remarks_dir = variable("HONE_REMARKS_DIR");
  if (!settings.remarks_dir.empty()) require_writable_directory("HONE_REMARKS_DIR", settings.remarks_dir, problems);
  settings.compile_db = variable("HONE_COMPILE_DB");
  if (!settings.compile_db.empty()) {
    size_t slash = settings.compile_db.rfind('/');
    std::string directory = slash == std::string::npos ? "." : settings.compile_db.substr(0, slash);
    require_writable_directory("HONE_COMPILE_DB", directory.empty() ? "/" : directory, problems);
  }
  settings.extra_compile_flags = split_words(variable("HONE_EXTRA_COMPILE_FLAGS"));
  settings.extra_link_flags = split_words(variable("HONE_EXTRA_LINK_FLAGS"));
  settings.prefix_command = split_words(variable("HONE_PREFIX_COMMAND"));
  settings.log_file = variable("HONE_LOG");
  return settings;
}

std::vector<std::string> mode_flags(const ModeSettings& settings,
                                    const Classification& call,
                                    CompilerFamily family,
                                    const std::string& remarks_file) {
  std::vector<std::string> flags;
  bool compiles = call.kind == CallKind::compile || call.kind == CallKind::compile_and_link;
  bool links = call.kind == CallKind::link || call.kind == CallKind::compile_and_link;
  if (!compiles && !links) return flags;
  bool clang = family == CompilerFamily::clang;

  if (!settings.profile_generate_dir.empty()) {
    flags.push_back("-fprofile-generate=" + settings.profile_generate_dir);
    if (!clang && compiles) flags.push_back("-fprofile-update=atomic");
  }
  if (!settings.profile_use_path.empty() && compiles) {
    flags.push_back("-fprofile-use=" + settings.profile_use_path);
    if (clang) {
      flags.push_back("-Wno-profile-instr-unprofiled");
      flags.push_back("-Wno-profile-instr-out-of-date");
      flags.push_back("-Wno-profile-instr-missing");
    } else {
      flags.push_back("-fprofile-partial-training");
      flags.push_back("-Wno-missing-profile");
      flags.push_back("-Wno-coverage-mismatch");
    }
  }
  if (settings.lto != LtoKind::off) {
    if (clang) {
      flags.push_back(settings.lto == LtoKind::thin ? "-flto=thin" : "-flto=full");
      if (links) flags.push_back("-fuse-ld=lld");
    } else {
      flags.push_back("-flto=auto");
    }
  }
  if (settings.relocs && links) flags.push_back("-Wl,--emit-relocs");
  if (!settings.remarks_dir.empty() && compiles && clang && !remarks_file.empty()) {
    flags.push_back("-fsave-optimization-record=yaml");
    flags.push_back("-foptimization-record-file=" + remarks_file);
  }
  if (compiles) flags.insert(flags.end(), settings.extra_compile_flags.begin(), settings.extra_compile_flags.end());
  if (links) flags.insert(flags.end(), settings.extra_link_flags.begin(), settings.extra_link_flags.end());
  return flags;
}

} // namespace hone::wrapper
