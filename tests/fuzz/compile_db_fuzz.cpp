// Fuzz target: compile-database capture (driver/wrapper/compile_db.h), through its public entry
// record_compile(), on an existing database and a stale fragment the fuzzer writes.
//
// Input layout: the bytes are split at NUL bytes; part 0 is the existing compile_commands.json, part 1
// (when not empty) a fragment left behind in compile_commands.json.d/ by an earlier compile, and every
// further part one word of the compiler command (the compiler first). Without command parts the command
// is `clang -c a.c -o a.o`.
//
// Properties: no crash or sanitizer report whatever the old database holds (issue 11 item 5: `[1]`,
// `[null]`, `[{"directory":5}]`, invalid UTF-8, deep nesting); and whenever the call reports no error,
// whatever the old database and the stale fragment held, the database it leaves is valid JSON (UTF-8
// included): an array of objects whose "directory" and "file" are strings, with "arguments" (strings)
// or "command", holding an entry for every source of the call, each without the call's other sources
// (at most as many arguments as the command less its sources plus one: every entry used to repeat the
// whole command, so one call's fragment grew with sources x arguments). append_json_string() always
// yields one valid JSON string.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
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

// `sources` are the call's file names as JSON spells them (bytes that are not UTF-8 as U+FFFD); the
// call's entries are those in `directory` (the old database cannot name the scratch folder's random
// name), and each holds at most `max_arguments` arguments.
void check_database(const std::string& text, const std::set<std::string>& sources, const std::string& directory,
                    size_t max_arguments) {
  // accept() runs nlohmann's iterative SAX parser: no recursion, whatever the nesting.
  if (!json::accept(text))
    hone::fuzz::property_failed("the database is not valid JSON after a successful record_compile");
  json database = json::parse(text);
  if (!database.is_array()) hone::fuzz::property_failed("the database is not a JSON array");
  if (!std::all_of(database.begin(), database.end(), is_entry))
    hone::fuzz::property_failed("the database holds an entry that is not a compile command");
  std::set<std::string> files;
  for (const json& entry : database) files.insert(entry["file"].get<std::string>());
  if (!std::includes(files.begin(), files.end(), sources.begin(), sources.end()))
    hone::fuzz::property_failed("the database lacks an entry for a source of the call");
  for (const json& entry : database) {
    if (entry["directory"] == directory && entry.contains("arguments") && entry["arguments"].size() > max_arguments)
      hone::fuzz::property_failed("an entry of the call holds another source of the call");
  }
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
  // The command less the sources written in it (not those read from a response file), plus the entry's own.
  size_t max_arguments = command.size() + 1;
  for (size_t k = 0; k < call.source_arguments.size(); ++k) {
    const size_t argument = call.source_arguments[k];
    if (argument != std::string::npos && argument + 1 < command.size() && command[argument + 1] == call.sources[k])
      --max_arguments;
  }
  std::set<std::string> sources;
  for (const std::string& source : call.sources) {
    if (source == "-") continue;
    std::string literal;
    hone::wrapper::append_json_string(literal, source);
    sources.insert(json::parse(literal).get<std::string>());
  }
  // Whatever the old database held, a merge that reports no error leaves a valid one holding every
  // entry of the call (its one fragment merged whole): bad entries are dropped, and a file that cannot be
  // read as a database is left alone with an error. (Lines in hone's own layout used to be copied
  // unread: regression-canonical-line-* in the corpus.)
  if (result.error.empty() && compiles && !sources.empty())
    check_database(read_file(database), sources, fs::current_path().string(), max_arguments);

  std::string literal;
  hone::wrapper::append_json_string(literal, parts[0]);
  if (!json::accept(literal) || !json::parse(literal).is_string())
    hone::fuzz::property_failed("append_json_string made something that is not one JSON string");
  return 0;
}
