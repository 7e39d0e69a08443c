// Reading the files `hone report` draws from, with errors that name the file and what is wrong.
//
// Every input is something another hone command wrote, so a document of the wrong shape is most likely
// the wrong file (a SARIF log where JSON was expected, `hone bench run`'s store where the comparison was
// expected): the messages say which command writes the expected file. Malformed JSON is reported with
// its line and column, computed from nlohmann-json's byte offset.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace hone::report {

// The whole file as text; throws InputError naming the path when it cannot be read.
std::string read_text_file(const std::string& path);

// An input's text: the file, or standard input for "-" (so `hone vec --format json | hone report --vec -`).
std::string read_input(const std::string& path);

// The input (a file, or "-" for standard input) parsed as JSON; throws InputError "PATH:LINE:COLUMN: malformed JSON:
// ..." when it does not parse.
nlohmann::json read_json_file(const std::string& path);

// "line L, column C" of a byte offset in text (1-based), for messages.
std::string position_of(std::string_view text, std::size_t offset);

// The member `key` of `object`, which must be of `type`; throws InputError
// "PATH: 'WHERE.KEY' is missing|is not TYPE (expected: WRITER)" otherwise.
const nlohmann::json& member(const nlohmann::json& object, std::string_view key, nlohmann::json::value_t type,
                             const std::string& path, const std::string& where, std::string_view writer);

// Like member() but optional: nullptr when absent, InputError when present with another type.
const nlohmann::json* optional_member(const nlohmann::json& object, std::string_view key, nlohmann::json::value_t type,
                                      const std::string& path, const std::string& where, std::string_view writer);

// Typed access to one input document's fields, every failure an InputError naming the file, the field
// ("findings[3].data.size") and the command that writes the expected file.
class Fields {
public:
  Fields(const std::string& path, std::string_view writer) : path_(path == "-" ? "<stdin>" : path), writer_(writer) {}
  const std::string& path() const { return path_; }

  const nlohmann::json& array(const nlohmann::json& object, std::string_view key, const std::string& where) const;
  const nlohmann::json& object(const nlohmann::json& object, std::string_view key, const std::string& where) const;
  std::string text(const nlohmann::json& object, std::string_view key, const std::string& where) const;
  std::string text_or(const nlohmann::json& object, std::string_view key, const std::string& where,
                      const std::string& fallback) const;
  double number(const nlohmann::json& object, std::string_view key, const std::string& where) const;
  std::optional<double> optional_number(const nlohmann::json& object, std::string_view key,
                                        const std::string& where) const;
  // A whole number >= 0.
  std::uint64_t count(const nlohmann::json& object, std::string_view key, const std::string& where) const;
  std::uint64_t count_or(const nlohmann::json& object, std::string_view key, const std::string& where,
                         std::uint64_t fallback) const;
  bool flag_or(const nlohmann::json& object, std::string_view key, const std::string& where, bool fallback) const;
  // A string element of an array.
  std::string element_text(const nlohmann::json& value, const std::string& where) const;

  // "where[index]", for the `where` of an array's elements.
  static std::string at(const std::string& where, std::size_t index);

private:
  std::string path_;
  std::string_view writer_;
};

}  // namespace hone::report
