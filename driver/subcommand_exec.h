// Runs an external management command: finds the helper executable installed beside `hone` and execs
// it, so that `hone pgo ...` costs one exec and the helper sees the user's arguments unchanged.
#pragma once

#include <string>
#include <string_view>

#include "driver/command_table.h"

namespace hone {

// Does not return on success. On failure prints `hone: error: ...` and returns 2.
int exec_external_command(const Command& command, int argc, char** argv);

// The helper executable `name` (hone-pgo, ...) as exec_external_command finds it; "" when not installed.
std::string helper_executable(std::string_view name);

}  // namespace hone
