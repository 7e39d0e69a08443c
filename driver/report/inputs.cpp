// Reading `hone report`'s inputs (see inputs.h). Type checks accept any JSON number where a number is
// expected (nlohmann-json tells integers, unsigned integers and floats apart; the writers do not
// promise one of them) and nothing else, so a string "12" where hone writes 12 is an error, not a guess.
#include "driver/report/inputs.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "driver/report/html.h"

namespace hone::report {
namespace {

const char* type_name(nlohmann::json::value_t type) {
  switch (type) {
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "true or false";
    case nlohmann::json::value_t::number_float:
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "a number";
    default: return "a value";
  }
}

bool is_number_type(nlohmann::json::value_t type) {
  return type == nlohmann::json::value_t::number_float || type == nlohmann::json::value_t::number_integer ||
         type == nlohmann::json::value_t::number_unsigned;
}

bool has_type(const nlohmann::json& value, nlohmann::json::value_t type) {
  if (is_number_type(type)) return value.is_number();
  return value.type() == type;
}

std::string joined(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path + ": cannot read the file");
  return text.str();
}

std::string position_of(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string read_input(const std::string& path) {
  if (path != "-") return read_text_file(path);
  std::ostringstream text;
  text << std::cin.rdbuf();
  if (std::cin.bad()) throw InputError("<stdin>: cannot read standard input");
  return text.str();
}

nlohmann::json read_json_file(const std::string& path) {
  std::string text = read_input(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // nlohmann's byte is the 1-based position of the last byte read (the offending one).
    std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    std::string what = error.what();
    std::size_t cut = what.find("syntax error");
    throw InputError((path == "-" ? std::string("<stdin>") : path) + ":" + position_of(text, offset) +
                     ": malformed JSON: " + (cut == std::string::npos ? what : what.substr(cut)));
  }
}

const nlohmann::json& member(const nlohmann::json& object, std::string_view key, nlohmann::json::value_t type,
                             const std::string& path, const std::string& where, std::string_view writer) {
  const nlohmann::json* found = optional_member(object, key, type, path, where, writer);
  if (found == nullptr)
    throw InputError(path + ": '" + joined(where, key) + "' is missing (expected " + std::string(writer) + ")");
  return *found;
}

const nlohmann::json* optional_member(const nlohmann::json& object, std::string_view key, nlohmann::json::value_t type,
                                      const std::string& path, const std::string& where, std::string_view writer) {
  if (!object.is_object())
    throw InputError(path + ": '" + (where.empty() ? std::string("the document") : where) +
                     "' is not an object (expected " + std::string(writer) + ")");
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return nullptr;
  if (!has_type(*found, type))
    throw InputError(path + ": '" + joined(where, key) + "' is not " + type_name(type) + " (expected " +
                     std::string(writer) + ")");
  return &*found;
}

const nlohmann::json& Fields::array(const nlohmann::json& value, std::string_view key, const std::string& where) const {
  return member(value, key, nlohmann::json::value_t::array, path_, where, writer_);
}

const nlohmann::json& Fields::object(const nlohmann::json& value, std::string_view key,
                                     const std::string& where) const {
  return member(value, key, nlohmann::json::value_t::object, path_, where, writer_);
}

std::string Fields::text(const nlohmann::json& value, std::string_view key, const std::string& where) const {
  return member(value, key, nlohmann::json::value_t::string, path_, where, writer_).get<std::string>();
}

std::string Fields::text_or(const nlohmann::json& value, std::string_view key, const std::string& where,
                            const std::string& fallback) const {
  const nlohmann::json* found = optional_member(value, key, nlohmann::json::value_t::string, path_, where, writer_);
  return found ? found->get<std::string>() : fallback;
}

double Fields::number(const nlohmann::json& value, std::string_view key, const std::string& where) const {
  return member(value, key, nlohmann::json::value_t::number_float, path_, where, writer_).get<double>();
}

std::optional<double> Fields::optional_number(const nlohmann::json& value, std::string_view key,
                                              const std::string& where) const {
  const nlohmann::json* found =
      optional_member(value, key, nlohmann::json::value_t::number_float, path_, where, writer_);
  if (found == nullptr) return std::nullopt;
  return found->get<double>();
}

std::uint64_t Fields::count(const nlohmann::json& value, std::string_view key, const std::string& where) const {
  const nlohmann::json& found = member(value, key, nlohmann::json::value_t::number_float, path_, where, writer_);
  if (!found.is_number_unsigned() && !(found.is_number_integer() && found.get<std::int64_t>() >= 0))
    throw InputError(path_ + ": '" + joined(where, key) + "' is not a whole number >= 0 (expected " +
                     std::string(writer_) + ")");
  return found.get<std::uint64_t>();
}

std::uint64_t Fields::count_or(const nlohmann::json& value, std::string_view key, const std::string& where,
                               std::uint64_t fallback) const {
  if (optional_member(value, key, nlohmann::json::value_t::number_float, path_, where, writer_) == nullptr)
    return fallback;
  return count(value, key, where);
}

bool Fields::flag_or(const nlohmann::json& value, std::string_view key, const std::string& where, bool fallback) const {
  const nlohmann::json* found = optional_member(value, key, nlohmann::json::value_t::boolean, path_, where, writer_);
  return found ? found->get<bool>() : fallback;
}

std::string Fields::element_text(const nlohmann::json& value, const std::string& where) const {
  if (!value.is_string())
    throw InputError(path_ + ": '" + where + "' is not a string (expected " + std::string(writer_) + ")");
  return value.get<std::string>();
}

std::string Fields::at(const std::string& where, std::size_t index) {
  return where + "[" + std::to_string(index) + "]";
}

}  // namespace hone::report
