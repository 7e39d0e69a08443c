// The management commands hone knows, and the two that are so small they live right here (help and
// version). Adding a command is adding a row: the dispatcher and `hone --help` read only this table.
#include "driver/command_table.h"

#include <cstdio>

#include "driver/doctor.h"

namespace hone {
namespace {

constexpr Command k_commands[] = {
    {"pgo", "Profile-guided release build: instrument, train, merge, optimize (PGO+LTO), BOLT, verify", nullptr,
     "hone-pgo", ""},
    {"layout", "Report struct padding and the optimal field order across a codebase", nullptr, "hone-analyze",
     "layout"},
    {"vec", "Report loops the compiler did not vectorize, why, and verified fixes", nullptr, "hone-analyze", "vec"},
    {"bench", "Run Google Benchmark executables and gate on statistically significant regressions", nullptr,
     "hone-bench", ""},
    {"profile", "Profile a command with Linux perf and write a flame graph", nullptr, "hone-profile", ""},
    {"doctor", "Show the compilers and LLVM tools found, and mismatches that will break PGO", run_doctor, "", ""},
    {"help", "Show this help", run_help, "", ""},
    {"version", "Show hone's version", run_version, "", ""},
};

}  // namespace

std::span<const Command> command_table() {
  return k_commands;
}

const Command* find_command(std::string_view name) {
  for (const Command& command : k_commands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

int run_help(int, char**) {
  std::printf("hone %s: measured, automatic C and C++ performance.\n\n", HONE_VERSION);
  std::printf("Usage:\n"
              "  hone <compiler> [compiler arguments...]   wrap one compiler call (launcher mode)\n"
              "  hone <command> [options...]               run a management command\n\n"
              "Commands:\n");
  for (const Command& command : command_table()) {
    std::printf("  %-10.*s %.*s\n", static_cast<int>(command.name.size()), command.name.data(),
                static_cast<int>(command.summary.size()), command.summary.data());
  }
  std::printf("\nRun 'hone <command> --help' for a command's options. Documentation: docs/ in the "
              "hone source tree.\n");
  return 0;
}

int run_version(int, char**) {
  std::printf("hone %s\n", HONE_VERSION);
  return 0;
}

}  // namespace hone
