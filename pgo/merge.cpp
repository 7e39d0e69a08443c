// Stage 3, merge. First the checks that make PGO failures understandable: llvm-profdata must come
// from the compiler's LLVM release, and every .profraw must start with the raw-profile magic and
// share one format version (a file from another compiler, or a truncated one, is named here instead
// of surfacing as an opaque llvm-profdata error). Then each workload's raw files are merged into one
// profile, and the workloads (plus profiles imported with --add) are combined with their weights.
// The result is named by its content hash, so the optimize stage can never pick up a stale profile.
// With GCC the merge is gcc_profile.h's: .gcda folders and gcov-tool instead of llvm-profdata.
#include <cstdio>
#include <fstream>
#include <unistd.h>
#include <utility>

#include "pgo/error.h"
#include "pgo/gcc_profile.h"
#include "pgo/hashing.h"
#include "pgo/imports.h"
#include "pgo/profile_format.h"
#include "pgo/stages.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

fs::path imports_file(const Context& context) {
  return context.stage_dir("merge") / "imported" / "imports.json";
}

std::vector<ImportedFile> read_imports(const Context& context) {
  return read_import_list(imports_file(context));
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
  if (context.config.pgo_kind == PgoKind::sample) return sample_merge_key(context);
  if (!context.tools.is_clang) return gcc_merge_key(context);
  Manifest train = require_manifest(context, "train");
  Hasher hasher;
  hasher.add_field("merge")
      .add_field(train.outputs.dump())
      .add_field(workload_settings(context.config.training).dump());
  hasher.add_field(context.config.llvm_profdata);
  for (const ImportedFile& import : read_imports(context))
    hasher.add_field(import.file.string()).add_field(std::to_string(import.weight));
  return hasher.hex();
}

void run_merge(Context& context, Manifest& manifest) {
  if (context.config.pgo_kind == PgoKind::sample) return run_sample_merge(context, manifest);
  if (!context.tools.is_clang) return run_gcc_merge(context, manifest);
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
  for (const ImportedFile& import : read_imports(context)) {
    weighted.push_back("--weighted-input=" + std::to_string(static_cast<long long>(import.weight)) + "," +
                       import.file.string());
    manifest.facts["imported"].push_back({{"file", import.original}, {"weight", import.weight}});
  }

  ProfileTemporary temporary(dir / "merged.profdata");
  std::vector<std::string> arguments = {"merge", "-o", temporary.path().string()};
  arguments.insert(arguments.end(), weighted.begin(), weighted.end());
  context.progress.live("weighted merge of " + std::to_string(weighted.size()) + " profiles");
  run_profdata(context, tool, arguments, "the workload profiles", manifest);
  std::string hash;
  fs::path merged = temporary.publish("merged-", hash);
  manifest.outputs[merged.string()] = hash;
  manifest.facts["merged_profile"] = merged.string();
  context.progress.note("merged profile " + merged.filename().string());
}

ProfileTemporary::ProfileTemporary(const fs::path& target) {
  support::remove_stale_temporaries(target.string());
  int fd = -1;
  std::string path;
  std::string problem = support::create_temporary_beside(target.string(), 0666, fd, path);
  if (!problem.empty()) fail_job(problem);
  close(fd);
  path_ = path;
}

ProfileTemporary::~ProfileTemporary() {
  std::error_code error;
  if (!path_.empty()) fs::remove(path_, error);
}

fs::path ProfileTemporary::publish(const std::string& prefix, std::string& hash) {
  const fs::path dir = path_.parent_path();
  hash = hash_file(path_);
  fs::path published = dir / (prefix + hash + ".profdata");
  // Older merged profiles go: only the newest is ever used, and the name says which one that is.
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".profdata") && entry.path() != published) fs::remove(entry.path());
  }
  fs::rename(path_, published);
  path_.clear();
  return published;
}

void import_profiles(Context& context) {
  if (!context.tools.is_clang)
    fail_input(
        "--add imports LLVM profiles (.profraw, .profdata), and compiler.c in " + context.config.file.string() +
        " is GCC, whose profiles are folders of .gcda files tied to one build's object files: with GCC, profiles "
        "come from the training workloads only (add the program that collected yours as one), or build with "
        "clang-19");
  fs::path folder = context.stage_dir("merge") / "imported";
  std::vector<ImportedFile> imports = read_imports(context);
  for (const std::string& spec : context.options.add) {
    const auto [file, weight] = parse_import_spec("--add", spec);
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
    add_import(imports, folder, file, kind == ProfileFileKind::raw ? ".profraw" : ".profdata", weight);
    context.progress.note("imported " + file + " (weight " + std::to_string(static_cast<long long>(weight)) + ")");
  }
  write_import_list(imports_file(context), imports);
}

}  // namespace hone::pgo
