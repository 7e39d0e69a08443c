// The wrapper's side of the mode contract: support::WrapperMode reads and validates the values, and
// this file adds what only the wrapper can check, the file system (folders it will write into, the
// profile it will read), before support::mode_flags spells the flags for the call's steps.
#include "driver/wrapper/modes.h"

#include <sys/stat.h>
#include <unistd.h>

#include "driver/wrapper/paths.h"

namespace hone::wrapper {
namespace {

// A directory hone writes into: created when missing; a problem when that fails or it is not writable.
void require_writable_directory(const char* name, const std::string& directory, std::vector<std::string>& problems) {
  if (!make_directories(directory) || access(directory.c_str(), W_OK) != 0) {
    problems.push_back(std::string(name) + "=" + directory + " is not a writable directory");
  }
}

}  // namespace

ModeSettings read_mode_settings(std::vector<std::string>& problems) {
  ModeSettings settings = ModeSettings::from_environment(problems);
  if (settings.disabled) return settings;
  if (!settings.profile_generate_dir.empty()) {
    require_writable_directory(support::k_env_profile_generate, settings.profile_generate_dir, problems);
  }
  if (!settings.profile_use_path.empty()) {
    struct stat status{};
    if (stat(settings.profile_use_path.c_str(), &status) != 0) {
      problems.push_back(std::string(support::k_env_profile_use) + "=" + settings.profile_use_path + " does not exist");
    }
  }
  if (!settings.remarks_dir.empty()) {
    require_writable_directory(support::k_env_remarks_dir, settings.remarks_dir, problems);
  }
  if (!settings.compile_db.empty()) {
    size_t slash = settings.compile_db.rfind('/');
    std::string directory = slash == std::string::npos ? "." : settings.compile_db.substr(0, slash);
    require_writable_directory(support::k_env_compile_db, directory.empty() ? "/" : directory, problems);
  }
  return settings;
}

std::vector<std::string> mode_flags(const ModeSettings& settings, const Classification& call, CompilerFamily family,
                                    const std::string& remarks_file) {
  const bool compiles = call.kind == CallKind::compile || call.kind == CallKind::compile_and_link;
  const bool links = call.kind == CallKind::link || call.kind == CallKind::compile_and_link;
  return support::mode_flags(settings, family, compiles, links, remarks_file);
}

}  // namespace hone::wrapper
