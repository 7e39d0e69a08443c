// The table of management commands. `hone <name>` either runs a built-in function (cheap commands that
// need nothing beyond the driver) or execs a helper executable installed beside `hone` (commands that
// link heavier libraries). One row per command; `hone --help` is generated from this table.
#pragma once

#include <span>
#include <string_view>

namespace hone {

struct Command {
  std::string_view name;
  std::string_view summary;
  // Built-in: called with the arguments after the command name. Null for external commands.
  int (*run)(int argc, char** argv);
  // External: the executable to exec (found beside `hone` or in ../libexec/hone) and an optional first
  // argument that selects the tool inside a multi-tool executable (e.g. "layout" for hone-analyze).
  std::string_view executable;
  std::string_view leading_argument;
};

std::span<const Command> command_table();
const Command* find_command(std::string_view name);

// The candidate a mistyped `word` most likely meant: the nearest by edit distance (insertions,
// deletions, substitutions, and a swap of two neighbours counting as one), if it is at most a third of
// the word's length away (at least 1); "" when nothing is that close. Used for `hone layuot` and for
// unknown HONE_* variables in `hone doctor`.
std::string_view closest_name(std::string_view word, std::span<const std::string_view> candidates);

// closest_name over the command names.
std::string_view closest_command(std::string_view word);

int run_help(int argc, char** argv);
int run_version(int argc, char** argv);

}  // namespace hone
