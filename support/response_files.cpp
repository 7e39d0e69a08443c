// Response-file expansion (see response_files.h). Moved unchanged from the wrapper's classifier so
// that the analyzers expand `@file` exactly as the wrapper does.
#include "support/response_files.h"

#include <fstream>
#include <sstream>

#include "support/paths.h"

namespace hone::support {
namespace {

constexpr int k_max_response_depth = 8;

void expand_into(const std::vector<std::string>& arguments, int depth, std::string_view directory, bool& error,
                 std::vector<std::string>& out) {
  for (const std::string& argument : arguments) {
    if (argument.size() < 2 || argument[0] != '@' || depth >= k_max_response_depth) {
      out.push_back(argument);
      continue;
    }
    std::ifstream in(absolute_in(directory, std::string_view(argument).substr(1)), std::ios::binary);
    if (!in) {
      error = true;
      out.push_back(argument);
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    expand_into(split_response_text(text.str()), depth + 1, directory, error, out);
  }
}

} // namespace

std::vector<std::string> split_response_text(std::string_view text) {
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

std::vector<std::string> expand_response_files(const std::vector<std::string>& arguments, bool& error,
                                               std::string_view directory) {
  std::vector<std::string> out;
  expand_into(arguments, 0, directory, error, out);
  return out;
}

} // namespace hone::support
