// Small file-system helpers for the wrapper: PATH lookup that can skip hone itself (masquerade mode),
// real paths, and the cheap checks that keep hone's own settings from failing a compile (is this a
// profile, can hone write this record). Atomic replacement of state shared by parallel compiler calls is
// support/atomic_file.h.
#pragma once

#include <string>
#include <vector>

#include "support/contracts.h"

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

// ---- Masquerade ---------------------------------------------------------------------------------
// The variable that carries, through one compile's chain of programs, the PATH folders hone's
// masquerade has already passed (':'-separated). Each hop adds to it and skips what it holds, so a chain
// of masquerade folders always moves down PATH and ends: never a loop, whatever the folders hold.
using support::k_env_masquerade_passed;  // its name: support/contracts.h

struct MasqueradeTarget {
  std::string compiler;                // the real compiler's path; "" when there is none
  std::string launcher;                // another launcher's masquerade on the way (its real path), or ""
  std::string passed;                  // the new value of k_env_masquerade_passed for the compiler
  std::vector<std::string> explained;  // each folder looked at and what it held, for an error message
};

// Finds the real compiler `name` for hone masquerading under that name: only on PATH after hone's own
// folder (the folder of `invoked_as` when it has a slash, else the first PATH folder holding hone; pass
// "" to search all of PATH), skipping folders in `passed_before`, folders holding hone (the same binary,
// a hardlink or a copy of it) and other launchers' masquerade folders (a `name` that resolves to
// ccache, distcc, ...). The first such launcher is returned too, so hone can hand the call over to it
// with the real compiler named: the launcher then never searches PATH and cannot come back.
MasqueradeTarget find_masquerade_target(const std::string& name, const std::string& invoked_as,
                                        const std::string& passed_before);

// What `candidate` (a file in a PATH folder, named like a compiler) leads to: "hone" (this hone, a link
// to it, or another program named hone), a launcher's name ("ccache", "distcc", ...) when it resolves to
// one, or "" (a compiler, or nothing there).
std::string masquerade_owner(const std::string& candidate);

// ---- Settings checks ------------------------------------------------------------------------------
// "" when `path` is an indexed clang profile (.profdata magic), else what it is instead.
std::string clang_profile_problem(const std::string& path);
// "" when `path` is a folder (GCC reads .gcda files from one), else what it is instead.
std::string gcc_profile_problem(const std::string& path);
// "" when the optimization record `path` can be written: nothing there yet or a regular file this
// user may write, and a folder with free space; else the problem, as a full sentence.
std::string record_file_problem(const std::string& path);

}  // namespace hone::wrapper
