// Manifest reading and writing (JSON, atomic). See manifest.h.
//
// A manifest is read strictly: every field hone goes on to read must have the type hone wrote, because
// a stage trusts what it reads back (a path is a string, a time a number). A file that does not parse,
// or that has a field of another type (edited by hand, written by another version, damaged), is not
// an error that stops every command until someone deletes it by hand: it counts as absent, with one
// note, so its stage simply runs again.
#include "pgo/manifest.h"

#include <cstdio>
#include <fstream>
#include <set>

#include "pgo/error.h"
#include "pgo/hashing.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

enum class Type { string, number, integer, boolean, object, array };

bool has_type(const json& value, Type type) {
  switch (type) {
    case Type::string: return value.is_string();
    case Type::number: return value.is_number();
    case Type::integer: return value.is_number_integer();
    case Type::boolean: return value.is_boolean();
    case Type::object: return value.is_object();
    case Type::array: return value.is_array();
  }
  return false;
}

const char* type_name(Type type) {
  switch (type) {
    case Type::string: return "a string";
    case Type::number: return "a number";
    case Type::integer: return "a whole number";
    case Type::boolean: return "true or false";
    case Type::object: return "an object";
    case Type::array: return "an array";
  }
  return "?";
}

struct Field {
  const char* key;
  Type type;
  bool required = false;
};

std::string member(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

// The first field of `object` (at `where`, "" for the top level) that is missing or of the wrong type.
std::string check_fields(const json& object, const std::string& where, std::initializer_list<Field> fields) {
  if (!object.is_object()) return where.empty() ? "not a JSON object" : "'" + where + "' is not an object";
  for (const Field& field : fields) {
    auto found = object.find(field.key);
    if (found == object.end()) {
      if (field.required) return "'" + member(where, field.key) + "' is missing";
      continue;
    }
    if (!has_type(*found, field.type)) return "'" + member(where, field.key) + "' is not " + type_name(field.type);
  }
  return "";
}

// The first element of an array or value of an object that is not of `type`.
std::string check_elements(const json& container, const std::string& where, Type type) {
  for (const auto& [key, value] : container.items())
    if (!has_type(value, type)) return "'" + member(where, key) + "' is not " + type_name(type);
  return "";
}

// A file's hash now, or "" when it cannot be read.
std::string current_hash(const fs::path& path) {
  try {
    return hash_file(path);
  } catch (const std::exception&) {
    return "";
  }
}

// verify's result rows, as verify_table reads them: a speedup comes with its interval and verdict.
std::string check_results(const json& results) {
  for (const auto& [index, row] : results.items()) {
    std::string where = "facts.results." + index;
    std::string problem = check_fields(row, where,
                                       {{"workload", Type::string},
                                        {"variant", Type::string},
                                        {"median_seconds", Type::number},
                                        {"mad_seconds", Type::number},
                                        {"runs", Type::array},
                                        {"instructions", Type::integer},
                                        {"versus", Type::object}});
    if (problem.empty() && row.contains("speedup"))
      problem = check_fields(row, where,
                             {{"speedup", Type::number, true},
                              {"ci_low", Type::number, true},
                              {"ci_high", Type::number, true},
                              {"verdict", Type::string, true}});
    if (problem.empty() && row.contains("versus"))
      problem = check_fields(row["versus"], member(where, "versus"),
                             {{"variant", Type::string},
                              {"speedup", Type::number},
                              {"ci_low", Type::number},
                              {"ci_high", Type::number},
                              {"verdict", Type::string}});
    if (!problem.empty()) return problem;
  }
  return "";
}

// The facts the stages, info and the verify table read back.
std::string check_facts(const json& facts) {
  std::string problem = check_fields(facts, "facts",
                                     {{"binaries", Type::object},
                                      {"merged_profile", Type::string},
                                      {"source_hash", Type::string},
                                      {"outside_inputs", Type::array},
                                      {"workloads", Type::object},
                                      {"functions_without_profile", Type::array},
                                      {"functions_with_stale_profile", Type::array},
                                      {"results", Type::array},
                                      {"repetitions", Type::integer},
                                      {"max_repetitions", Type::integer},
                                      {"warmup", Type::integer},
                                      {"measured", Type::string}});
  if (!problem.empty()) return problem;
  if (facts.contains("binaries")) problem = check_elements(facts["binaries"], "facts.binaries", Type::string);
  for (const char* list : {"functions_without_profile", "functions_with_stale_profile", "outside_inputs"})
    if (problem.empty() && facts.contains(list))
      problem = check_elements(facts[list], member("facts", list), Type::string);
  if (problem.empty() && facts.contains("workloads"))
    for (const auto& [name, workload] : facts["workloads"].items())
      if (problem.empty()) problem = check_fields(workload, "facts.workloads." + name, {{"profile", Type::string}});
  if (problem.empty() && facts.contains("results")) problem = check_results(facts["results"]);
  return problem;
}

// The manifests hone writes nest a few levels (facts.results[i].field, commands[i].environment); a
// document nested much deeper is not one of them, and writing it back pretty-printed would cost time and
// space quadratic in the depth (the manifest fuzz target: 18 KB of nested objects became 18 MB, 12 s).
// The recursion is bounded by `levels`.
constexpr int k_max_manifest_depth = 32;

bool nested_deeper_than(const json& value, int levels) {
  if (!value.is_structured()) return false;
  if (levels == 0) return true;
  for (const json& element : value)
    if (nested_deeper_than(element, levels - 1)) return true;
  return false;
}

// Why `json` cannot be a manifest hone wrote, or "".
std::string manifest_problem(const json& manifest) {
  if (nested_deeper_than(manifest, k_max_manifest_depth))
    return "nested deeper than " + std::to_string(k_max_manifest_depth) + " levels";
  std::string problem = check_fields(manifest, "",
                                     {{"status", Type::string, true},
                                      {"input_key", Type::string, true},
                                      {"stage", Type::string},
                                      {"inputs", Type::object},
                                      {"commands", Type::array},
                                      {"outputs", Type::object},
                                      {"facts", Type::object},
                                      {"seconds", Type::number}});
  if (problem.empty() && manifest.contains("outputs"))
    problem = check_elements(manifest["outputs"], "outputs", Type::string);
  if (problem.empty() && manifest.contains("facts")) problem = check_facts(manifest["facts"]);
  return problem;
}

// One note per damaged manifest and process: the file is read several times in one run.
void note_ignored(const fs::path& file, const std::string& problem) {
  static std::set<std::string> noted;
  if (!noted.insert(file.string()).second) return;
  std::fprintf(stderr, "hone pgo: note: ignoring %s (%s): its stage counts as not done and runs again\n",
               file.string().c_str(), problem.c_str());
}

}  // namespace

fs::path manifest_path(const fs::path& stage_dir) {
  return stage_dir / "manifest.json";
}

std::optional<Manifest> read_manifest(const fs::path& stage_dir) {
  fs::path file = manifest_path(stage_dir);
  std::ifstream in(file);
  if (!in) return std::nullopt;
  json document = json::parse(in, nullptr, false);
  std::string problem = document.is_discarded() ? "not valid JSON" : manifest_problem(document);
  if (problem.empty() && document["status"] != "complete") problem = "its status is not \"complete\"";
  if (!problem.empty()) {
    note_ignored(file, problem);
    return std::nullopt;
  }
  Manifest manifest;
  manifest.stage = document.value("stage", "");
  manifest.input_key = document["input_key"].get<std::string>();
  manifest.inputs = document.value("inputs", json::object());
  manifest.commands = document.value("commands", json::array());
  manifest.outputs = document.value("outputs", json::object());
  manifest.facts = document.value("facts", json::object());
  manifest.seconds = document.value("seconds", 0.0);
  return manifest;
}

void write_manifest(const fs::path& stage_dir, const Manifest& manifest) {
  json document = {{"stage", manifest.stage},   {"status", "complete"},          {"input_key", manifest.input_key},
                   {"inputs", manifest.inputs}, {"commands", manifest.commands}, {"outputs", manifest.outputs},
                   {"facts", manifest.facts},   {"seconds", manifest.seconds}};
  write_file_atomically(manifest_path(stage_dir), document.dump(2) + "\n");
}

std::vector<fs::path> changed_outputs(const Manifest& manifest) {
  std::vector<fs::path> changed;
  for (const auto& [path, hash] : manifest.outputs.items()) {
    std::error_code error;
    if (!fs::is_regular_file(path, error))
      changed.push_back(path);
    else if (std::string now = current_hash(path); now.empty() || now != hash.get<std::string>())
      changed.push_back(path);
  }
  return changed;
}

bool outputs_intact(const Manifest& manifest) {
  return changed_outputs(manifest).empty();
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  support::AtomicWriteOptions options;
  options.create_parent_directories = true;
  options.remove_stale_temporaries = true;  // left by a hone pgo killed mid-write (SIGKILL), never listed for clean
  std::string error = support::write_file_atomically(path.string(), text, options);
  if (!error.empty()) fail_job(error + " (disk full or no permission?)");
}

}  // namespace hone::pgo
