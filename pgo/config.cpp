// The hone.yaml loader. Every mapping is read through a schema (its list of known keys) so that a
// misspelt key is reported rather than silently ignored, the most common way a config "does
// nothing". yaml-cpp gives each node its line and column (0-based), which every message carries.
// What yaml-cpp itself lets through is checked here too: a repeated key (it keeps the first), a second
// document (it reads only the first), and {placeholders} that no stage would know. Before yaml-cpp builds
// any node, check_config_text walks the text in bounded time and memory, so that what yaml-cpp cannot
// read safely (LoadAll never ends on a ',' at the top level) is an error with its line too.
#include "pgo/config.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "pgo/context.h"
#include "pgo/error.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

class Reader {
public:
  explicit Reader(fs::path file) : file_(std::move(file)) {}

  std::string where(const YAML::Node& node) const {
    YAML::Mark mark = node.Mark();
    if (mark.line < 0) return file_.string();
    return file_.string() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

  [[noreturn]] void error(const YAML::Node& node, const std::string& message) const {
    fail_input(where(node) + ": " + message);
  }

  // Checks that `node` is a mapping whose keys are all in `known`.
  void expect_keys(const YAML::Node& node, const std::string& what, const std::vector<std::string>& known) const {
    if (!node.IsMap()) error(node, what + " must be a mapping (key: value lines)");
    for (const auto& entry : node) {
      std::string key = entry.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string message = "unknown key '" + key + "' in " + what;
      std::string suggestion = did_you_mean(key, known);
      if (!suggestion.empty())
        message += "; did you mean '" + suggestion + "'?";
      else {
        message += " (known keys:";
        for (const std::string& k : known) message += " " + k;
        message += ")";
      }
      error(entry.first, message);
    }
  }

  std::string scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) error(node, what + " must be a single value, not a list or mapping");
    return node.Scalar();
  }

  std::string string_value(const YAML::Node& node, const std::string& what) const {
    std::string value = scalar(node, what);
    if (value.empty()) error(node, what + " must not be empty");
    return value;
  }

  double number(const YAML::Node& node, const std::string& what, double min, double max) const {
    std::string text = scalar(node, what);
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty() || !std::isfinite(value))
      error(node, what + " must be a number, got '" + text + "'");
    if (value < min || value > max)
      error(node, what + " must be between " + format(min) + " and " + format(max) + ", got " + text);
    return value;
  }

  int integer(const YAML::Node& node, const std::string& what, int min, int max) const {
    double value = number(node, what, min, max);
    if (value != std::floor(value)) error(node, what + " must be a whole number");
    return static_cast<int>(value);
  }

  bool boolean(const YAML::Node& node, const std::string& what) const {
    std::string text = scalar(node, what);
    if (text == "on" || text == "true" || text == "yes") return true;
    if (text == "off" || text == "false" || text == "no") return false;
    error(node, what + " must be on or off, got '" + text + "'");
  }

  std::string choice(const YAML::Node& node, const std::string& what, const std::vector<std::string>& allowed) const {
    std::string text = scalar(node, what);
    if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return text;
    std::string message = what + " must be one of";
    for (const std::string& a : allowed) message += " " + a;
    message += ", got '" + text + "'";
    std::string suggestion = did_you_mean(text, allowed);
    if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
    error(node, message);
  }

  std::vector<std::string> string_list(const YAML::Node& node, const std::string& what) const {
    if (!node.IsSequence())
      error(node, what + " must be a list, e.g. [\"make\", \"-j4\"] (an argument list, not a shell string)");
    std::vector<std::string> values;
    for (const auto& item : node) values.push_back(scalar(item, "each item of " + what));
    return values;
  }

  std::map<std::string, std::string> string_map(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) error(node, what + " must be a mapping of NAME: value");
    std::map<std::string, std::string> values;
    for (const auto& entry : node) values[entry.first.as<std::string>()] = scalar(entry.second, what + " values");
    return values;
  }

  // yaml-cpp keeps the first of two equal keys and drops the second without a word, so a repeated key
  // would silently lose a setting. Checked over the whole document before the schema is read, with a
  // budget on the nodes visited: aliases can make a small file a huge (or, nested, a cyclic) tree.
  void check_unique_keys(const YAML::Node& node) const {
    size_t budget = 1000000;
    check_unique_keys(node, 0, budget);
  }

  static std::string format(double value) {
    if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
    return std::to_string(value);
  }

private:
  void check_unique_keys(const YAML::Node& node, int depth, size_t& budget) const {
    if (depth > 64 || budget-- == 0) error(node, "nested too deeply (or through too many aliases) to be a hone.yaml");
    if (node.IsSequence())
      for (const auto& item : node) check_unique_keys(item, depth + 1, budget);
    if (!node.IsMap()) return;
    std::map<std::string, YAML::Mark> first_place;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) error(entry.first, "a key must be a plain name, not a list or a mapping");
      auto [first, inserted] = first_place.emplace(entry.first.Scalar(), entry.first.Mark());
      if (!inserted) {
        const YAML::Mark& at = first->second;
        bool same_line = at.line == entry.first.Mark().line;
        error(entry.first, "duplicate key '" + entry.first.Scalar() + "' (first at line " +
                               std::to_string(at.line + 1) +
                               (same_line ? ", column " + std::to_string(at.column + 1) : "") +
                               "); YAML would keep only the first: remove one of them");
      }
      check_unique_keys(entry.second, depth + 1, budget);
    }
  }

  fs::path file_;
};

// Checks that every {placeholder} in the list `node` is one of `values` (the same rule and message as
// at run time, see expand), so a typo is reported before the first build rather than after it.
void check_placeholders(const Reader& reader, const YAML::Node& node,
                        const std::map<std::string, std::string>& values) {
  for (const auto& item : node) expand(item.Scalar(), values, reader.where(item));
}

// The placeholders a workload command may use.
std::map<std::string, std::string> workload_placeholders(const Config& config) {
  std::map<std::string, std::string> values = {{"bin", ""}, {"source", ""}, {"root", ""}, {"work", ""}};
  for (const Binary& binary : config.binaries) values["bin:" + binary.name] = "";
  return values;
}

fs::path resolve(const fs::path& root, const std::string& path) {
  fs::path p(path);
  return (p.is_absolute() ? p : root / p).lexically_normal();
}

// A benchmark's `metric:` mapping. The regex is compiled here so that a bad one is reported with its line
// before any build, and it must capture exactly one group: the number, nothing else, is what is compared.
Workload::Metric read_metric(const Reader& reader, const YAML::Node& node) {
  reader.expect_keys(node, "a benchmark's metric", {"regex", "better", "unit"});
  if (!node["regex"])
    reader.error(node, "metric needs a 'regex' with one capture group around the number, e.g. "
                       "'([0-9.]+) MB/s'");
  if (!node["better"]) reader.error(node, "metric needs 'better: higher' (throughput) or 'better: lower' (latency)");
  Workload::Metric metric;
  metric.location = reader.where(node);
  metric.pattern = reader.string_value(node["regex"], "metric.regex");
  try {
    const std::regex compiled(metric.pattern, std::regex::ECMAScript);
    if (compiled.mark_count() != 1)
      reader.error(node["regex"], "metric.regex '" + metric.pattern + "' has " + std::to_string(compiled.mark_count()) +
                                      " capture groups; it needs exactly one, around the number (use (?:...) for "
                                      "other groups)");
  } catch (const std::regex_error& e) {
    reader.error(node["regex"], "metric.regex '" + metric.pattern + "' is not a valid regular expression (" + e.what() +
                                    "); it is ECMAScript syntax, as in JavaScript");
  }
  metric.higher_is_better = reader.choice(node["better"], "metric.better", {"higher", "lower"}) == "higher";
  if (node["unit"]) metric.unit = reader.scalar(node["unit"], "metric.unit");
  return metric;
}

Workload read_workload(const Reader& reader, const YAML::Node& node, const std::string& section, bool training,
                       const Config& config) {
  const fs::path& root = config.root;
  std::vector<std::string> known = {"name",    "command",       "cwd",    "env",
                                    "timeout", "expected_exit", "repeat", "compare_output"};
  if (training) known.insert(known.end(), {"weight", "perf"});
  if (!training) known.push_back("metric");
  reader.expect_keys(node, "a " + section + " workload", known);
  Workload workload;
  workload.location = reader.where(node);
  workload.cwd = root;
  if (!node["name"]) reader.error(node, section + " workload needs a 'name'");
  if (!node["command"] && !node["perf"]) reader.error(node, section + " workload needs a 'command' (an argument list)");
  if (node["command"] && node["perf"])
    reader.error(node["perf"], "a training workload has either 'command' or 'perf: {command: [...], duration: N}', "
                               "not both");
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    if (key == "name")
      workload.name = reader.string_value(value, "name");
    else if (key == "command") {
      workload.command = reader.string_list(value, "command");
      if (workload.command.empty()) reader.error(value, "command must not be empty");
      if (workload.command.front() == "TODO")
        reader.error(value, "this " + section +
                                " workload is still the TODO that 'hone pgo init' wrote: replace "
                                "its command with a run of the program (the comment above it has examples)");
      check_placeholders(reader, value, workload_placeholders(config));
    } else if (key == "cwd")
      workload.cwd = resolve(root, reader.string_value(value, "cwd"));
    else if (key == "env")
      workload.env = reader.string_map(value, "env");
    else if (key == "timeout")
      workload.timeout_seconds = reader.number(value, "timeout (seconds)", 0.001, 86400 * 7);
    else if (key == "expected_exit")
      workload.expected_exit = reader.integer(value, "expected_exit", 0, 255);
    else if (key == "repeat")
      workload.repeat = reader.integer(value, "repeat", 1, 1000);
    else if (key == "weight")
      workload.weight = reader.integer(value, "weight", 1, 1000000);
    else if (key == "perf") {
      // A program hone records with perf for `duration` seconds and then stops (SIGINT), such as a
      // service under its usual load; pgo.kind: sample only (checked once pgo.kind is known).
      reader.expect_keys(value, "'perf'", {"command", "duration"});
      workload.perf_recording = true;
      if (!value["command"]) reader.error(value, "perf needs a 'command' (an argument list)");
      workload.command = reader.string_list(value["command"], "perf.command");
      if (workload.command.empty()) reader.error(value["command"], "command must not be empty");
      check_placeholders(reader, value["command"], workload_placeholders(config));
      if (value["duration"])
        workload.perf_duration = reader.number(value["duration"], "perf.duration (seconds)", 0.1, 86400);
    } else if (key == "compare_output")
      workload.compare_output = reader.boolean(value, "compare_output");
    else if (key == "metric")
      workload.metric = read_metric(reader, value);
  }
  return workload;
}

std::vector<Workload> read_workloads(const Reader& reader, const YAML::Node& node, const std::string& section,
                                     bool training, const Config& config) {
  if (!node.IsSequence()) reader.error(node, section + " must be a list of workloads (- name: ...)");
  std::vector<Workload> workloads;
  std::set<std::string> names;
  for (const auto& item : node) {
    Workload workload = read_workload(reader, item, section, training, config);
    if (!names.insert(workload.name).second)
      reader.error(item["name"], "two " + section + " workloads are named '" + workload.name + "'");
    if (workload.name.find_first_of("/ \t") != std::string::npos)
      reader.error(item["name"], "workload names may not contain '/' or spaces (they name files)");
    if (workload.name == "." || workload.name == "..")
      reader.error(item["name"], "a workload may not be named '" + workload.name + "' (names become folder names)");
    workloads.push_back(std::move(workload));
  }
  return workloads;
}

void read_build(const Reader& reader, const YAML::Node& node, Config& config) {
  reader.expect_keys(node, "'build'",
                     {"system", "source_dir", "cmake_args", "build_type", "configure", "command", "env"});
  if (node["system"])
    config.build_system = reader.choice(node["system"], "build.system", {"cmake", "command"}) == "cmake"
                              ? BuildSystem::cmake
                              : BuildSystem::command;
  if (node["source_dir"])
    config.source_dir = resolve(config.root, reader.string_value(node["source_dir"], "build.source_dir"));
  if (node["cmake_args"]) config.cmake_args = reader.string_list(node["cmake_args"], "build.cmake_args");
  if (node["build_type"]) config.build_type = reader.string_value(node["build_type"], "build.build_type");
  // The placeholders build_variant fills in for configure and build commands.
  const std::map<std::string, std::string> placeholders = {
      {"build", ""}, {"source", ""}, {"jobs", ""}, {"cc", ""}, {"cxx", ""}};
  if (node["configure"]) {
    config.configure_command = reader.string_list(node["configure"], "build.configure");
    check_placeholders(reader, node["configure"], placeholders);
  }
  if (node["command"]) {
    config.build_command = reader.string_list(node["command"], "build.command");
    check_placeholders(reader, node["command"], placeholders);
  }
  if (node["env"]) config.build_env = reader.string_map(node["env"], "build.env");
  if (config.build_system == BuildSystem::command && config.build_command.empty())
    reader.error(node, "build.system is 'command', so build.command (the build's argument list) is required");
  if (config.build_system == BuildSystem::cmake && !config.build_command.empty())
    reader.error(node["command"], "build.command is only for build.system: command (cmake builds run "
                                  "'cmake --build' themselves)");
}

void read_binaries(const Reader& reader, const YAML::Node& node, Config& config) {
  if (!node.IsSequence()) reader.error(node, "binaries must be a list (- name: app\\n  path: bin/app)");
  for (const auto& item : node) {
    Binary binary;
    binary.location = reader.where(item);
    if (item.IsScalar()) {
      binary.path = item.Scalar();
      binary.name = binary.path.filename().string();
    } else {
      reader.expect_keys(item, "a binary", {"name", "path", "target"});
      if (!item["path"]) reader.error(item, "a binary needs a 'path' (relative to the build folder)");
      binary.path = reader.string_value(item["path"], "path");
      binary.name = item["name"] ? reader.string_value(item["name"], "name") : binary.path.filename().string();
      if (item["target"]) {
        binary.target = reader.string_value(item["target"], "target");
        binary.target_location = reader.where(item["target"]);
        if (config.build_system != BuildSystem::cmake)
          reader.error(item["target"], "a binary's 'target' is the CMake target that builds it, for build.system: "
                                       "cmake; a 'command' build builds what its command says");
      }
    }
    if (binary.path.is_absolute()) reader.error(item, "a binary's path is relative to the build folder, not absolute");
    if (binary.path.string().rfind("TODO", 0) == 0)
      reader.error(item, "this binary is still the TODO that 'hone pgo init' wrote: name the program the build "
                         "produces and its path in the build folder");
    for (const Binary& other : config.binaries)
      if (other.name == binary.name) reader.error(item, "two binaries are named '" + binary.name + "'");
    config.binaries.push_back(binary);
  }
  if (config.binaries.empty()) reader.error(node, "binaries must name at least one program");
}

void read_optimize(const Reader& reader, const YAML::Node& root_node, Config& config) {
  if (const YAML::Node& pgo = root_node["pgo"]) {
    reader.expect_keys(pgo, "'pgo'", {"kind", "event", "frequency"});
    if (pgo["kind"]) {
      std::string kind = reader.choice(pgo["kind"], "pgo.kind", {"ir", "frontend", "cs", "sample"});
      config.pgo_kind_location = reader.where(pgo["kind"]);
      config.pgo_kind = kind == "ir"       ? PgoKind::ir
                        : kind == "cs"     ? PgoKind::cs
                        : kind == "sample" ? PgoKind::sample
                                           : PgoKind::frontend;
    }
    // What perf samples for pgo.kind sample: cpu-clock works everywhere (VMs without hardware counters
    // too); cycles is finer where the CPU has counters.
    for (const char* key : {"event", "frequency"})
      if (pgo[key] && config.pgo_kind != PgoKind::sample)
        reader.error(pgo[key], std::string("pgo.") + key + " is for pgo.kind: sample (perf's samples)");
    if (pgo["event"]) config.sample_event = reader.string_value(pgo["event"], "pgo.event");
    if (pgo["frequency"]) config.sample_frequency = reader.integer(pgo["frequency"], "pgo.frequency", 1, 1000000);
  }
  if (config.pgo_kind != PgoKind::sample)
    for (const Workload& workload : config.training)
      if (workload.perf_recording)
        fail_input(workload.location + ": training workload '" + workload.name +
                   "' is a 'perf:' recording, which needs pgo.kind: sample (set pgo: {kind: sample})");
  if (const YAML::Node& lto = root_node["lto"]) {
    std::string mode = reader.choice(lto, "lto", {"off", "thin", "full", "false"});
    config.lto = mode == "thin" ? LtoMode::thin : mode == "full" ? LtoMode::full : LtoMode::off;
  }
  if (const YAML::Node& bolt = root_node["bolt"]) {
    if (bolt.IsMap()) {
      reader.expect_keys(bolt, "'bolt'", {"enabled", "args"});
      if (bolt["enabled"]) config.bolt = reader.boolean(bolt["enabled"], "bolt.enabled");
      if (bolt["args"]) config.bolt_args = reader.string_list(bolt["args"], "bolt.args");
    } else {
      config.bolt = reader.boolean(bolt, "bolt");
    }
  }
  if (const YAML::Node& flags = root_node["flags"]) {
    reader.expect_keys(flags, "'flags'", {"compile", "link"});
    if (flags["compile"]) config.compile_flags = reader.string_list(flags["compile"], "flags.compile");
    if (flags["link"]) config.link_flags = reader.string_list(flags["link"], "flags.link");
  }
  if (const YAML::Node& verify = root_node["verify"]) {
    reader.expect_keys(verify, "'verify'", {"repetitions", "max_repetitions", "warmup", "callgrind"});
    if (verify["repetitions"])
      config.verify_repetitions = reader.integer(verify["repetitions"], "verify.repetitions", 2, 1000);
    config.verify_max_repetitions = 3 * config.verify_repetitions;
    if (verify["max_repetitions"]) {
      config.verify_max_repetitions = reader.integer(verify["max_repetitions"], "verify.max_repetitions", 2, 10000);
      if (config.verify_max_repetitions < config.verify_repetitions)
        reader.error(verify["max_repetitions"], "verify.max_repetitions must be at least verify.repetitions (" +
                                                    std::to_string(config.verify_repetitions) + ")");
    }
    if (verify["warmup"]) config.verify_warmup = reader.integer(verify["warmup"], "verify.warmup", 0, 100);
    if (verify["callgrind"]) config.verify_callgrind = reader.boolean(verify["callgrind"], "verify.callgrind");
  }
  if (const YAML::Node& tools = root_node["tools"]) {
    reader.expect_keys(tools, "'tools'", {"llvm_profdata", "llvm_bolt", "merge_fdata"});
    // A path with a slash is relative to hone.yaml; a bare name is looked up on PATH.
    auto tool_path = [&](const char* key, std::string& out) {
      if (!tools[key]) return;
      out = reader.string_value(tools[key], std::string("tools.") + key);
      if (out.find('/') != std::string::npos) out = resolve(config.root, out).string();
    };
    tool_path("llvm_profdata", config.llvm_profdata);
    tool_path("llvm_bolt", config.llvm_bolt);
    tool_path("merge_fdata", config.merge_fdata);
  }
}

// ---- Reading the text with bounded work and memory ----------------------------------------------------
// yaml-cpp 0.7.0's YAML::LoadAll never ends on some 20-byte files. When a document starts with a token its
// parser cannot place at the top level (a ',' outside [...] or {...}), SingleDocParser::HandleNode reports
// a null node without consuming the token, so every later HandleNextDocument returns the same null
// document and LoadAll appends them until an allocation fails (3 GB). So the text is first walked event by
// event by a handler that keeps nothing: a document that starts where the one before it started is that
// stuck token. The one document hone reads is then built by YAML::Load, which parses the first document
// only. A size limit far above any real hone.yaml bounds what the nodes of that document can take.

// Keeps, per document, where it starts and what its root is; nothing else.
class DocumentWalker : public YAML::EventHandler {
public:
  YAML::Mark start;      // the document's first token
  YAML::Mark root_mark;  // its root node
  bool root_is_null = true;

  void OnDocumentStart(const YAML::Mark& mark) override {
    start = mark;
    root_mark = mark;
    root_is_null = true;
    seen_root_ = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { root(mark, true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { root(mark, false); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    root(mark, false);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root(mark, false);
  }
  void OnMapEnd() override {}

private:
  bool seen_root_ = false;
  void root(const YAML::Mark& mark, bool is_null) {
    if (seen_root_) return;
    seen_root_ = true;
    root_mark = mark;
    root_is_null = is_null;
  }
};

ConfigTextProblem problem_at(const YAML::Mark& mark, std::string message) {
  return {mark.line + 1, mark.column + 1, std::move(message)};
}

// The message for the token the parser is stuck on, the character at `position` of `text`.
std::string stuck_token_message(std::string_view text, int position) {
  const char c =
      position >= 0 && static_cast<size_t>(position) < text.size() ? text[static_cast<size_t>(position)] : '?';
  if (c == ',')
    return "unexpected ',' outside a [list] or {map}: YAML cannot read on after it; quote the value it belongs "
           "to, or put the list in brackets ([a, b])";
  char shown[8];
  std::snprintf(shown, sizeof shown, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", static_cast<unsigned char>(c));
  return std::string("unexpected '") + shown +
         "' where a value starts: YAML cannot read on after it; remove it, or "
         "quote the value it belongs to";
}

}  // namespace

std::optional<ConfigTextProblem> check_config_text(std::string_view text) {
  if (text.size() > k_max_config_bytes)
    return ConfigTextProblem{0, 0,
                             "larger than " + std::to_string(k_max_config_bytes) +
                                 " bytes, the most hone reads of a hone.yaml (a real one has a few hundred)"};
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  DocumentWalker walker;
  try {
    // Every document but a stuck one consumes a token, so there are never more documents than bytes;
    // the count only guards against a stuck state this check does not know.
    std::optional<YAML::Mark> previous_start;
    for (size_t document = 0; parser.HandleNextDocument(walker); ++document) {
      if ((previous_start && walker.start.pos == previous_start->pos) || document > text.size())
        return problem_at(walker.start, stuck_token_message(text, walker.start.pos));
      if (document > 0 && !walker.root_is_null)
        return problem_at(walker.root_mark, "a second YAML document starts here (after a '---' line): hone.yaml "
                                            "holds one document, and the rest would be ignored");
      previous_start = walker.start;
    }
  } catch (const YAML::ParserException& e) {
    return problem_at(e.mark, "invalid YAML: " + e.msg);
  }
  return std::nullopt;
}

namespace {

// hone.yaml's text, read at most one byte past the size limit (check_config_text reports the size).
std::string read_config_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail_input(file.string() + ": cannot read: " + std::strerror(errno));
  std::string text(k_max_config_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) fail_input(file.string() + ": cannot read: " + std::strerror(errno));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

// The one document of hone.yaml, after check_config_text found nothing that would stop yaml-cpp.
YAML::Node load_document(const fs::path& file) {
  const std::string text = read_config_text(file);
  if (std::optional<ConfigTextProblem> problem = check_config_text(text)) {
    std::string where = file.string();
    if (problem->line > 0) where += ":" + std::to_string(problem->line) + ":" + std::to_string(problem->column);
    fail_input(where + ": " + problem->message);
  }
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    fail_input(file.string() + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
               ": invalid YAML: " + e.msg);
  }
}

}  // namespace

Config load_config(const fs::path& file) {
  Config config;
  std::error_code error;
  config.file = fs::absolute(file, error).lexically_normal();
  config.root = config.file.parent_path();
  config.source_dir = config.root;
  config.work_dir = config.root / ".hone";
  if (!fs::exists(config.file))
    fail_input("no " + file.string() +
               " here: run 'hone pgo' from the project root (the folder holding "
               "hone.yaml) or pass --config FILE; docs/config.md shows an example");
  Reader reader(file);
  const YAML::Node root_node = load_document(file);
  if (!root_node.IsMap()) fail_input(file.string() + ": hone.yaml must be a mapping (key: value lines)");
  try {
    reader.check_unique_keys(root_node);
    reader.expect_keys(root_node, "hone.yaml",
                       {"build", "compiler", "binaries", "training", "benchmark", "pgo", "lto", "bolt", "flags",
                        "verify", "tools", "work_dir"});
    if (const YAML::Node& build = root_node["build"]) read_build(reader, build, config);
    if (const YAML::Node& compiler = root_node["compiler"]) {
      reader.expect_keys(compiler, "'compiler'", {"c", "cxx"});
      if (compiler["c"]) config.c_compiler = reader.string_value(compiler["c"], "compiler.c");
      if (compiler["cxx"]) config.cxx_compiler = reader.string_value(compiler["cxx"], "compiler.cxx");
    }
    if (!root_node["binaries"])
      fail_input(file.string() + ": 'binaries' is required: the programs (paths in the build folder) to optimize");
    read_binaries(reader, root_node["binaries"], config);
    if (!root_node["training"])
      fail_input(file.string() + ": 'training' is required: the workloads that produce the profile");
    config.training = read_workloads(reader, root_node["training"], "training", true, config);
    if (config.training.empty()) reader.error(root_node["training"], "training needs at least one workload");
    if (root_node["benchmark"])
      config.benchmark = read_workloads(reader, root_node["benchmark"], "benchmark", false, config);
    read_optimize(reader, root_node, config);
    config.work_dir_location = config.file.string();
    if (const YAML::Node& work_dir = root_node["work_dir"]) {
      config.work_dir = resolve(config.root, reader.string_value(work_dir, "work_dir"));
      config.work_dir_location = reader.where(work_dir);
    }
    std::string unsafe = unsafe_work_dir_reason(config);
    if (!unsafe.empty()) fail_input(config.work_dir_location + ": " + unsafe);
  } catch (const YAML::Exception& e) {
    fail_input(file.string() + ": " + e.what());
  }
  return config;
}

namespace {

// `path` with symlinks resolved as far as it exists, without a trailing separator.
fs::path real_path(const fs::path& path) {
  std::error_code error;
  fs::path real = fs::weakly_canonical(path, error);
  if (error) real = path.lexically_normal();
  if (real.filename().empty() && real.has_relative_path()) real = real.parent_path();
  return real;
}

// True when `outer` is `inner` or one of its ancestors.
bool same_or_ancestor(const fs::path& outer, const fs::path& inner) {
  for (fs::path p = inner;; p = p.parent_path()) {
    if (p == outer) return true;
    if (p == p.parent_path()) return false;
  }
}

}  // namespace

std::string unsafe_work_dir_reason(const Config& config) {
  const fs::path work = real_path(config.work_dir);
  const std::string named = "work_dir '" + work.string() + "' ";
  const std::string why = ": hone pgo owns its work folder and 'hone pgo clean' removes it; use a folder of its own, "
                          "such as .hone (the default)";
  if (work == work.root_path()) return named + "is the file system root" + why;
  const std::pair<fs::path, const char*> protected_folders[] = {
      {real_path(config.root), "the project folder (where hone.yaml is)"},
      {real_path(config.source_dir), "the project's source folder (build.source_dir)"}};
  for (const auto& [folder, what] : protected_folders) {
    if (work == folder) return named + "is " + what + why;
    if (same_or_ancestor(work, folder)) return named + "is a parent of " + what + why;
  }
  if (const char* home = std::getenv("HOME"); home && *home && same_or_ancestor(work, real_path(home)))
    return named + "is your home folder or one of its parents" + why;
  std::error_code error;
  if (fs::exists(fs::symlink_status(work, error)) && !fs::is_directory(work, error))
    return named + "exists and is not a folder";
  return "";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Edit distance counting a swap of two neighbouring letters as one edit ("lot" -> "lto"), the
  // commonest typo; a suggestion must be within a third of the word's length (at least 1).
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      for (size_t j = 1; j <= b.size(); ++j) {
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.size()][b.size()];
  };
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    size_t d = distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string to_string(PgoKind kind) {
  return kind == PgoKind::ir ? "ir" : kind == PgoKind::cs ? "cs" : kind == PgoKind::sample ? "sample" : "frontend";
}

std::string to_string(LtoMode mode) {
  return mode == LtoMode::off ? "off" : mode == LtoMode::thin ? "thin" : "full";
}

}  // namespace hone::pgo
