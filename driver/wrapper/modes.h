// The wrapper's modes: the HONE_* variables read into a support::WrapperMode (support/contracts.h, the
// contract `hone pgo` writes), checked against the file system, and turned into the flags for one call.
// docs/wrapper.md is the reference for the variables.
#pragma once

#include <string>
#include <vector>

#include "driver/wrapper/classify.h"
#include "driver/wrapper/compiler_info.h"
#include "support/contracts.h"

namespace hone::wrapper {

using ModeSettings = support::WrapperMode;
using LtoKind = support::LtoKind;

// Reads the variables and checks what they name: the folders hone writes into are created (a problem
// when that fails or they are not writable) and a profile to use must exist. Every problem is appended
// to `problems` as a full sentence (bad values first, then the file system); the caller then warns and
// runs the command unmodified.
ModeSettings read_mode_settings(std::vector<std::string>& problems);

// The flags to append to this call, given its classification and the compiler family: only flags that
// apply to the steps the call performs (support::mode_flags), none for preprocess, query, assemble or
// unknown calls.
std::vector<std::string> mode_flags(const ModeSettings& settings, const Classification& call, CompilerFamily family,
                                    const std::string& remarks_file);

}  // namespace hone::wrapper
