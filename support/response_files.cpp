// Response-file expansion (see response_files.h). Shared by the wrapper's classifier and the analyzers
// so that both expand `@file` alike.
//
// Expansion is bounded the way a hostile or broken build cannot defeat: a file that names itself, or any
// file already being expanded further up the chain (a cycle, which clang rejects as "recursive
// expansion"), stays a literal argument; and one expansion opens at most k_max_files files and reads at
// most k_max_total_bytes, so a chain of files that each name the next many times (exponential without a
// cycle) stops early instead of running for hours. Either way `error` is set and the caller classifies
// from what was read; the compiler itself still sees the untouched command and reports the problem.
#include "support/response_files.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <utility>

#include "support/paths.h"

namespace hone::support {
namespace {

constexpr int k_max_response_depth = 8;
constexpr size_t k_max_files = 4096;
constexpr size_t k_max_total_bytes = size_t{256} << 20;

struct Expansion {
  std::string_view directory;
  bool& error;
  std::vector<std::string>& out;
  std::vector<size_t>* origins;                // when wanted: for each word of `out`, its argument's index or npos
  std::vector<std::pair<dev_t, ino_t>> chain;  // the files being expanded, outermost first
  size_t files = 0;
  size_t bytes = 0;
};

// Reads the response file `name` for expansion, or returns false (with `error` set) when it cannot be
// read, is already in the chain, or would pass the bounds.
bool read_response_file(Expansion& expansion, std::string_view name, std::string& text,
                        std::pair<dev_t, ino_t>& identity) {
  const std::string path = absolute_in(expansion.directory, name);
  struct stat status{};
  if (stat(path.c_str(), &status) != 0) return false;
  identity = {status.st_dev, status.st_ino};
  bool cycle = std::find(expansion.chain.begin(), expansion.chain.end(), identity) != expansion.chain.end();
  size_t size = static_cast<size_t>(std::max<off_t>(status.st_size, 0));
  if (cycle || expansion.files >= k_max_files || size > k_max_total_bytes - expansion.bytes) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = std::move(buffer).str();
  ++expansion.files;
  expansion.bytes += std::min(text.size(), k_max_total_bytes - expansion.bytes);
  return true;
}

void expand_into(Expansion& expansion, const std::vector<std::string>& arguments, int depth) {
  for (size_t index = 0; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (argument.size() < 2 || argument[0] != '@' || depth >= k_max_response_depth) {
      expansion.out.push_back(argument);
      if (expansion.origins) expansion.origins->push_back(depth == 0 ? index : std::string::npos);
      continue;
    }
    std::string text;
    std::pair<dev_t, ino_t> identity;
    if (!read_response_file(expansion, std::string_view(argument).substr(1), text, identity)) {
      expansion.error = true;
      expansion.out.push_back(argument);
      if (expansion.origins) expansion.origins->push_back(depth == 0 ? index : std::string::npos);
      continue;
    }
    expansion.chain.push_back(identity);
    expand_into(expansion, split_response_text(text), depth + 1);
    expansion.chain.pop_back();
  }
}

}  // namespace

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
                                               std::string_view directory, std::vector<size_t>* origins) {
  std::vector<std::string> out;
  if (origins) origins->clear();
  Expansion expansion{directory, error, out, origins, {}, 0, 0};
  expand_into(expansion, arguments, 0);
  return out;
}

}  // namespace hone::support
