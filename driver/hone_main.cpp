// Mode selection for `hone`, in the order ccache uses:
//   1. invoked under another name (a masquerade symlink such as `gcc -> hone`): wrap that compiler;
//   2. `hone <known command> ...` or `hone --help/--version`: management mode;
//   3. anything else, `hone <compiler> <args...>`: wrap that compiler (launcher mode), unless it names no
//      program on PATH and is a near miss of a command (`hone layuot`): then it is a typo, and hone says
//      which command was probably meant instead of "cannot run 'layuot'".
// `hone -- <compiler> ...` forces launcher mode for a compiler whose name clashes with a command.
#include "driver/hone_main.h"

#include <cstdio>
#include <string_view>

#include "driver/command_table.h"
#include "driver/subcommand_exec.h"
#include "driver/wrapper/paths.h"
#include "driver/wrapper/wrapper.h"
#include "support/contracts.h"
#include "support/paths.h"

namespace hone {

int hone_main(int argc, char** argv) {
  std::string_view invoked_as = argc > 0 ? support::base_name(argv[0]) : "hone";
  if (invoked_as != "hone" && !invoked_as.starts_with("hone-") && !invoked_as.starts_with("hone.")) {
    return run_masquerade(argc, argv);
  }
  if (argc < 2) {
    run_help(0, nullptr);
    return support::k_exit_usage;
  }
  std::string_view first = argv[1];
  if (first == "--") {
    if (argc < 3) {
      std::fprintf(stderr, "hone: error: '--' must be followed by a compiler command\n");
      return support::k_exit_usage;
    }
    return run_launcher(argc - 2, argv + 2);
  }
  if (first == "--help" || first == "-h") return run_help(argc - 2, argv + 2);
  if (first == "--version") return run_version(argc - 2, argv + 2);
  if (const Command* command = find_command(first)) {
    if (command->run) return command->run(argc - 2, argv + 2);
    return exec_external_command(*command, argc - 2, argv + 2);
  }
  if (first.starts_with("-")) {
    std::fprintf(stderr, "hone: error: unknown option '%s'; run 'hone --help' for usage\n", argv[1]);
    return support::k_exit_usage;
  }
  // Only a word that is no program at all can be a typo: `hone gcc` must stay a compile, and the PATH
  // search happens only for words near a command name, so launcher mode pays nothing for it.
  if (std::string_view meant = closest_command(first);
      !meant.empty() && first.find('/') == std::string_view::npos && wrapper::find_in_path(argv[1], "").empty()) {
    std::fprintf(stderr, "hone: error: unknown command '%s'; did you mean '%.*s'? (run 'hone help' for the list)\n",
                 argv[1], static_cast<int>(meant.size()), meant.data());
    return support::k_exit_usage;
  }
  return run_launcher(argc - 1, argv + 1);
}

}  // namespace hone
