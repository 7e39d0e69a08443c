// Walks the arguments once with the option table: options set flags, the arguments they consume are
// skipped, and what remains are inputs, sorted into sources and link inputs by extension (or by -x,
// which overrides extensions for the inputs after it, as in GCC). The kind follows from the flags.
#include "driver/wrapper/classify.h"

#include <array>

#include "driver/wrapper/option_table.h"
#include "support/response_files.h"

namespace hone::wrapper {
namespace {

bool has_extension(std::string_view path, std::initializer_list<std::string_view> extensions) {
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return false;
  std::string_view extension = path.substr(dot + 1);
  for (std::string_view candidate : extensions) {
    if (extension == candidate) return true;
  }
  return false;
}

bool is_assembly(std::string_view path) {
  return has_extension(path, {"s", "asm"});
}

bool is_source(std::string_view path) {
  return has_extension(path, {"c",   "cc", "cp",  "cpp", "cxx", "c++", "C", "CPP", "i",   "ii",  "m",
                              "mm",  "M",  "mi",  "mii", "S",   "sx",  "s", "asm", "cu",  "hip", "cppm",
                              "ixx", "f",  "f90", "F",   "F90", "for", "h", "hh",  "hpp", "hxx", "H"});
}

}  // namespace

std::string_view to_string(CallKind kind) {
  switch (kind) {
    case CallKind::compile: return "compile";
    case CallKind::compile_and_link: return "compile+link";
    case CallKind::link: return "link";
    case CallKind::preprocess: return "preprocess";
    case CallKind::assemble: return "assemble";
    case CallKind::query: return "query";
    case CallKind::unknown: return "unknown";
  }
  return "unknown";
}

Classification classify(const std::vector<std::string>& raw_arguments) {
  Classification result;
  std::vector<size_t> origins;
  std::vector<std::string> arguments =
      support::expand_response_files(raw_arguments, result.response_file_error, {}, &origins);

  std::uint32_t seen = 0;
  bool explicit_language = false;  // -x LANG (other than "none") makes every later input a source
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    // An empty argument names no file. clang 19 ignores it (`clang -c a.c ''` compiles a.c, exit 0;
    // `clang -c -x c ''` says "no input files"); GCC 12 takes it for a linker input that is never found
    // (`gcc -c a.c ''` compiles a.c, then exits 1 with ": linker input file not found"; after `-x c` it is an
    // internal compiler error). Neither compiles it, so it is no source (a command holding thousands of
    // them must not record thousands of entries) and no link input; the command itself still reaches the
    // compiler unchanged, and the compiler reports it as it always does.
    if (argument.empty()) continue;
    if (argument == "-") {
      result.sources.push_back(argument);
      result.source_arguments.push_back(origins[i]);
      result.reads_stdin = true;
      continue;
    }
    if (argument.size() > 1 && argument[0] == '-') {
      const OptionSpec* spec = find_option(argument);
      if (!spec) continue;
      seen |= spec->flags;
      std::string value;
      bool joined = spec->prefix && argument.size() > spec->spelling.size();
      if ((spec->flags & k_takes_argument) != 0) {
        if (joined) {
          value = argument.substr(spec->spelling.size());
          if (spec->spelling.starts_with("--") && value.starts_with("=")) value.erase(0, 1);  // --output=x.o
        } else if (i + 1 < arguments.size()) {
          value = arguments[++i];
        }
      }
      if ((spec->flags & k_output) != 0) result.output = value;
      if ((spec->flags & k_language) != 0) explicit_language = value != "none";
      continue;
    }
    if (explicit_language || is_source(argument)) {
      result.sources.push_back(argument);
      result.source_arguments.push_back(origins[i]);
    } else {
      result.objects.push_back(argument);
    }
  }

  bool has_inputs = !result.sources.empty() || !result.objects.empty();
  if ((seen & k_query) != 0 || ((seen & k_verbose) != 0 && !has_inputs)) {
    result.kind = CallKind::query;
  } else if ((seen & k_preprocess_only) != 0 ||
             ((seen & k_dependencies_only) != 0 && (seen & k_dependencies_side) == 0)) {
    result.kind = CallKind::preprocess;
  } else if (!has_inputs) {
    result.kind = CallKind::unknown;
  } else if ((seen & (k_stops_at_object | k_stops_at_assembly)) != 0) {
    bool all_assembly = !result.sources.empty() && !explicit_language;
    for (const std::string& source : result.sources) all_assembly = all_assembly && is_assembly(source);
    result.kind = all_assembly && (seen & k_stops_at_object) != 0 ? CallKind::assemble : CallKind::compile;
  } else if (!result.sources.empty()) {
    result.kind = CallKind::compile_and_link;
  } else {
    result.kind = CallKind::link;
  }
  return result;
}

}  // namespace hone::wrapper
