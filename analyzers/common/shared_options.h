// The command-line options every analyzer shares, parsed in one place.
//
// `hone layout` and `hone vec` take the same input, parallelism, output and header options, with the
// same spellings and the same error messages. parse_analyzer_arguments() is the whole argument walk;
// an analyzer hands it a parser for the options only it has.
#pragma once

#include "findings.h"
#include "inputs.h"
#include "tu_runner.h"

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringRef.h>

#include <cstddef>
#include <string>
#include <vector>

namespace hone::analyze {

// Walks an argument list; `--name=value` is split so options take their value either way.
class ArgumentCursor {
public:
  explicit ArgumentCursor(const std::vector<std::string>& args) : args_(args) {}

  // Moves to the next argument; false at the end.
  bool next();
  // The current option's name (without any `=value`).
  const std::string& name() const { return name_; }
  // The option's value: the `=value` part, else the next argument (consumed). False if there is none.
  bool take_value(std::string& out);

private:
  const std::vector<std::string>& args_;
  std::size_t index_ = 0;
  bool started_ = false;
  std::string name_;
  std::string inline_value_;
  bool has_inline_value_ = false;
};

enum class ColorMode { Auto, Always, Never };

// How the report is presented and what is written beside it, the same for every analyzer.
struct ReportOptions {
  // --color: colours in text output; auto means when stdout is a terminal, TERM is not "dumb" and
  // NO_COLOR is not set.
  ColorMode color = ColorMode::Auto;
  // --export-fixes FILE: the fixes as a clang-apply-replacements YAML file (export_fixes.h); "" none.
  std::string export_fixes;
};

// Where the shared options land in an analyzer's own option struct.
struct SharedOptionTargets {
  InputOptions& inputs;
  RunOptions& run;
  OutputFormat& format;
  std::string& header_filter;
  bool& system_headers;
  ReportOptions& report;
};

enum class OptionParse { NotRecognized, Taken, Error };

// Parses the cursor's current argument if it is a shared option (-p DIR, -jN, --format, --header-filter,
// --system-headers, --color, --export-fixes); on Error, `error` says what is wrong in the words of a usage
// message.
OptionParse parse_shared_option(ArgumentCursor& cursor, const SharedOptionTargets& targets, std::string& error);

// Parses the cursor's current argument if it is one of an analyzer's own options; on Error, `error` says
// what is wrong.
using OwnOptionParser = llvm::function_ref<OptionParse(ArgumentCursor& cursor, std::string& error)>;

// The whole argument walk of `hone <command>`: compiler flags after `--`, the shared options, -h/--help
// (prints `usage`), the analyzer's own options and positional source files, then checks the
// --header-filter regex. Returns -1 when the analyzer should run, else its exit code; usage errors are
// printed.
int parse_analyzer_arguments(const std::vector<std::string>& args, const SharedOptionTargets& targets,
                             llvm::StringRef command, llvm::StringRef usage, OwnOptionParser parse_own);

// Whether text output gets colours under `mode` (auto: stdout is a terminal, TERM is set and not "dumb",
// and NO_COLOR (no-color.org) is unset or empty).
bool use_color(ColorMode mode);

// What --color and the status line decide, applied: colours enabled on llvm::outs() or not, and
// run.progress set when stderr is a terminal.
void apply_presentation(const ReportOptions& report, RunOptions& run);

// Prints "hone: error: <message>" and where the options are described; returns k_exit_usage.
int usage_error(llvm::StringRef command, const std::string& message);

}  // namespace hone::analyze
