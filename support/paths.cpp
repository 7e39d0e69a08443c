// Path text helpers (see paths.h).
#include "support/paths.h"

namespace hone::support {

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string absolute_in(std::string_view directory, std::string_view path) {
  if (path.empty() || path.front() == '/' || directory.empty()) return std::string(path);
  std::string result(directory);
  if (result.back() != '/') result += '/';
  result += path;
  return result;
}

}  // namespace hone::support
