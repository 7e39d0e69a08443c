// The table of compiler options the wrapper needs to understand, and the lookup into it.
//
// Like ccache, hone keeps per-option knowledge in data, not in a chain of ifs: each row says how the
// option is spelled (exact, or a prefix with the value joined), whether it consumes the next argument,
// and what it tells the classifier (stop after compiling, preprocess only, a query, ...). Options that
// are not in the table are passed through and do not affect classification.
#pragma once

#include <cstdint>
#include <string_view>

namespace hone::wrapper {

enum OptionFlag : std::uint32_t {
  k_takes_argument = 1u << 0,     // the value is the next argument when not joined (-o out, -I dir)
  k_stops_at_object = 1u << 1,    // -c: compile or assemble, no link
  k_stops_at_assembly = 1u << 2,  // -S: compile to assembly, no link
  k_preprocess_only = 1u << 3,    // -E
  k_dependencies_only = 1u << 4,  // -M, -MM: print dependencies instead of compiling (unless -MD)
  k_dependencies_side = 1u << 5,  // -MD, -MMD: dependency file as a side effect of a compile
  k_query = 1u << 6,              // --version, -print-*, -dumpmachine: no compile at all
  k_output = 1u << 7,             // -o
  k_language = 1u << 8,           // -x LANG
  k_verbose = 1u << 9,            // -v: a query when it is the only thing asked
  k_link_input = 1u << 10,        // -lfoo, -Wl,...: only meaningful to the linker
};

struct OptionSpec {
  std::string_view spelling;
  // Exact: the argument equals the spelling. Prefix: the argument starts with it (value joined, as in
  // -Ifoo, -O2, -print-file-name=x); a k_takes_argument prefix option with nothing joined consumes the
  // next argument instead.
  bool prefix;
  std::uint32_t flags;
};

// The row that describes `argument`, or null when the table does not know it.
const OptionSpec* find_option(std::string_view argument);

}  // namespace hone::wrapper
