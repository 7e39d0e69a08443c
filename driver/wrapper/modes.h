// The wrapper's modes, read from HONE_* environment variables, and the flags each adds to a call.
//
// Variables (docs/wrapper.md is the reference):
//   HONE_DISABLE=1                 add nothing at all
//   HONE_PROFILE_GENERATE=DIR      IR PGO instrumentation, profiles written under DIR
//   HONE_PROFILE_USE=PATH          optimize with a profile (.profdata for clang, a directory for GCC)
//   HONE_LTO=thin|full             link-time optimization (clang links with lld)
//   HONE_RELOCS=1                  keep relocations in linked binaries (for BOLT)
//   HONE_REMARKS_DIR=DIR           optimization records, one file per compile
//   HONE_COMPILE_DB=FILE           append each compile to a compile_commands.json
//   HONE_EXTRA_COMPILE_FLAGS=...   extra flags for compile steps (split on white space)
//   HONE_EXTRA_LINK_FLAGS=...      extra flags for link steps
//   HONE_PREFIX_COMMAND=...        run the compiler through this command (e.g. distcc)
//   HONE_LOG=FILE                  one line per call: the kind and the final command
#pragma once

#include <string>
#include <vector>

#include "driver/wrapper/classify.h"
#include "driver/wrapper/compiler_info.h"

namespace hone::wrapper {

enum class LtoKind { off, thin, full };

struct ModeSettings {
  bool disabled = false;
  std::string profile_generate_dir;
  std::string profile_use_path;
  LtoKind lto = LtoKind::off;
  bool relocs = false;
  std::string remarks_dir;
  std::string compile_db;
  std::vector<std::string> extra_compile_flags;
  std::vector<std::string> extra_link_flags;
  std::vector<std::string> prefix_command;
  std::string log_file;

  // True when some mode changes the compiler's command line (so the compiler family is needed).
  bool changes_command() const;
  // True when any variable asks for work beyond exec'ing the compiler.
  bool any() const;
};

// Reads the variables. Every problem (bad value, missing file) is appended to `problems` as a full
// sentence; the caller then warns and runs the command unmodified.
ModeSettings read_mode_settings(std::vector<std::string>& problems);

// The flags to append to this call, given its classification and the compiler family. Only flags
// that apply to the steps the call performs: none for preprocess, query, assemble or unknown calls.
std::vector<std::string> mode_flags(const ModeSettings& settings,
                                    const Classification& call,
                                    CompilerFamily family,
                                    const std::string& remarks_file);

std::vector<std::string> split_words(const std::string& text);

} // namespace hone::wrapper
