// Compile-database capture: adds this call's compiles to a compile_commands.json (the format clang
// tools read), keeping the file valid JSON after every call, even with many calls in parallel.
#pragma once

#include <string>
#include <vector>

#include "driver/wrapper/classify.h"

namespace hone::wrapper {

// Records one entry per source file of a compile call. `command` is the compiler command as the build
// gave it (the compiler first). An existing entry for the same directory, file and output is replaced,
// so an incremental rebuild does not accumulate duplicates. Returns an error sentence, or "" on success.
std::string record_compile(const std::string& database,
                           const std::vector<std::string>& command,
                           const Classification& call);

} // namespace hone::wrapper
