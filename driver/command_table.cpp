// The management commands hone knows, and the two that are so small they live right here (help and
// version). Adding a command is adding a row: the dispatcher, `hone --help`, `hone help CMD` and the
// did-you-mean for a mistyped command read only this table.
#include "driver/command_table.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "driver/doctor.h"
#include "driver/subcommand_exec.h"
#include "support/contracts.h"

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
    {"report", "Write one self-contained HTML page from pgo, bench, layout, vec and profile results", nullptr,
     "hone-report", ""},
    {"doctor", "Check what hone needs here: compilers, LLVM tools, HONE_* settings, perf, ccache order", run_doctor, "",
     ""},
    {"help", "Show this help, or a command's with 'hone help COMMAND'", run_help, "", ""},
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

namespace {

// Optimal string alignment distance: Levenshtein plus one step for swapping two neighbours, the most
// common typing slip ("layuot"). A table on the stack, no allocation: launcher mode asks this for every
// compile whose compiler name is about as long as a command name.
constexpr std::size_t k_longest_name = 31;
std::size_t typing_distance(std::string_view a, std::string_view b) {
  if (a.size() > k_longest_name || b.size() > k_longest_name) return std::max(a.size(), b.size());
  std::array<std::array<std::size_t, k_longest_name + 1>, k_longest_name + 1> d{};
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

int print_global_help() {
  std::printf("hone %s: measured, automatic C and C++ performance.\n\n", HONE_VERSION);
  std::printf("Usage:\n"
              "  hone <compiler> [compiler arguments...]   wrap one compiler call (launcher mode)\n"
              "  hone <command> [options...]               run a management command\n\n"
              "Commands:\n");
  for (const Command& command : command_table()) {
    std::printf("  %-10.*s %.*s\n", static_cast<int>(command.name.size()), command.name.data(),
                static_cast<int>(command.summary.size()), command.summary.data());
  }
  std::printf("\nRun 'hone help <command>' (or 'hone <command> --help') for a command's options. Documentation: "
              "docs/ in the hone source tree, or 'man hone'.\n");
  return 0;
}

}  // namespace

std::string_view closest_name(std::string_view word, std::span<const std::string_view> candidates) {
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::string_view best;
  std::size_t best_distance = allowed + 1;
  for (std::string_view candidate : candidates) {
    // A length difference is a lower bound of the distance: most words skip the table entirely.
    const std::size_t length_gap =
        word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    if (length_gap > allowed) continue;
    const std::size_t distance = typing_distance(word, candidate);
    if (distance < best_distance) best = candidate, best_distance = distance;
  }
  return best;
}

std::string_view closest_command(std::string_view word) {
  std::array<std::string_view, std::size(k_commands)> names;
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = k_commands[i].name;
  return closest_name(word, names);
}

// `hone help` prints the global help; `hone help CMD` the command's own (its --help), never the global
// one; an unknown CMD is a usage error with a suggestion.
int run_help(int argc, char** argv) {
  if (argc == 0) return print_global_help();
  const std::string_view name = argv[0];
  const Command* command = find_command(name);
  if (command == nullptr) {
    const std::string_view suggestion = closest_command(name);
    std::fprintf(stderr, "hone: error: 'hone help %s': no such command%s%.*s%s; run 'hone help' for the list\n",
                 argv[0], suggestion.empty() ? "" : " (did you mean '", static_cast<int>(suggestion.size()),
                 suggestion.data(), suggestion.empty() ? "" : "'?)");
    return support::k_exit_usage;
  }
  if (argc > 1) {
    std::fprintf(stderr, "hone: error: 'hone help' takes one command name; run 'hone %s --help'\n", argv[0]);
    return support::k_exit_usage;
  }
  if (command->run == run_help) return print_global_help();
  static char help_flag[] = "--help";
  char* help_arguments[] = {help_flag, nullptr};
  if (command->run) return command->run(1, help_arguments);
  return exec_external_command(*command, 1, help_arguments);
}

int run_version(int, char**) {
  std::printf("hone %s\n", HONE_VERSION);
  return 0;
}

}  // namespace hone
