// Walks the arguments once with the option table: options set flags, the arguments they consume are
// skipped, and what remains are inputs, sorted into sources and link inputs by extension (or by -x,
// which overrides extensions for the inputs after it, as in GCC). The kind follows from the flags.
#include "driver/wrapper/classify.h"

#include <array>
#include <fstream>
#include <sstream>

#include "driver/wrapper/option_table.h"

namespace hone::wrapper {
namespace {

constexpr int k_max_response_depth = 8;

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

bool is_assembly(std::string_view path) { return has_extension(path, {"s", "asm"}); }

bool is_source(std::string_view path) {
  return has_extension(path, {"c", "cc", "cp", "cpp", "cxx", "c++", "C", "CPP", "i", "ii", "m", "mm", "M",
                              "mi", "mii", "S", "sx", "s", "asm", "cu", "hip", "cppm", "ixx", "f", "f90",
                              "F", "F90", "for", "h", "hh", "hpp", "hxx", "H"});
}

// GCC's response-file syntax: arguments separated by whitespace; single quotes, double quotes and
// backslash escape.
std::vector<std::string> split_response_text(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

void expand_into(const std::vector<std::string>& arguments, int depth, bool& error,
                 std::vector<std::string>& out) {
  for (const std::string& argument : arguments) {
    if (argument.size() < 2 || argument[0] != '@' || depth >= k_max_response_depth) {
      out.push_back(argument);
      continue;
    }
    std::ifstream in(argument.substr(1), std::ios::binary);
    if (!in) {
      error = true;
      out.push_back(argument);
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    expand_into(split_response_text(text.str()), depth + 1, error, out);
  }
}

} // namespace

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

std::vector<std::string> expand_response_files(const std::vector<std::string>& arguments, bool& error) {
  std::vector<std::string> out;
  expand_into(arguments, 0, error, out);
  return out;
}

Classification classify(const std::vector<std::string>& raw_arguments) {
  Classification result;
  std::vector<std::string> arguments = expand_response_files(raw_arguments, result.response_file_error);

  std::uint32_t seen = 0;
  bool explicit_language = false;  // -x LANG (other than "none") makes every later input a source
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "-") {
      result.sources.push_back(argument);
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

} // namespace hone::wrapper
