// Runs an external management command: finds the helper executable installed beside `hone` and execs
// it, so that `hone pgo ...` costs one exec and the helper sees the user's arguments unchanged.
#pragma once

#include "driver/command_table.h"

namespace hone {

// Does not return on success. On failure prints `hone: error: ...` and returns 2.
int exec_external_command(const Command& command, int argc, char** argv);

}  // namespace hone
