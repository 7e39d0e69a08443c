// Small file-system helpers for the wrapper: PATH lookup that can skip hone itself (masquerade mode) and
// real paths. Atomic replacement of state shared by parallel compiler calls is support/atomic_file.h.
#pragma once

#include <string>

namespace hone::wrapper {

// The real path of `path` ("" when it does not exist).
std::string real_path(const std::string& path);

// The real path of the running executable.
std::string self_executable();

// The first executable named `name` on $PATH whose real path is not `skip_real_path` (pass "" to skip
// nothing). "" when there is none.
std::string find_in_path(const std::string& name, const std::string& skip_real_path);

// True when `path` is an executable regular file.
bool access_executable(const std::string& path);

// Creates `directory` and its parents (support::make_directories). True when it exists afterwards.
bool make_directories(const std::string& directory);

} // namespace hone::wrapper
