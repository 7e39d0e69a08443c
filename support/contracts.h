// The contracts between hone's executables, written once: the names of the HONE_* environment
// variables and the compiler launchers hone looks through. Each contract has known-answer tests in
// tests/unit/support/contracts_test.cpp; docs/wrapper.md is the user's reference for the variables.
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

} // namespace hone::support
