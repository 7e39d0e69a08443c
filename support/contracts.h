// The contracts between hone's executables, written once: the names of the HONE_* environment
// variables, the compiler launchers hone looks through, the optimization-record file names the wrapper
// writes and `hone vec --remarks-dir` reads, the wrapper's modes with the flags each adds per compiler
// family (read by the wrapper, written by `hone pgo`), and the exit codes one executable reports to
// another. Each contract has known-answer tests in tests/unit/support/contracts_test.cpp; docs/wrapper.md
// is the user's reference for the variables and the record names.
//
// The `hone` wrapper links this statically and reads it on every compiler call, so nothing here does
// work at start-up: constants are constexpr and functions run only when called.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
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
// Set by the wrapper in masquerade mode for the compiler it runs: the PATH folders already passed, so a
// chain of masquerades moves down PATH and never loops (driver/wrapper/paths.h).
inline constexpr char k_env_masquerade_passed[] = "HONE_MASQUERADE_PASSED";
// The wrapper's compiler-detection cache folder (default $XDG_CACHE_HOME/hone, else ~/.cache/hone).
inline constexpr char k_env_cache_dir[] = "HONE_CACHE_DIR";
// The folder of the LLVM tools `hone doctor` and `hone pgo` use (support/llvm_tools.h).
inline constexpr char k_env_llvm_bin_dir[] = "HONE_LLVM_BIN_DIR";
// The perf binary `hone profile` runs (default: perf on PATH).
inline constexpr char k_env_perf[] = "HONE_PERF";
// The runtime library (runtime/) reads its own variables and may not depend on the repository, so
// their names are only listed here: HONE_PROFILE, HONE_PROFILE_CLOCK, HONE_PROFILE_TRACE,
// HONE_PROFILE_TRACE_EVENTS, HONE_PROFILE_TRACE_STREAM, HONE_PROFILE_TRACE_MAX_MB,
// HONE_PROFILE_TRACE_KEEP, HONE_ALLOC_REPORT, HONE_ALLOC_REPORT_FILE, HONE_ALLOC_SAMPLE,
// HONE_SIMD_TARGETS.
// (HONE_BENCH_ARRAY_OFFSET is read by one benchmark in tests/bench; HONE_WORK_DIR is the name of the
// marker file in a `hone pgo` work folder, not a variable.)

// Every HONE_* variable some part of hone reads, and which part: `hone doctor` checks the variables set
// in a shell against this list (an unknown name is most often a typo that silently does nothing).
enum class VariableReader {
  wrapper_mode,      // changes what the wrapper adds to compiles (WrapperMode below)
  wrapper,           // other wrapper settings
  wrapper_internal,  // set by hone itself for the programs it runs; never by hand
  tools,             // read by hone's commands (doctor, pgo, profile)
  runtime,           // read by programs linked with the runtime library
  benchmark,         // read by one of hone's own benchmarks
};
struct EnvironmentVariable {
  std::string_view name;
  VariableReader reader;
};
inline constexpr EnvironmentVariable k_environment_variables[] = {
    {k_env_disable, VariableReader::wrapper_mode},
    {k_env_profile_generate, VariableReader::wrapper_mode},
    {k_env_profile_use, VariableReader::wrapper_mode},
    {k_env_lto, VariableReader::wrapper_mode},
    {k_env_relocs, VariableReader::wrapper_mode},
    {k_env_remarks_dir, VariableReader::wrapper_mode},
    {k_env_compile_db, VariableReader::wrapper_mode},
    {k_env_extra_compile_flags, VariableReader::wrapper_mode},
    {k_env_extra_link_flags, VariableReader::wrapper_mode},
    {k_env_prefix_command, VariableReader::wrapper_mode},
    {k_env_log, VariableReader::wrapper_mode},
    {k_env_cache_dir, VariableReader::wrapper},
    {k_env_masquerade_passed, VariableReader::wrapper_internal},
    {k_env_llvm_bin_dir, VariableReader::tools},
    {k_env_perf, VariableReader::tools},
    {"HONE_PROFILE", VariableReader::runtime},
    {"HONE_PROFILE_CLOCK", VariableReader::runtime},
    {"HONE_PROFILE_TRACE", VariableReader::runtime},
    {"HONE_PROFILE_TRACE_EVENTS", VariableReader::runtime},
    {"HONE_PROFILE_TRACE_STREAM", VariableReader::runtime},
    {"HONE_PROFILE_TRACE_MAX_MB", VariableReader::runtime},
    {"HONE_PROFILE_TRACE_KEEP", VariableReader::runtime},
    {"HONE_ALLOC_REPORT", VariableReader::runtime},
    {"HONE_ALLOC_REPORT_FILE", VariableReader::runtime},
    {"HONE_ALLOC_SAMPLE", VariableReader::runtime},
    {"HONE_SIMD_TARGETS", VariableReader::runtime},
    {"HONE_BENCH_ARRAY_OFFSET", VariableReader::benchmark},
};

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

// ---- The wrapper's modes --------------------------------------------------------------------------
// What the HONE_* mode variables ask the wrapper to do (docs/wrapper.md). `hone pgo` writes a mode
// with to_environment() for the builds it drives; the wrapper reads it back with from_environment().
// Flag lists (extra compile and link flags, the prefix command) travel in one variable each, encoded
// by encode_flag_list below, so any argument survives the trip.

enum class CompilerFamily { clang, gcc, other };
enum class LtoKind { off, thin, full };

// Reads one environment variable: nullptr when unset. std::getenv by default; tests pass their own.
using EnvironmentLookup = const char* (*)(const char*);

struct WrapperMode {
  bool disabled = false;                         // HONE_DISABLE: add nothing at all
  std::string profile_generate_dir;              // HONE_PROFILE_GENERATE
  std::string profile_use_path;                  // HONE_PROFILE_USE
  LtoKind lto = LtoKind::off;                    // HONE_LTO
  bool relocs = false;                           // HONE_RELOCS
  std::string remarks_dir;                       // HONE_REMARKS_DIR
  std::string compile_db;                        // HONE_COMPILE_DB
  std::vector<std::string> extra_compile_flags;  // HONE_EXTRA_COMPILE_FLAGS
  std::vector<std::string> extra_link_flags;     // HONE_EXTRA_LINK_FLAGS
  std::vector<std::string> prefix_command;       // HONE_PREFIX_COMMAND
  std::string log_file;                          // HONE_LOG

  // True when some mode changes the compiler's command line (so the compiler family is needed).
  bool changes_command() const;
  // True when any variable asks for work beyond exec'ing the compiler.
  bool any() const;

  // The variables that give this mode, as (name, value) pairs in a fixed order; unset fields are absent.
  std::vector<std::pair<std::string, std::string>> to_environment() const;

  // Reads the variables. A value that is not valid (HONE_LTO=fast, HONE_RELOCS=2, both profile
  // variables) is appended to `problems` as a full sentence; the file system is not looked at here
  // (the wrapper checks folders and files itself). HONE_DISABLE=1 returns a disabled mode at once.
  static WrapperMode from_environment(std::vector<std::string>& problems, EnvironmentLookup lookup = nullptr);
};

// The flags `mode` adds to a call of a `family` compiler that compiles and/or links, in the order the
// wrapper appends them; `record_file` is the optimization-record path (support: record_file_name), or
// "" for none. Where the families differ: instrumentation (GCC also -fprofile-update=atomic), profile
// use (clang silences stale-profile warnings; GCC -fprofile-partial-training, -fprofile-correction and its warnings
// off), LTO (clang -flto=thin|full and lld at link; GCC -flto=auto). Nothing for CompilerFamily::other.
std::vector<std::string> mode_flags(const WrapperMode& mode, CompilerFamily family, bool compiles, bool links,
                                    std::string_view record_file);

// ---- Flag lists in one variable ------------------------------------------------------------------
// A list of arguments in one environment variable: words separated by white space, where single
// quotes, double quotes and backslash quote (the rule of GCC response files, support/response_files.h).
// Plain space-separated values written by hand ("-O2 -march=native") mean what they always meant.
// encode_flag_list writes plain words as they are and quotes the rest ('/a b/x.h', it'\''s) in a form
// a POSIX shell reads the same way, so the text may also be given as CFLAGS to a build.
std::string encode_flag_list(const std::vector<std::string>& flags);
std::vector<std::string> decode_flag_list(std::string_view text);

// ---- Exit codes -----------------------------------------------------------------------------------
// What one hone executable tells another, a build or a script by its exit status. `hone <command>`
// execs hone-pgo, hone-analyze, hone-bench and hone-profile, so their statuses are hone's; the wrapper
// execs the compiler, so a compile's status is the compiler's own, except when it cannot be run.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failed = 1;         // the job failed, findings with --fail-on, doctor found problems
inline constexpr int k_exit_usage = 2;          // bad usage or bad input (hone.yaml, arguments, files)
inline constexpr int k_exit_partial = 3;        // an analyzer's report is partial: some units were not analyzed
inline constexpr int k_exit_cannot_run = 126;   // wrapper: the compiler exists but cannot be run (as the shell)
inline constexpr int k_exit_not_found = 127;    // wrapper: no such compiler (as the shell)
inline constexpr int k_exit_interrupted = 130;  // 128 + SIGINT: interrupted (hone pgo, hone bench)

}  // namespace hone::support
