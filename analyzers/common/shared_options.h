// The command-line options every analyzer shares, parsed in one place.
//
// `hone layout` and `hone vec` take the same input, parallelism, output and header options, with the
// same spellings and the same error messages; each analyzer's own parser walks its arguments with an
// ArgumentCursor and hands every argument to parse_shared_option() before looking at its own options.
#pragma once

#include "findings.h"
#include "inputs.h"
#include "tu_runner.h"

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

// Where the shared options land in an analyzer's own option struct.
struct SharedOptionTargets {
  InputOptions& inputs;
  RunOptions& run;
  OutputFormat& format;
  std::string& header_filter;
  bool& system_headers;
};

enum class OptionParse { NotShared, Taken, Error };

// Parses the cursor's current argument if it is a shared option (-p DIR, -jN, --format, --header-filter,
// --system-headers); on Error, `error` says what is wrong in the words of a usage message.
OptionParse parse_shared_option(ArgumentCursor& cursor, const SharedOptionTargets& targets, std::string& error);

}  // namespace hone::analyze
