// GCC profiles: the flags, the runtime's redirection, the per-object weighted merge with gcov-tool, and
// the readers of gcov's JSON and of the optimize build's profile warnings (see gcc_profile.h).
#include "pgo/gcc_profile.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <regex>
#include <set>
#include <string_view>

#include "pgo/build_checks.h"
#include "pgo/elf_sections.h"
#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// Removes a folder of hone's (without following links) when it is there.
void remove_folder(const fs::path& folder) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(folder, error))) return;
  const std::string problem = support::remove_tree(folder.string());
  if (!problem.empty()) fail_job(problem);
}

// Runs a GCC tool with its output in `log`; true when it exited 0.
bool run_tool(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& log, ProcessResult& result) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.cwd = cwd;
  spec.stdout_file = log;
  spec.stderr_file = log;
  spec.timeout_seconds = 300;
  result = run_process(spec);
  return result.started && result.exit_code == 0 && result.signal == 0;
}

// The per-object merge: `gcov-tool merge` of two one-file folders. Each call gets fresh folders, so a
// crash of the tool can leave nothing behind that the next call would read.
class ObjectMerger {
public:
  ObjectMerger(const Tool& tool, const fs::path& scratch, nlohmann::json& commands)
      : tool_(tool), scratch_(scratch), commands_(commands) {}

  // A new file holding the counts of `a` plus those of `b` (both copies of the object `name`).
  fs::path add(const fs::path& a, const fs::path& b, const fs::path& name, const std::string& what) {
    const fs::path step = scratch_ / ("step" + std::to_string(++steps_));
    fs::create_directories(step / "a");
    fs::create_directories(step / "b");
    fs::copy_file(a, step / "a" / name);
    fs::copy_file(b, step / "b" / name);
    const std::vector<std::string> argv = {tool_.path.string(), "merge", "-o", (step / "out").string(), "a", "b"};
    ProcessResult result;
    const bool ok = run_tool(argv, step, step / "log.txt", result);
    commands_.push_back({{"argv", argv}, {"seconds", result.seconds}, {"exit", result.exit_code}});
    if (!ok || !fs::is_regular_file(step / "out" / name))
      fail_job(tool_.path.string() + " could not merge " + name.string() + " (" + what +
               "): " + describe_outcome(result, spec_of(argv)) + "\n" + tail_of_file(step / "log.txt", 8) +
               "  the .gcda files may be damaged or written by another GCC release than " + tool_.path.string() + " (" +
               tool_.version + "); run 'hone pgo train --force' to collect them again");
    return step / "out" / name;
  }

  // `weight` times the counts of `file`: binary doubling, so weight 1000 takes 15 merges, not 999.
  fs::path scale(const fs::path& file, long long weight, const fs::path& name, const std::string& what) {
    fs::path result;
    fs::path power = file;
    while (weight > 0) {
      if (weight & 1) result = result.empty() ? power : add(result, power, name, what);
      weight >>= 1;
      if (weight > 0) power = add(power, power, name, what);
    }
    return result;
  }

  int runs() const { return steps_; }

private:
  const Tool& tool_;
  fs::path scratch_;
  nlohmann::json& commands_;
  int steps_ = 0;
};

std::string quoted_name(const std::string& text) {
  // GCC quotes names with ‘’ in a UTF-8 locale and with '' otherwise.
  static const std::regex quotes("‘|’|'");
  return std::regex_replace(text, quotes, "");
}

}  // namespace

std::vector<std::string> gcc_instrument_flags(const fs::path& build_dir) {
  // -ftest-coverage writes the .gcno notes `hone pgo info` reads; it does not change the code.
  return {"-fprofile-prefix-path=" + build_dir.string(), "-ftest-coverage"};
}

std::vector<std::string> gcc_optimize_flags(const fs::path& build_dir) {
  // The wrapper silences -Wmissing-profile and -Wcoverage-mismatch for profile use (partial profiles
  // are normal); here they are turned back on, as warnings, because their lines in the build log are
  // the compiler's account of where the profile did not apply (read_gcc_profile_use).
  return {"-fprofile-prefix-path=" + build_dir.string(), "-Wmissing-profile", "-Wcoverage-mismatch",
          "-Wno-error=coverage-mismatch", "-Wno-error=missing-profile"};
}

std::map<std::string, std::string> gcov_redirect_environment(const fs::path& compiled_in, const fs::path& folder) {
  // GCOV_PREFIX_STRIP drops that many leading folders of the compiled-in .gcda path, GCOV_PREFIX is put
  // in front of the rest: with every folder of -fprofile-generate=DIR stripped, only the mangled object
  // name remains, and the file lands in `folder`.
  int depth = 0;
  for (const auto& part : compiled_in.lexically_normal().relative_path()) depth += part.empty() ? 0 : 1;
  return {{"GCOV_PREFIX", folder.string()}, {"GCOV_PREFIX_STRIP", std::to_string(depth)}};
}

fs::path gcda_object_path(const fs::path& gcda_name) {
  std::string text = gcda_name.filename().string();
  if (text.ends_with(".gcda")) text.resize(text.size() - std::string_view(".gcda").size());
  // Split at '#': a leading empty part is the root of an absolute path, "^" is "..".
  std::string result;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('#', start);
    const std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (start > 0) result += '/';
    result += part == "^" ? ".." : part;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return result;
}

std::vector<fs::path> gcda_files(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  if (!fs::is_directory(folder, error)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(folder, error))
    if (entry.is_regular_file() && entry.path().extension() == ".gcda")
      files.push_back(entry.path().lexically_relative(folder));
  std::sort(files.begin(), files.end());
  return files;
}

std::string hash_gcda_folder(const fs::path& folder) {
  Hasher hasher;
  for (const fs::path& file : gcda_files(folder)) hasher.add_field(file.string()).add_field(hash_file(folder / file));
  return hasher.hex();
}

int merge_gcda_folders(const Tool& gcov_tool, const std::vector<WeightedFolder>& inputs, const fs::path& output,
                       const fs::path& scratch, nlohmann::json& commands) {
  remove_folder(scratch);
  fs::create_directories(scratch);
  fs::create_directories(output);
  // Weights 2 and 4 mean what 1 and 2 mean, with half the merges.
  long long divisor = 0;
  for (const WeightedFolder& input : inputs) divisor = std::gcd(divisor, input.weight);
  std::map<fs::path, std::vector<const WeightedFolder*>> holders;  // object file -> the inputs that have it
  for (const WeightedFolder& input : inputs)
    for (const fs::path& file : gcda_files(input.folder)) holders[file].push_back(&input);
  ObjectMerger merger(gcov_tool, scratch, commands);
  for (const auto& [file, folders] : holders) {
    fs::path sum;
    for (const WeightedFolder* input : folders) {
      const fs::path scaled = merger.scale(input->folder / file, input->weight / divisor, file.filename(), input->what);
      sum = sum.empty() ? scaled : merger.add(sum, scaled, file.filename(), "the sum of the training workloads");
    }
    fs::create_directories((output / file).parent_path());
    fs::copy_file(sum, output / file);
  }
  remove_folder(scratch);
  return merger.runs();
}

GcovReport read_gcov_report(const Tool& gcov, const fs::path& profile_folder, const fs::path& instrument_build,
                            const fs::path& scratch) {
  GcovReport report;
  remove_folder(scratch);
  fs::create_directories(scratch);
  for (const fs::path& file : gcda_files(profile_folder)) {
    ++report.objects;
    fs::path object = gcda_object_path(file.filename());
    fs::path notes = (object.is_absolute() ? object : instrument_build / object).string() + ".gcno";
    std::error_code error;
    if (!fs::is_regular_file(notes, error)) {
      report.without_notes.push_back(file.string());
      continue;
    }
    // gcov finds NAME.gcda beside NAME.gcno; each object gets its own pair of names in the scratch folder.
    const std::string base = "object" + std::to_string(report.objects);
    fs::copy_file(notes, scratch / (base + ".gcno"), fs::copy_options::overwrite_existing);
    fs::copy_file(profile_folder / file, scratch / (base + ".gcda"), fs::copy_options::overwrite_existing);
    const fs::path json_file = scratch / (base + ".json");
    ProcessSpec spec;
    spec.argv = {gcov.path.string(), "--json-format", "--stdout", "--demangled-names", base + ".gcno"};
    spec.cwd = scratch;
    spec.stdout_file = json_file;
    spec.stderr_file = scratch / (base + ".log");
    spec.timeout_seconds = 120;
    ProcessResult result = run_process(spec);
    std::ifstream in(json_file);
    nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
    if (!result.started || result.exit_code != 0 || !document.is_object()) {
      report.without_notes.push_back(file.string());
      continue;
    }
    for (const auto& source : document.value("files", nlohmann::json::array())) {
      for (const auto& function : source.value("functions", nlohmann::json::array())) {
        GcovFunction entry;
        entry.name = function.value("demangled_name", function.value("name", std::string()));
        entry.source = source.value("file", std::string());
        entry.entry_count = function.value("execution_count", 0LL);
        entry.blocks = function.value("blocks", 0);
        entry.blocks_executed = function.value("blocks_executed", 0);
        report.functions.push_back(entry);
      }
    }
  }
  remove_folder(scratch);
  return report;
}

GccProfileUse read_gcc_profile_use(const fs::path& build_log) {
  // GCC 12's wording (gcc/coverage.cc, gcc/profile.cc): "'DIR/x.gcda' profile count data file not
  // found", "profile for function 'f' not found in profile data", and for a changed function either
  // "the control flow of function 'f' does not match its profile data" or "number of counters in
  // profile data for function 'f' does not match its profile data".
  static const std::regex missing_file(R"((?:‘|')([^‘’']+\.gcda)(?:’|') profile count data file not found)");
  static const std::regex missing_function(R"(profile for function (?:‘|')([^‘’']+)(?:’|') not found)");
  static const std::regex stale(R"(function (?:‘|')([^‘’']+)(?:’|') does not match its profile data)");
  std::set<std::string> files, missing, mismatched;
  std::ifstream in(build_log);
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_search(line, match, missing_file))
      files.insert(quoted_name(match[1]));
    else if (std::regex_search(line, match, missing_function))
      missing.insert(quoted_name(match[1]));
    else if (std::regex_search(line, match, stale))
      mismatched.insert(quoted_name(match[1]));
  }
  return {{files.begin(), files.end()}, {missing.begin(), missing.end()}, {mismatched.begin(), mismatched.end()}};
}

bool has_gcov_symbols(const fs::path& binary) {
  return has_elf_symbol_with_prefix(binary, "__gcov_");
}

bool is_gcc_instrumented(const fs::path& binary, const fs::path& profile_dir) {
  if (has_gcov_symbols(binary)) return true;
  // GCC writes DIR/<mangled object path>.gcda, DIR as given to -fprofile-generate (hone gives it absolute).
  return has_elf_data_string(binary, (profile_dir / "").string(), ".gcda");
}

// ---- The optimize stage with GCC ----------------------------------------------------------------

void record_gcc_profile_use(Context& context, const fs::path& build_log, const fs::path& build_dir,
                            Manifest& manifest) {
  const GccProfileUse use = read_gcc_profile_use(build_log);
  std::vector<std::string> without = use.functions_without_profile;
  manifest.facts["functions_without_profile"] = use.functions_without_profile;
  manifest.facts["functions_with_stale_profile"] = use.functions_with_stale_profile;
  manifest.facts["objects_without_profile"] = use.objects_without_profile;
  const std::string profile = merged_profile(context);
  const int compiles = wrapper_compile_count(wrapper_log_path(build_dir), "-fprofile-use=" + profile);
  const int profiled = compiles - static_cast<int>(use.objects_without_profile.size());
  manifest.facts["compiles_with_profile"] = std::max(profiled, 0);
  // Through CFLAGS (an old wrapper) there is no count of compiles; the build log's warnings still tell.
  if (compiles > 0 && profiled <= 0)
    fail_job("no compile of the optimized build found its profile: GCC looked for " +
             (use.objects_without_profile.empty() ? std::string("the .gcda files") : use.objects_without_profile[0]) +
             " and " + std::to_string(use.objects_without_profile.size() - 1) + " more in " + profile +
             ", which holds " + std::to_string(gcda_files(profile).size()) + " other names (see " + build_log.string() +
             "). The .gcda names follow the object files' paths in the build folder, so the instrumented and the "
             "optimized builds must put their objects at the same places under {build}; a build that compiles "
             "outside {build} (or under a path that differs between the two) cannot be matched. Run 'hone pgo "
             "--force' after fixing the build");
  context.progress.note(std::to_string(std::max(profiled, 0)) + " of " + std::to_string(compiles) +
                        " compile(s) found their .gcda file");
}

// ---- The merge stage with GCC -------------------------------------------------------------------

std::string gcc_merge_key(Context& context) {
  Manifest train = require_manifest(context, "train");
  const Tool tool = find_gcc_tool(context.tools, "gcov-tool");
  Hasher hasher;
  hasher.add_field("merge-gcc").add_field(train.outputs.dump());
  hasher.add_field(workload_settings(context.config.training).dump());
  hasher.add_field(tool.path.string()).add_field(tool.version);
  return hasher.hex();
}

void run_gcc_merge(Context& context, Manifest& manifest) {
  const fs::path dir = context.stage_dir("merge");
  const Tool tool = find_gcc_tool(context.tools, "gcov-tool");
  manifest.inputs["gcov_tool"] = {{"path", tool.path.string()}, {"version", tool.version}};
  std::vector<WeightedFolder> inputs;
  for (const Workload& workload : context.config.training) {
    const fs::path folder = context.stage_dir("train") / "raw" / workload.name;
    inputs.push_back({folder, static_cast<long long>(workload.weight), "training workload '" + workload.name + "'"});
    manifest.facts["workloads"][workload.name] = {
        {"profile", folder.string()}, {"weight", workload.weight}, {"gcda_files", gcda_files(folder).size()}};
  }
  // Written under a name of its own, then renamed to its content hash: a killed merge leaves no folder
  // that the optimize stage could take for a finished profile.
  const fs::path partial = dir / "merging";
  remove_folder(partial);
  context.progress.live("weighted merge of " + std::to_string(inputs.size()) + " workloads' .gcda files");
  const int runs = merge_gcda_folders(tool, inputs, partial, dir / "scratch", manifest.commands);
  const std::string hash = hash_gcda_folder(partial);
  const fs::path merged = dir / ("merged-" + hash);
  // Older merged profiles go: only the newest is ever used, and the name says which one that is.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("merged-") && entry.path() != merged) {
      remove_folder(entry.path());
    }
  }
  remove_folder(merged);
  fs::rename(partial, merged);
  for (const fs::path& file : gcda_files(merged)) manifest.outputs[(merged / file).string()] = hash_file(merged / file);
  manifest.facts["merged_profile"] = merged.string();
  manifest.facts["gcov_tool_runs"] = runs;
  context.progress.note("merged profile " + merged.filename().string() + " (" +
                        std::to_string(gcda_files(merged).size()) + " .gcda files, " + std::to_string(runs) +
                        " gcov-tool merges)");
}

}  // namespace hone::pgo
