// Classification of one compiler command line: what kind of call it is, its inputs and its output.
//
// The wrapper adds flags only where they apply (nothing profile-related on -E, no link flags on -c),
// so it must know which steps a call performs. Response files (@file) are read for classification
// only (support/response_files.h); the command line itself is passed to the compiler untouched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hone::wrapper {

enum class CallKind {
  compile,           // -c or -S on source files: compile steps only
  compile_and_link,  // source files and no -c: compile steps and a link step
  link,              // only objects/libraries as inputs: a link step
  preprocess,        // -E, or -M/-MM without -MD/-MMD
  assemble,          // -c on assembly (.s) only
  query,             // --version, -print-*, -dumpmachine, a lone -v
  unknown,           // no inputs it could identify
};

std::string_view to_string(CallKind kind);

struct Classification {
  CallKind kind = CallKind::unknown;
  std::vector<std::string> sources;  // source inputs in command-line order ("-" for stdin)
  // For each source, its index in the arguments classify() was given, or std::string::npos when it was
  // read from a response file (the compile database records each source without the call's others).
  std::vector<size_t> source_arguments;
  std::vector<std::string> objects;  // object files, archives, shared libraries
  std::string output;                // -o value, empty when not given
  bool reads_stdin = false;
  bool response_file_error = false;  // an @file could not be read: classified from what was readable
};

// `arguments` excludes the compiler itself (argv[1..]).
Classification classify(const std::vector<std::string>& arguments);

}  // namespace hone::wrapper
