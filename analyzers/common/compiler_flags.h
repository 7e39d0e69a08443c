// Compile-command flags that clang-19 cannot take, found the way clang's own driver would.
//
// A compilation database captured from a GCC build (CC="hone gcc", or a project built with gcc) holds
// GCC-only flags (-fconserve-stack, -fno-var-tracking-assignments, ...). clang's driver stops on them
// with "unknown argument", so an analyzer that parses with clang drops them first and says so. Both
// analyzers use this one list: hone vec when it rewrites a command for its record compile, hone layout
// when its TUs are parsed.
#pragma once

#include <string>
#include <vector>

namespace hone::analyze {

// The arguments of `flags` (no compiler name in front) that clang's driver does not know, as written.
std::vector<std::string> flags_unknown_to_clang(const std::vector<std::string>& flags);

}  // namespace hone::analyze
