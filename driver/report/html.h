// The HTML side of `hone report`: escaping, number formatting and the page shell.
//
// Every string that comes from an input file (struct, file, function and benchmark names, messages,
// source lines) goes through escape() before it reaches the page, in text and in attribute values
// alike: the page must stay inert whatever names a project uses (a struct called `<script>` is text).
// The shell carries all the CSS and the one small script (sorting and filtering tables) inline, so the
// file opens offline and from anywhere, and the script reads only the page's own DOM.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hone::report {

// Bad input: the message names the file (and line when known) and what is wrong; exit status 2.
class InputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Escapes & < > " ' so the text is safe in element content and in quoted attribute values: the one
// markup rule hone's pages and SVGs share (support/markup.h).
std::string escape(std::string_view text);

// "%.*f" with `digits` decimals; "n/a" for a value that is not finite.
std::string fixed(double value, int digits);

// A duration in seconds, scaled to s, ms, us or ns with three significant digits.
std::string seconds_text(double seconds);

// Rows a long table shows before "show all" (the rest are in the page, hidden until asked for).
inline constexpr std::size_t k_table_page_rows = 200;

// ` hidden` for the rows of a paged table past its first page, else "".
inline const char* hidden_past_page(std::size_t row_index) {
  return row_index < k_table_page_rows ? "" : " hidden";
}

// The filter bar of a table: `controls` (selects, inputs) before the count and the "show all" button.
std::string filter_bar(const std::string& table_id, const std::string& controls);

// One part of the page: `id` is its anchor, `body` HTML built with escape().
struct Section {
  std::string id;
  std::string title;
  std::string body;
};

// The complete document: header, the list of inputs, a table of contents and the sections.
std::string render_page(std::string_view title, const std::vector<std::string>& inputs,
                        const std::vector<Section>& sections);

}  // namespace hone::report
