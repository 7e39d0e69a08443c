// The contracts between hone's executables, written once: the names of the HONE_* environment
// variables, the compiler launchers hone looks through, and the optimization-record file names the
// wrapper writes and `hone vec --remarks-dir` reads. Each contract has known-answer tests in
// tests/unit/support/contracts_test.cpp; docs/wrapper.md is the user's reference for the variables and
// the record names.
//
// The `hone` wrapper links this statically and reads it on every compiler call, so nothing here does
// work at start-up: constants are constexpr and functions run only when called.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hone::support {

// ---- Environment variables ------------------------------------------------------------------------
// The wrapper's modes (docs/wrapper.md); `hone pgo` sets them for the builds it drives.
inline constexpr char k_env_disable[] = "HONE_DISABLE";
inline constexpr char k_env_profile_generate[] = "HONE_PROFILE_GENERATE";
inline constexpr char k_env_profile_use[] = "HONE_PROFILE_USE";
inline constexpr char k_env_lto[] = "HONE_LTO";
inline constexpr char k_env_relocs[] = "HONE_RELOCS";
inline constexpr char k_env_remarks_dir[] = "HONE_REMARKS_DIR";
inline constexpr char k_env_compile_db[] = "HONE_COMPILE_DB";
inline constexpr char k_env_extra_compile_flags[] = "HONE_EXTRA_COMPILE_FLAGS";
inline constexpr char k_env_extra_link_flags[] = "HONE_EXTRA_LINK_FLAGS";
inline constexpr char k_env_prefix_command[] = "HONE_PREFIX_COMMAND";
inline constexpr char k_env_log[] = "HONE_LOG";
// The wrapper's compiler-detection cache folder (default $XDG_CACHE_HOME/hone, else ~/.cache/hone).
inline constexpr char k_env_cache_dir[] = "HONE_CACHE_DIR";
// The folder of the LLVM tools `hone doctor` and `hone pgo` use (support/llvm_tools.h).
inline constexpr char k_env_llvm_bin_dir[] = "HONE_LLVM_BIN_DIR";
// The perf binary `hone profile` runs (default: perf on PATH).
inline constexpr char k_env_perf[] = "HONE_PERF";
// The runtime library (runtime/) reads its own variables and may not depend on the repository, so
// their names are only listed here: HONE_PROFILE, HONE_PROFILE_CLOCK, HONE_PROFILE_TRACE,
// HONE_PROFILE_TRACE_EVENTS, HONE_ALLOC_REPORT, HONE_ALLOC_REPORT_FILE, HONE_SIMD_TARGETS.
// (HONE_BENCH_ARRAY_OFFSET is read by one benchmark in tests/bench; HONE_WORK_DIR is the name of the
// marker file in a `hone pgo` work folder, not a variable.)

// ---- Compiler launchers ---------------------------------------------------------------------------
// Programs that take the real compiler as their first argument (`ccache clang -c a.c`). The wrapper
// looks through them to find and classify the compiler; `hone vec` looks through them in a
// compilation database's commands.
inline constexpr std::string_view k_launchers[] = {"ccache", "distcc", "sccache", "icecc", "buildcache", "pump"};

// True when the base name of `program` is one of k_launchers.
bool is_launcher(std::string_view program);

// The index of the compiler in `command`: past every launcher that is followed by a word not starting
// with '-' (`ccache -s` is ccache's own command, not a compile). With `skip_hone`, hone itself also
// counts as a launcher (a database recorded from CC="hone clang").
std::size_t compiler_index(const std::vector<std::string>& command, bool skip_hone = false);

// ---- Optimization-record names --------------------------------------------------------------------
// With HONE_REMARKS_DIR=DIR the wrapper writes each single-source clang compile's optimization record
// to DIR/<record_file_name>, and `hone vec --remarks-dir DIR` looks for the same name from the
// compilation database entry of that compile. The one rule both sides compute:
//
//   <stem>-<hash>.opt.yaml, where <stem> is the source's base name without its last extension (a
//   leading dot is not an extension: ".hidden.c" -> ".hidden"), and <hash> is the FNV-1a 64 (16 lower
//   hex digits) of "<source>|<output>", each being the path text as the command gives it, prefixed
//   with "<physical working directory>/" when relative; the output is "" when there is no -o.
//
// The physical working directory has every symlink resolved (getcwd's answer, realpath of a database
// entry's directory), so a build folder reached through a symlink gives the same name on both sides.

// The file name (without a folder) for compiling `source` to `output` in `physical_directory`.
std::string record_file_name(std::string_view physical_directory, std::string_view source, std::string_view output);

// One compilation-database entry, as `hone vec` reads it.
struct DatabaseEntry {
  std::string directory;               // the entry's "directory", as written (symlinks allowed)
  std::string file;                    // its "file"
  std::string output;                  // its "output", "" when absent
  std::vector<std::string> arguments;  // its command, compiler (and any launchers) first
};

// The record file name of the compile `entry` describes: the directory made physical (realpath; the
// text as written when it cannot be resolved), `@file` arguments expanded against it, the source
// spelled as in the arguments (the first argument that is the entry's file, by text or by the same
// lexically normalized absolute path; else the file as written), and the output from the entry's
// "output", else the -o of the arguments.
std::string record_file_name(const DatabaseEntry& entry);

} // namespace hone::support
