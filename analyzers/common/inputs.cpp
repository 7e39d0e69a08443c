// Loading the compilation database or the fixed `--` flags (see inputs.h).
#include "inputs.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <set>

namespace hone::analyze {

std::vector<std::string> split_fixed_flags(const std::vector<std::string>& args, InputOptions& options) {
  std::vector<std::string> before;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {
      options.has_fixed_flags = true;
      options.fixed_flags.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      return before;
    }
    before.push_back(args[i]);
  }
  return before;
}

static std::string absolute(const std::string& path) {
  llvm::SmallString<256> result(path);
  llvm::sys::fs::make_absolute(result);
  llvm::sys::path::remove_dots(result, /*remove_dot_dot=*/true);
  return std::string(result);
}

bool load_inputs(const InputOptions& options, Inputs& inputs, std::string& error) {
  for (const std::string& file : options.files) {
    if (!llvm::sys::fs::exists(file)) {
      error = "no such file: '" + file + "'";
      return false;
    }
    inputs.files.push_back(absolute(file));
  }
  if (options.has_fixed_flags) {
    if (inputs.files.empty()) {
      error = "flags after '--' need at least one source file before the '--'";
      return false;
    }
    inputs.database = std::make_unique<clang::tooling::FixedCompilationDatabase>(".", options.fixed_flags);
    return true;
  }
  std::string load_error;
  if (!options.build_dir.empty()) {
    inputs.database = clang::tooling::CompilationDatabase::loadFromDirectory(options.build_dir, load_error);
    if (!inputs.database) {
      error = "cannot load a compilation database from '" + options.build_dir + "': " + load_error +
              " (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or capture one with the hone wrapper)";
      return false;
    }
  } else if (!inputs.files.empty()) {
    inputs.database = clang::tooling::CompilationDatabase::autoDetectFromSource(inputs.files.front(), load_error);
    if (!inputs.database) {
      error = "no compilation database found above '" + inputs.files.front() +
              "': pass -p BUILD_DIR, or give the flags after '--' (e.g. '" + inputs.files.front() + " -- -std=c++20')";
      return false;
    }
  } else {
    error = "nothing to analyze: give source files, -p BUILD_DIR, or both";
    return false;
  }
  if (inputs.files.empty()) {
    std::vector<std::string> all = inputs.database->getAllFiles();
    std::set<std::string> unique(all.begin(), all.end());
    inputs.files.assign(unique.begin(), unique.end());
    if (inputs.files.empty()) {
      error = "the compilation database in '" + options.build_dir + "' lists no files";
      return false;
    }
  } else {
    for (const std::string& file : inputs.files) {
      // LLVM's JSON database answers for any file, with flags borrowed from the closest listed one and a
      // non-empty Heuristic; analysing with guessed flags would be wrong without a word, so only a real
      // entry counts.
      std::vector<clang::tooling::CompileCommand> commands = inputs.database->getCompileCommands(file);
      bool listed = std::any_of(commands.begin(), commands.end(), [](const clang::tooling::CompileCommand& command) {
        return command.Heuristic.empty();
      });
      if (!listed) {
        error = "'" + file + "' is not in the compilation database" +
                (commands.empty() ? std::string()
                                  : " (its flags would only be guessed from '" + commands.front().Filename + "')") +
                "; add it to the build, or pass its flags after '--'";
        return false;
      }
    }
  }
  return true;
}

}  // namespace hone::analyze
