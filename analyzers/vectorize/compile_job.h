// Turning a TU's compile command into the two compiles `hone vec` runs: the real compile with
// optimization records (a child process of the real clang, so the remarks are exactly what the
// project's build gets), and the in-process parse that finds the loops in the AST.
//
// The project's flags are kept, including its -O level (-O2 when it has none); what would write
// files or stop the optimizer is removed: outputs (-o), dependency files (-M*), -c/-S/-E, LTO (with
// -flto the vectorizer runs at link time, not in the compile), -Werror (clang may warn where GCC did
// not). A GCC compiler is replaced by clang-19 with the same flags; flags clang does not know are
// dropped with a warning. The records are YAML restricted to the loop vectorizer, with line tables
// and columns so every remark has a location.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

#include "support/process.h"

namespace hone::vec {

struct CompileSetup {
  std::string directory;              // where the command runs
  std::string file;                   // the TU, absolute
  std::string compiler;               // executable for the record compile
  std::string ast_driver;             // clang-19 (or clang++) path for the in-process parse
  std::vector<std::string> flags;     // the project's flags after filtering, without the input
  std::vector<std::string> warnings;  // one line each: what was changed and why
  bool no_vectorize_flag = false;     // -fno-vectorize is among the flags
  bool math_errno_off = false;        // -fno-math-errno, -ffast-math or -Ofast is among the flags
  bool low_optimization = false;      // -O0/-O1/-Og: clang does not vectorize at these levels
};

// `llvm_bin`: clang-19's bin folder. `profile`: an indexed profile to compile with (its hotness goes
// into the remarks), or empty.
CompileSetup prepare_compile(const clang::tooling::CompileCommand& command, const std::string& llvm_bin,
                             const std::string& profile);

// `path` made absolute against `directory` when relative, without . and .. (lexically).
std::string absolute_in(const std::string& directory, llvm::StringRef path);

// Where a build wrapped by hone with HONE_REMARKS_DIR=`remarks_dir` wrote the optimization record of
// `command`: DIR/<support::record_file_name of the entry>, the one naming rule the wrapper also uses
// (support/contracts.h: physical directory, source and output as the command spells them, the
// entry's output field first, @file expanded).
std::string wrapper_record_path(const clang::tooling::CompileCommand& command, const std::string& remarks_dir);

// argv of the record compile: runs the optimization pipeline and writes `record_file`, no object;
// `extra` goes after the project's flags.
std::vector<std::string> record_command(const CompileSetup& setup, const std::string& record_file,
                                        const std::vector<std::string>& extra);

// argv of the parse (for clang::tooling::ToolInvocation).
std::vector<std::string> parse_command(const CompileSetup& setup);

// A started child process whose stdout and stderr go to a log file.
struct ChildProcess {
  support::RunningProcess process;  // the running compile (support/process); not started() after the wait
  std::string log_file;
  std::string start_error;  // non-empty: it could not be started
  bool timed_out = false;   // wait_process stopped it at its deadline
};
ChildProcess start_process(const std::vector<std::string>& argv, const std::string& directory,
                           const std::string& log_file);
// Waits; returns the exit status (128 + signal when killed, -1 when it never started). With a
// timeout (seconds, 0 for none) a child still running at the deadline is killed and reaped, and
// timed_out is set.
int wait_process(ChildProcess& child, unsigned timeout_seconds = 0);

// Writes a clang -ivfsoverlay file that shows `replacement` in place of each `original` (absolute
// paths), keeping the original names in diagnostics and debug locations.
bool write_overlay(const std::string& overlay_file,
                   const std::vector<std::pair<std::string, std::string>>& original_to_replacement, std::string& error);

// Reads/writes a whole file (small files only: sources and logs).
bool read_text(const std::string& path, std::string& text);
bool write_text(const std::string& path, const std::string& text);

}  // namespace hone::vec
