// The contracts between hone's executables (see contracts.h).
#include "support/contracts.h"

#include "support/paths.h"

namespace hone::support {

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

} // namespace hone::support
