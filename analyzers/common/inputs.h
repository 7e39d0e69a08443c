// Which translation units an analyzer runs on, and with which flags.
//
// Mirrors clang-tidy: `-p BUILD_DIR` reads BUILD_DIR/compile_commands.json; file arguments select
// TUs from it (all of its files when none are given); `-- <flags>` after the files analyzes them
// with exactly those flags instead (a one-off, no database needed). Without -p and without `--`,
// the database is searched upwards from the first file, like clang-tidy does.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <memory>
#include <string>
#include <vector>

namespace hone::analyze {

struct InputOptions {
  std::string build_dir;                 // -p; empty: none given
  std::vector<std::string> files;        // positional files (may be empty with -p)
  bool has_fixed_flags = false;          // a `--` was present
  std::vector<std::string> fixed_flags;  // flags after `--`
};

struct Inputs {
  std::unique_ptr<clang::tooling::CompilationDatabase> database;
  std::vector<std::string> files;  // absolute paths of the TUs to analyze, in a stable order
};

// Splits argv at the first "--": everything after it goes into options.fixed_flags.
// Returns the arguments before it (for the analyzer's own option parser).
std::vector<std::string> split_fixed_flags(const std::vector<std::string>& args, InputOptions& options);

// Resolves options to a database and file list. On failure returns false and sets `error` to a
// message naming what is wrong and what to do (the caller prints `hone: error: ...`, exits 2).
bool load_inputs(const InputOptions& options, Inputs& inputs, std::string& error);

}  // namespace hone::analyze
