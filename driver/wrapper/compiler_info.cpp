// Compiler detection: one `--version` run per compiler binary, then a cache file per binary. The cache
// file is written to a temporary name and renamed, so parallel builds never read half a file.
#include "driver/wrapper/compiler_info.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/wrapper/paths.h"
#include "support/atomic_file.h"
#include "support/process.h"

namespace hone::wrapper {
std::string version_text(const std::string& path, const char* subcommand) {
  support::ProcessSpec spec;
  spec.argv = {path};
  if (subcommand != nullptr) spec.argv.push_back(subcommand);
  spec.argv.push_back("--version");
  spec.stdin_from_null = true;
  spec.unset_env = {support::k_env_log};  // keep the query out of hone's own log when the compiler is hone again
  spec.stdout_sink = support::Sink::capture;
  spec.stderr_sink = support::Sink::discard;
  return support::run(spec).stdout_text;
}

namespace {

std::string first_version_number(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9' || (i > 0 && text[i - 1] != ' ')) continue;
    size_t end = i;
    int dots = 0;
    while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '.')) {
      dots += text[end] == '.';
      ++end;
    }
    if (dots >= 1) return std::string(text.substr(i, end - i));
  }
  return {};
}

}  // namespace

std::string first_version_in(const std::string& text) {
  return first_version_number(text);
}

const char* to_string(CompilerFamily family) {
  switch (family) {
    case CompilerFamily::clang: return "clang";
    case CompilerFamily::gcc: return "gcc";
    case CompilerFamily::other: return "other";
  }
  return "other";
}

CompilerInfo parse_version_output(const std::string& text) {
  CompilerInfo info;
  std::string_view view = text;
  std::string_view first_line = view.substr(0, view.find('\n'));
  if (view.find("clang version") != std::string_view::npos) {
    info.family = CompilerFamily::clang;
    info.version = first_version_number(view.substr(view.find("clang version")));
  } else if (view.find("Free Software Foundation") != std::string_view::npos ||
             first_line.find("(GCC)") != std::string_view::npos || first_line.starts_with("gcc") ||
             first_line.starts_with("g++")) {
    info.family = CompilerFamily::gcc;
    // "gcc (Debian 12.2.0-14) 12.2.0": the last number on the first line is the version.
    size_t space = first_line.rfind(' ');
    info.version = first_version_number(space == std::string_view::npos ? first_line : first_line.substr(space));
    if (info.version.empty()) info.version = first_version_number(first_line);
  }
  info.major_version = info.version.empty() ? 0 : std::atoi(info.version.c_str());
  return info;
}

std::string cache_directory() {
  if (const char* dir = std::getenv(support::k_env_cache_dir); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::string(dir) + "/hone";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/hone";
  return {};
}

CompilerInfo detect_compiler(const std::string& path) {
  std::string resolved = path.find('/') == std::string::npos ? find_in_path(path, "") : path;
  std::string real = real_path(resolved.empty() ? path : resolved);
  struct stat status{};
  std::string key;
  if (!real.empty() && stat(real.c_str(), &status) == 0) {
    key = real + "|" + std::to_string(status.st_size) + "|" + std::to_string(status.st_mtime);
  }
  std::string directory = cache_directory();
  std::string cache_file;
  if (!key.empty() && !directory.empty()) {
    cache_file = directory + "/compiler-" + std::to_string(std::hash<std::string>{}(key)) + ".txt";
    if (FILE* in = std::fopen(cache_file.c_str(), "r")) {
      char family[32] = {};
      char version[64] = {};
      char stored_key[PATH_MAX + 64] = {};
      int fields = std::fscanf(in, "%31s %63s %4159[^\n]", family, version, stored_key);
      std::fclose(in);
      if (fields == 3 && key == stored_key) {
        CompilerInfo info;
        std::string_view name = family;
        info.family = name == "clang" ? CompilerFamily::clang
                      : name == "gcc" ? CompilerFamily::gcc
                                      : CompilerFamily::other;
        info.version = std::string_view(version) == "-" ? "" : version;
        info.major_version = std::atoi(info.version.c_str());
        return info;
      }
    }
  }
  CompilerInfo info = parse_version_output(version_text(resolved.empty() ? path : resolved));
  if (!cache_file.empty()) {
    std::string line =
        std::string(to_string(info.family)) + " " + (info.version.empty() ? "-" : info.version) + " " + key + "\n";
    support::AtomicWriteOptions options;
    options.create_parent_directories = true;
    support::write_file_atomically(cache_file, line, options);  // a cache: a failed write only costs time
  }
  return info;
}

}  // namespace hone::wrapper
