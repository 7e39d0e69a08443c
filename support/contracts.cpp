// The contracts between hone's executables (see contracts.h).
#include "support/contracts.h"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "support/paths.h"
#include "support/response_files.h"

namespace hone::support {
namespace {

// `path` without "." and ".." components or repeated slashes, by text only (no file system access).
std::string lexically_normal(std::string_view path) {
  std::vector<std::string_view> parts;
  const bool absolute = path.starts_with('/');
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string result = absolute ? "/" : "";
  for (std::string_view part : parts) result.append(result.empty() || result.back() == '/' ? "" : "/").append(part);
  return result.empty() ? "." : result;
}

// `directory` with every symlink resolved, or as written when it cannot be resolved (a stale database).
std::string physical(const std::string& directory) {
  char resolved[PATH_MAX];
  return realpath(directory.c_str(), resolved) ? std::string(resolved) : directory;
}

// The -o value in `arguments` (after the compiler at `first`), spelled as the wrapper's option table
// reads it: "-o FILE" or "-oFILE"; "" when there is none.
std::string output_argument(const std::vector<std::string>& arguments, size_t first) {
  std::string output;
  for (size_t i = first; i < arguments.size(); ++i) {
    if (arguments[i] == "-o" && i + 1 < arguments.size()) {
      output = arguments[++i];
    } else if (arguments[i].starts_with("-o") && arguments[i].size() > 2) {
      output = arguments[i].substr(2);
    }
  }
  return output;
}

// The argument that names `file` (by text, else by the same normalized absolute path, both taken
// against the entry's directory as written), or `file` itself.
std::string source_argument(const std::vector<std::string>& arguments, size_t first, const std::string& directory,
                            const std::string& file) {
  for (size_t i = first; i < arguments.size(); ++i) {
    if (arguments[i] == file) return file;
  }
  const std::string wanted = lexically_normal(absolute_in(directory, file));
  for (size_t i = first; i < arguments.size(); ++i) {
    if (arguments[i] == "-o") {
      ++i;  // the output, never the source
    } else if (!arguments[i].starts_with("-") && lexically_normal(absolute_in(directory, arguments[i])) == wanted) {
      return arguments[i];
    }
  }
  return file;
}

const char* process_environment(const char* name) {
  return std::getenv(name);
}

bool is_true(std::string_view value) {
  return value == "1" || value == "true" || value == "yes" || value == "on";
}

bool valid_boolean(std::string_view value) {
  return value.empty() || is_true(value) || value == "0" || value == "false" || value == "no" || value == "off";
}

// A word that means itself both in a flag list and to a POSIX shell.
bool plain_word(std::string_view word) {
  return !word.empty() && word.find_first_of(" \t\n\r'\"\\$`*?[]{}()<>|&;#~!") == std::string_view::npos;
}

// `word` in single quotes, with ' and \ written as \' and \\ outside them: the same word to the
// flag-list reader and to a shell.
std::string quoted_word(std::string_view word) {
  if (word.empty()) return "''";
  std::string text;
  bool open = false;
  for (char c : word) {
    const bool escaped = c == '\'' || c == '\\';
    if (escaped == open) {
      text += '\'';
      open = !open;
    }
    if (escaped) text += '\\';
    text += c;
  }
  if (open) text += '\'';
  return text;
}

void append(std::vector<std::string>& flags, const std::vector<std::string>& more) {
  flags.insert(flags.end(), more.begin(), more.end());
}

}  // namespace

bool is_launcher(std::string_view program) {
  const std::string_view name = base_name(program);
  for (std::string_view launcher : k_launchers) {
    if (name == launcher) return true;
  }
  return false;
}

std::size_t compiler_index(const std::vector<std::string>& command, bool skip_hone) {
  std::size_t index = 0;
  while (index + 1 < command.size() &&
         (is_launcher(command[index]) || (skip_hone && base_name(command[index]) == "hone")) &&
         !command[index + 1].starts_with("-")) {
    ++index;
  }
  return index;
}

std::string record_file_name(std::string_view physical_directory, std::string_view source, std::string_view output) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto add = [&hash](std::string_view text) {
    for (unsigned char byte : text) hash = (hash ^ byte) * 0x100000001b3ULL;
  };
  add(absolute_in(physical_directory, source));
  add("|");
  add(absolute_in(physical_directory, output));
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  std::string name(base_name(source));
  if (size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
  return name + "-" + hex + ".opt.yaml";
}

std::string record_file_name(const DatabaseEntry& entry) {
  const std::string directory = physical(entry.directory.empty() ? "." : entry.directory);
  bool unreadable = false;
  const std::vector<std::string> arguments = expand_response_files(entry.arguments, unreadable, directory);
  const size_t first = compiler_index(arguments, /*skip_hone=*/true) + 1;
  const std::string source = source_argument(arguments, first, entry.directory, entry.file);
  const std::string output = entry.output.empty() ? output_argument(arguments, first) : entry.output;
  return record_file_name(directory, source, output);
}

bool WrapperMode::changes_command() const {
  return !profile_generate_dir.empty() || !profile_use_path.empty() || lto != LtoKind::off || relocs ||
         !remarks_dir.empty() || !extra_compile_flags.empty() || !extra_link_flags.empty();
}

bool WrapperMode::any() const {
  return changes_command() || !compile_db.empty() || !prefix_command.empty() || !log_file.empty();
}

std::vector<std::pair<std::string, std::string>> WrapperMode::to_environment() const {
  std::vector<std::pair<std::string, std::string>> variables;
  auto set = [&variables](const char* name, const std::string& value) {
    if (!value.empty()) variables.emplace_back(name, value);
  };
  set(k_env_disable, disabled ? "1" : "");
  set(k_env_profile_generate, profile_generate_dir);
  set(k_env_profile_use, profile_use_path);
  set(k_env_lto, lto == LtoKind::thin ? "thin" : lto == LtoKind::full ? "full" : "");
  set(k_env_relocs, relocs ? "1" : "");
  set(k_env_remarks_dir, remarks_dir);
  set(k_env_compile_db, compile_db);
  set(k_env_extra_compile_flags, encode_flag_list(extra_compile_flags));
  set(k_env_extra_link_flags, encode_flag_list(extra_link_flags));
  set(k_env_prefix_command, encode_flag_list(prefix_command));
  set(k_env_log, log_file);
  return variables;
}

WrapperMode WrapperMode::from_environment(std::vector<std::string>& problems, EnvironmentLookup lookup) {
  if (lookup == nullptr) lookup = process_environment;
  auto variable = [lookup](const char* name) -> std::string {
    const char* value = lookup(name);
    return value ? value : "";
  };
  WrapperMode mode;
  const std::string disable = variable(k_env_disable);
  if (!valid_boolean(disable)) problems.push_back(std::string(k_env_disable) + "=" + disable + " is not 0 or 1");
  mode.disabled = is_true(disable);
  if (mode.disabled) return mode;

  mode.profile_generate_dir = variable(k_env_profile_generate);
  mode.profile_use_path = variable(k_env_profile_use);
  if (!mode.profile_generate_dir.empty() && !mode.profile_use_path.empty()) {
    problems.push_back("HONE_PROFILE_GENERATE and HONE_PROFILE_USE are both set; set one of them");
  }
  const std::string lto = variable(k_env_lto);
  if (lto == "thin") {
    mode.lto = LtoKind::thin;
  } else if (lto == "full") {
    mode.lto = LtoKind::full;
  } else if (!lto.empty() && lto != "off" && lto != "0") {
    problems.push_back(std::string(k_env_lto) + "=" + lto + " is not one of thin, full, off");
  }
  const std::string relocs = variable(k_env_relocs);
  if (!valid_boolean(relocs)) problems.push_back(std::string(k_env_relocs) + "=" + relocs + " is not 0 or 1");
  mode.relocs = is_true(relocs);
  mode.remarks_dir = variable(k_env_remarks_dir);
  mode.compile_db = variable(k_env_compile_db);
  mode.extra_compile_flags = decode_flag_list(variable(k_env_extra_compile_flags));
  mode.extra_link_flags = decode_flag_list(variable(k_env_extra_link_flags));
  mode.prefix_command = decode_flag_list(variable(k_env_prefix_command));
  mode.log_file = variable(k_env_log);
  return mode;
}

std::vector<std::string> mode_flags(const WrapperMode& mode, CompilerFamily family, bool compiles, bool links,
                                    std::string_view record_file) {
  std::vector<std::string> flags;
  if ((!compiles && !links) || family == CompilerFamily::other) return flags;
  const bool clang = family == CompilerFamily::clang;
  if (!mode.profile_generate_dir.empty()) {
    flags.push_back("-fprofile-generate=" + mode.profile_generate_dir);
    if (!clang && compiles) flags.push_back("-fprofile-update=atomic");
  }
  if (!mode.profile_use_path.empty() && compiles) {
    flags.push_back("-fprofile-use=" + mode.profile_use_path);
    if (clang) {
      append(flags, {"-Wno-profile-instr-unprofiled", "-Wno-profile-instr-out-of-date", "-Wno-profile-instr-missing"});
    } else {
      // -fprofile-correction: a sum of several workloads' .gcda files can hold value-profile counters
      // above their block's count (gcov-tool-12 merging three zstd workloads: "corrupted value profile:
      // divmod profile counter (132 out of 138) inconsistent with basic-block count (1092)"), which GCC
      // otherwise rejects as an error; with it GCC smooths such counters instead of failing the build.
      append(flags,
             {"-fprofile-partial-training", "-fprofile-correction", "-Wno-missing-profile", "-Wno-coverage-mismatch"});
    }
  }
  if (mode.lto != LtoKind::off) {
    flags.push_back(!clang ? "-flto=auto" : mode.lto == LtoKind::thin ? "-flto=thin" : "-flto=full");
    if (clang && links) flags.push_back("-fuse-ld=lld");
  }
  if (mode.relocs && links) flags.push_back("-Wl,--emit-relocs");
  if (!mode.remarks_dir.empty() && compiles && clang && !record_file.empty()) {
    flags.push_back("-fsave-optimization-record=yaml");
    flags.push_back("-foptimization-record-file=" + std::string(record_file));
  }
  if (compiles) append(flags, mode.extra_compile_flags);
  if (links) append(flags, mode.extra_link_flags);
  return flags;
}

std::string encode_flag_list(const std::vector<std::string>& flags) {
  std::string text;
  for (const std::string& flag : flags) {
    if (!text.empty()) text += ' ';
    text += plain_word(flag) ? flag : quoted_word(flag);
  }
  return text;
}

std::vector<std::string> decode_flag_list(std::string_view text) {
  return split_response_text(text);
}

}  // namespace hone::support
