// Stage 3, merge. First the checks that make PGO failures understandable: llvm-profdata must come
// from the compiler's LLVM release, and every .profraw must start with the raw-profile magic and
// share one format version (a file from another compiler, or a truncated one, is named here instead
// of surfacing as an opaque llvm-profdata error). Then each workload's raw files are merged into one
// profile, and the workloads (plus profiles imported with --add) are combined with their weights.
// The result is named by its content hash, so the optimize stage can never pick up a stale profile.
#include <cstdio>
#include <fstream>
#include <utility>

#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/profile_format.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

struct Import {
  fs::path file;
  double weight = 1;
  std::string original;
};

fs::path imports_file(const Context& context) {
  return context.stage_dir("merge") / "imported" / "imports.json";
}

std::vector<Import> read_imports(const Context& context) {
  std::vector<Import> imports;
  std::ifstream in(imports_file(context));
  if (!in) return imports;
  nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_array()) return imports;
  for (const auto& item : json) {
    // A damaged entry (edited by hand) is left out with a note instead of failing every later command.
    try {
      imports.push_back({item.at("file").get<std::string>(), item.value("weight", 1.0), item.value("original", "")});
    } catch (const nlohmann::json::exception&) {
      static bool noted = false;
      if (!std::exchange(noted, true))
        std::fprintf(stderr, "hone pgo: note: ignoring a damaged entry of %s\n", imports_file(context).c_str());
    }
  }
  return imports;
}

Tool profdata_tool(Context& context) {
  Tool tool = find_llvm_tool(context.config, context.tools, "llvm-profdata", context.config.llvm_profdata);
  check_same_llvm(context.tools, tool, "llvm-profdata", "tools.llvm_profdata");
  return tool;
}

// Runs llvm-profdata; on failure explains it, naming the inputs.
void run_profdata(Context& context, const Tool& tool, const std::vector<std::string>& arguments,
                  const std::string& what, Manifest& manifest) {
  ProcessSpec spec;
  spec.argv = {tool.path.string()};
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  fs::path log = context.stage_dir("merge") / "llvm-profdata.log";
  spec.stdout_file = log;
  spec.stderr_file = log;
  ProcessResult result = run_process(spec);
  manifest.commands.push_back({{"argv", spec.argv}, {"seconds", result.seconds}, {"exit", result.exit_code}});
  if (result.started && result.exit_code == 0) return;
  std::string output = tail_of_file(log, 8);
  std::string hint = "  the profile may be corrupt: run 'hone pgo train --force' to collect it again";
  if (output.find("version") != std::string::npos)
    hint = "  the profile was written by a different LLVM release than " + tool.path.string() + " (LLVM " +
           tool.version + "): rebuild with the compiler from the same release ('hone pgo --force')";
  fail_job("llvm-profdata could not merge " + what + ": " + describe_outcome(result, spec) + "\n" + output + hint);
}

}  // namespace

std::string merge_key(Context& context) {
  Manifest train = require_manifest(context, "train");
  Hasher hasher;
  hasher.add_field("merge")
      .add_field(train.outputs.dump())
      .add_field(workload_settings(context.config.training).dump());
  hasher.add_field(context.config.llvm_profdata);
  for (const Import& import : read_imports(context))
    hasher.add_field(import.file.string()).add_field(std::to_string(import.weight));
  return hasher.hex();
}

void run_merge(Context& context, Manifest& manifest) {
  fs::path dir = context.stage_dir("merge");
  Tool tool = profdata_tool(context);
  manifest.inputs["llvm_profdata"] = {{"path", tool.path.string()}, {"version", tool.version}};
  fs::path raw_root = context.stage_dir("train") / "raw";
  fs::create_directories(dir / "workloads");

  // Check every raw profile before handing anything to llvm-profdata.
  std::optional<RawProfileHeader> first;
  fs::path first_file;
  std::vector<std::string> weighted;
  for (const Workload& workload : context.config.training) {
    std::vector<std::string> raw_files;
    for (const auto& entry : fs::directory_iterator(raw_root / workload.name)) {
      if (entry.path().extension() != ".profraw") continue;
      RawProfileHeader header = read_raw_profile_header(entry.path());
      if (!header.valid)
        fail_job(entry.path().string() + " (from training workload '" + workload.name +
                 "') is not a valid raw "
                 "profile: " +
                 header.problem +
                 ". It was truncated or overwritten; run 'hone pgo train --force' to "
                 "collect it again");
      if (first && header.version != first->version)
        fail_job("raw profiles of different format versions: " + first_file.string() + " is version " +
                 std::to_string(first->version) + ", " + entry.path().string() + " is version " +
                 std::to_string(header.version) +
                 "; they were written by binaries from different LLVM releases. "
                 "Run 'hone pgo --force' so that one compiler builds everything");
      if (!first) {
        first = header;
        first_file = entry.path();
      }
      raw_files.push_back(entry.path().string());
    }
    std::sort(raw_files.begin(), raw_files.end());
    fs::path merged = dir / "workloads" / (workload.name + ".profdata");
    std::vector<std::string> arguments = {"merge", "-o", merged.string()};
    arguments.insert(arguments.end(), raw_files.begin(), raw_files.end());
    context.progress.live("merging " + workload.name + " (" + std::to_string(raw_files.size()) + " files)");
    run_profdata(context, tool, arguments, "the profiles of training workload '" + workload.name + "'", manifest);
    weighted.push_back("--weighted-input=" + std::to_string(static_cast<long long>(workload.weight)) + "," +
                       merged.string());
    manifest.facts["workloads"][workload.name] = {
        {"profile", merged.string()}, {"weight", workload.weight}, {"raw_files", raw_files.size()}};
  }
  if (first) manifest.facts["raw_profile_version"] = first->version;
  for (const Import& import : read_imports(context)) {
    weighted.push_back("--weighted-input=" + std::to_string(static_cast<long long>(import.weight)) + "," +
                       import.file.string());
    manifest.facts["imported"].push_back({{"file", import.original}, {"weight", import.weight}});
  }

  fs::path temporary = dir / "merged.profdata.tmp";
  std::vector<std::string> arguments = {"merge", "-o", temporary.string()};
  arguments.insert(arguments.end(), weighted.begin(), weighted.end());
  context.progress.live("weighted merge of " + std::to_string(weighted.size()) + " profiles");
  run_profdata(context, tool, arguments, "the workload profiles", manifest);
  std::string hash = hash_file(temporary);
  fs::path merged = dir / ("merged-" + hash + ".profdata");
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().starts_with("merged-") && entry.path() != merged) fs::remove(entry.path());
  fs::rename(temporary, merged);
  manifest.outputs[merged.string()] = hash;
  manifest.facts["merged_profile"] = merged.string();
  context.progress.note("merged profile " + merged.filename().string());
}

void import_profiles(Context& context) {
  fs::path folder = context.stage_dir("merge") / "imported";
  std::vector<Import> imports = read_imports(context);
  for (const std::string& spec : context.options.add) {
    std::string file = spec;
    double weight = 1;
    size_t colon = spec.rfind(':');
    if (colon != std::string::npos && colon + 1 < spec.size() &&
        spec.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
      file = spec.substr(0, colon);
      weight = std::stod(spec.substr(colon + 1));
      if (weight < 1) fail_input("--add " + spec + ": the weight must be a whole number of at least 1");
    }
    if (!fs::is_regular_file(file)) fail_input("--add " + spec + ": no such file '" + file + "'");
    ProfileFileKind kind = profile_file_kind(file);
    if (kind == ProfileFileKind::unknown)
      fail_input("--add " + spec + ": '" + file +
                 "' is neither a raw (.profraw) nor an indexed (.profdata) LLVM "
                 "instrumentation profile");
    // Only a profile llvm-profdata can read is recorded: a bad import would break every later merge.
    ProcessSpec check = spec_of({profdata_tool(context).path.string(), "show", file});
    fs::path log = context.stage_dir("merge") / "import-check.log";
    fs::create_directories(log.parent_path());
    check.stdout_file = log;
    check.stderr_file = log;
    ProcessResult checked = run_process(check);
    if (!checked.started || checked.exit_code != 0) {
      std::string output = tail_of_file(log, 5);
      fs::remove(log);
      fail_input("--add " + spec + ": llvm-profdata cannot read '" + file +
                 "' (corrupt, truncated, or written by "
                 "another LLVM release):\n" +
                 output + "  nothing was imported");
    }
    fs::remove(log);
    std::string hash = hash_file(file);
    fs::path copy = folder / (hash + (kind == ProfileFileKind::raw ? ".profraw" : ".profdata"));
    fs::create_directories(folder);
    fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
    std::erase_if(imports, [&](const Import& existing) { return existing.file == copy; });
    imports.push_back({copy, weight, fs::absolute(file).string()});
    context.progress.note("imported " + file + " (weight " + std::to_string(static_cast<long long>(weight)) + ")");
  }
  nlohmann::json json = nlohmann::json::array();
  for (const Import& import : imports)
    json.push_back({{"file", import.file.string()}, {"weight", import.weight}, {"original", import.original}});
  write_file_atomically(imports_file(context), json.dump(2) + "\n");
}

}  // namespace hone::pgo
