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
    if (arguments[i] == "-o") ++i;
    else if (!arguments[i].starts_with("-") && lexically_normal(absolute_in(directory, arguments[i])) == wanted)
      return arguments[i];
  }
  return file;
}

} // namespace

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

} // namespace hone::support
