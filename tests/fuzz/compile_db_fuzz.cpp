// Fuzz target: compile-database capture (driver/wrapper/compile_db.h), through its public entry
// record_compile(), on an existing database and a stale fragment the fuzzer writes.
//
// Input layout: the bytes are split at NUL bytes; part 0 is the existing compile_commands.json, part 1
// (when not empty) a fragment left behind in compile_commands.json.d/ by an earlier compile, and every
// further part one word of the compiler command (the compiler first). Without command parts the command
// is `clang -c a.c -o a.o`.
//
// Properties: no crash or sanitizer report whatever the old database holds (issue 11 item 5: `[1]`,
// `[null]`, `[{"directory":5}]`, invalid UTF-8, deep nesting); and whenever the call reports no error
// and the old database was empty or a valid one, the database it leaves is valid JSON (UTF-8 included):
// an array of objects whose "directory" and "file" are strings, with "arguments" (strings) or
// "command", holding an entry for the call. append_json_string() always yields one valid JSON string.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/wrapper/classify.h"
#include "driver/wrapper/compile_db.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_file(const fs::path& path) {
  std::string text;
  if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
    char block[65536];
    for (size_t got; (got = std::fread(block, 1, sizeof block, file)) > 0;) text.append(block, got);
    std::fclose(file);
  }
  return text;
}

bool is_entry(const json& entry) {
  if (!entry.is_object() || !entry.contains("directory") || !entry["directory"].is_string() ||
      !entry.contains("file") || !entry["file"].is_string())
    return false;
  if (entry.contains("arguments")) {
    const json& arguments = entry["arguments"];
    return arguments.is_array() &&
           std::all_of(arguments.begin(), arguments.end(), [](const json& word) { return word.is_string(); });
  }
  return entry.contains("command") && entry["command"].is_string();
}

void check_database(const std::string& text, size_t sources) {
  // accept() runs nlohmann's iterative SAX parser: no recursion, whatever the nesting.
  if (!json::accept(text))
    hone::fuzz::property_failed("the database is not valid JSON after a successful record_compile");
  json database = json::parse(text);
  if (!database.is_array()) hone::fuzz::property_failed("the database is not a JSON array");
  if (!std::all_of(database.begin(), database.end(), is_entry))
    hone::fuzz::property_failed("the database holds an entry that is not a compile command");
  if (database.size() < sources) hone::fuzz::property_failed("the database lacks an entry for a source of the call");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (chdir(hone::fuzz::scratch().c_str()) != 0) hone::fuzz::property_failed("cannot enter the scratch folder");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts = hone::fuzz::split_at_nul(hone::fuzz::as_text(data, size));
  const fs::path database = hone::fuzz::scratch() / "compile_commands.json";
  std::error_code ignored;
  fs::remove_all(hone::fuzz::scratch() / "compile_commands.json.d", ignored);
  hone::fuzz::write_file(database, parts[0]);
  if (parts.size() > 1 && !parts[1].empty()) {
    fs::create_directory(hone::fuzz::scratch() / "compile_commands.json.d", ignored);
    hone::fuzz::write_file(hone::fuzz::scratch() / "compile_commands.json.d" / "0123456789abcdef.json", parts[1]);
  }
  std::vector<std::string> command(parts.begin() + std::min<size_t>(2, parts.size()), parts.end());
  if (command.empty()) command = {"clang", "-c", "a.c", "-o", "a.o"};

  const std::vector<std::string> arguments(command.begin() + 1, command.end());
  hone::wrapper::Classification call = hone::wrapper::classify(arguments);
  hone::wrapper::RecordResult result = hone::wrapper::record_compile(database.string(), command, call);
  const bool compiles =
      call.kind == hone::wrapper::CallKind::compile || call.kind == hone::wrapper::CallKind::compile_and_link;
  const size_t real_sources = static_cast<size_t>(
      std::count_if(call.sources.begin(), call.sources.end(), [](const std::string& s) { return s != "-"; }));
  // A database that was a valid one (or absent) stays valid. One that was not may stay as broken as it
  // was where the merge copies lines in its own one-entry-per-line layout unread: invalid UTF-8 inside
  // such a line, or an entry without "file" (tests/fuzz/open-findings/compile_db/ has both).
  const bool was_valid = parts[0].empty() || (json::accept(parts[0]) && [&] {
                           json old = json::parse(parts[0]);
                           return old.is_array() && std::all_of(old.begin(), old.end(), is_entry);
                         }());
  if (result.error.empty() && compiles && real_sources > 0 && was_valid)
    check_database(read_file(database), std::min<size_t>(real_sources, 1));

  std::string literal;
  hone::wrapper::append_json_string(literal, parts[0]);
  if (!json::accept(literal) || !json::parse(literal).is_string())
    hone::fuzz::property_failed("append_json_string made something that is not one JSON string");
  return 0;
}
