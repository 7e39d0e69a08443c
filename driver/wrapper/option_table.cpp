// Option rows for GCC and Clang (the two drivers share spellings for everything listed here). Rows are
// searched in order, so longer spellings that share a prefix with a shorter one come first (-MD before
// -M, -print-* before -p...). Sources: the GCC manual's "Option Summary" and clang's Options.td.
#include "driver/wrapper/option_table.h"

namespace hone::wrapper {
namespace {

constexpr OptionSpec k_options[] = {
    // What to stop after.
    {"-c", false, k_stops_at_object},
    {"-S", false, k_stops_at_assembly},
    {"-E", false, k_preprocess_only},
    // Dependency generation: -MD/-MMD are side effects of a compile; -M/-MM replace it.
    {"-MD", false, k_dependencies_side},
    {"-MMD", false, k_dependencies_side},
    {"-MF", true, k_takes_argument},
    {"-MT", true, k_takes_argument},
    {"-MQ", true, k_takes_argument},
    {"-MP", false, 0},
    {"-MG", false, 0},
    {"-MM", false, k_dependencies_only},
    {"-M", false, k_dependencies_only},
    // Queries: the compiler answers and compiles nothing.
    {"--version", false, k_query},
    {"-dumpversion", false, k_query},
    {"-dumpfullversion", false, k_query},
    {"-dumpmachine", false, k_query},
    {"-dumpspecs", false, k_query},
    {"-print-", true, k_query},
    {"--print-", true, k_query},
    {"--help", true, k_query},
    {"-###", false, k_query},
    {"-v", false, k_verbose},
    // Output and language.
    {"-o", true, k_takes_argument | k_output},
    {"-x", true, k_takes_argument | k_language},
    // Options whose value may be the next argument.
    {"-I", true, k_takes_argument},
    {"-D", true, k_takes_argument},
    {"-U", true, k_takes_argument},
    {"-L", true, k_takes_argument | k_link_input},
    {"-l", true, k_takes_argument | k_link_input},
    {"-include", false, k_takes_argument},
    {"-imacros", false, k_takes_argument},
    {"-isystem", true, k_takes_argument},
    {"-iquote", true, k_takes_argument},
    {"-idirafter", true, k_takes_argument},
    {"-iprefix", false, k_takes_argument},
    {"-iwithprefix", false, k_takes_argument},
    {"-isysroot", true, k_takes_argument},
    {"-imultilib", false, k_takes_argument},
    {"--sysroot", false, k_takes_argument},
    {"-target", false, k_takes_argument},
    {"-arch", false, k_takes_argument},
    {"-aux-info", false, k_takes_argument},
    {"-u", false, k_takes_argument | k_link_input},
    {"-T", false, k_takes_argument | k_link_input},
    {"-z", false, k_takes_argument | k_link_input},
    {"-e", false, k_takes_argument | k_link_input},
    {"-Xlinker", false, k_takes_argument | k_link_input},
    {"-Xassembler", false, k_takes_argument},
    {"-Xpreprocessor", false, k_takes_argument},
    {"-Xclang", false, k_takes_argument},
    {"-mllvm", false, k_takes_argument},
    {"--param", false, k_takes_argument},
    {"-Wl,", true, k_link_input},
    // GNU long forms (GCC's driver maps them to the short ones; clang accepts them too): the value is the
    // next argument, or joined after '=' (`--include h.h`, `--include=h.h`). Longer spellings first.
    {"--include-directory-after", true, k_takes_argument},
    {"--include-directory", true, k_takes_argument},
    {"--include-with-prefix-before", true, k_takes_argument},
    {"--include-with-prefix-after", true, k_takes_argument},
    {"--include-with-prefix", true, k_takes_argument},
    {"--include-prefix", true, k_takes_argument},
    {"--include", true, k_takes_argument},
    {"--imacros", true, k_takes_argument},
    {"--define-macro", true, k_takes_argument},
    {"--undefine-macro", true, k_takes_argument},
    {"--library-directory", true, k_takes_argument | k_link_input},
    {"--output", true, k_takes_argument | k_output},
    {"--language", true, k_takes_argument | k_language},
};

}  // namespace

const OptionSpec* find_option(std::string_view argument) {
  for (const OptionSpec& spec : k_options) {
    if (spec.prefix ? argument.starts_with(spec.spelling) : argument == spec.spelling) return &spec;
  }
  return nullptr;
}

}  // namespace hone::wrapper
