// The orchestration of the stages (see pipeline.h) and the helpers they share.
#include "pgo/pipeline.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <iterator>
#include <optional>
#include <set>

#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

struct StageSteps {
  std::string name;
  std::function<std::string(Context&)> key;
  std::function<void(Context&, Manifest&)> run;
};

const std::vector<StageSteps>& all_stages() {
  static const std::vector<StageSteps> stages = {{"instrument", instrument_key, run_instrument},
                                                 {"train", train_key, run_train},
                                                 {"merge", merge_key, run_merge},
                                                 {"cs", cs_key, run_cs},
                                                 {"optimize", optimize_key, run_optimize},
                                                 {"bolt", bolt_key, run_bolt},
                                                 {"verify", verify_key, run_verify}};
  return stages;
}

std::string cached_source_hash;
// The files the last instrumented build read outside the source folder (build_inputs.h); nullopt
// until read from the instrument manifest.
std::optional<std::vector<std::string>> outside_inputs;

// Outputs changed (or removed) since their stage recorded them must not be taken as that stage's
// result on the rerun: an incremental build would see a newer binary as up to date and leave it. They
// are removed, and with each the stage's folder that holds it (a build folder: instrument/build,
// verify/baseline, ...), so that the build really runs again. Only files inside the stage's own folder
// are removed: a manifest naming anything else is not followed.
void remove_changed_outputs(Context& context, const std::string& stage, const Manifest& previous) {
  const fs::path stage_dir = context.stage_dir(stage).lexically_normal();
  std::set<fs::path> folders;
  for (const fs::path& output : changed_outputs(previous)) {
    fs::path relative = output.lexically_normal().lexically_relative(stage_dir);
    if (relative.empty() || *relative.begin() == ".." || *relative.begin() == "." || relative.is_absolute()) continue;
    bool in_folder = std::distance(relative.begin(), relative.end()) > 1;
    if (in_folder) folders.insert(stage_dir / *relative.begin());
    context.progress.note(output.string() + " changed since the " + stage + " stage recorded it: removing it" +
                          (in_folder ? " and its folder " + (stage_dir / *relative.begin()).string() : ""));
    std::error_code error;
    fs::remove(output, error);
  }
  for (const fs::path& folder : folders) {
    std::error_code error;
    if (!fs::is_directory(fs::symlink_status(folder, error))) continue;
    std::string problem = support::remove_tree(folder.string());
    if (!problem.empty()) fail_job(problem);
  }
}

// Runs one stage. A bolt stage that fails as a job (llvm-bolt failed, or its result behaved differently)
// does not stop the pipeline: BOLT is the last, optional layer on a valid PGO+LTO build, which verify
// can still measure. Its error is kept in `bolt_failure` and reported when the pipeline ends; false then.
bool run_stage(Context& context, const StageSteps& stage, Manifest& manifest, std::optional<PgoError>& bolt_failure) {
  if (stage.name != "bolt") {
    stage.run(context, manifest);
    return true;
  }
  try {
    stage.run(context, manifest);
    return true;
  } catch (const PgoError& error) {
    if (error.exit_code() != k_exit_job_failed) throw;
    bolt_failure = error;
    return false;
  }
}

}  // namespace

std::vector<std::string> plan(const Config& config) {
  std::vector<std::string> names;
  for (const StageSteps& stage : all_stages())
    if ((stage.name != "bolt" || config.bolt) && (stage.name != "cs" || config.pgo_kind == PgoKind::cs))
      names.push_back(stage.name);
  return names;
}

int run_pipeline(Context& context, const std::string& target) {
  std::vector<std::string> names = plan(context.config);
  if (!target.empty() && std::find(names.begin(), names.end(), target) == names.end())
    fail_input("stage '" + target + "' is not part of this pipeline (bolt is off, or pgo.kind is not cs, in " +
               context.config.file.string() + ")");
  size_t last = target.empty() ? names.size() - 1
                               : static_cast<size_t>(std::find(names.begin(), names.end(), target) - names.begin());
  context.progress.set_stage_count(static_cast<int>(names.size()));
  nlohmann::json summary = {{"stages", nlohmann::json::array()}};
  std::optional<PgoError> bolt_failure;
  auto pipeline_start = std::chrono::steady_clock::now();
  double children_before = total_child_seconds();
  for (size_t i = 0; i <= last; ++i) {
    const StageSteps& stage = *std::find_if(all_stages().begin(), all_stages().end(),
                                            [&](const StageSteps& s) { return s.name == names[i]; });
    context.progress.stage(static_cast<int>(i + 1), stage.name);
    fs::path dir = context.stage_dir(stage.name);
    std::string key = stage.key(context);
    bool forced = context.forced(stage.name);
    std::optional<Manifest> previous = read_manifest(dir);
    bool intact = previous && outputs_intact(*previous);
    if (!forced && intact && previous->input_key == key) {
      context.progress.done("up to date, skipped");
      summary["stages"].push_back({{"stage", stage.name}, {"status", "skipped"}});
      continue;
    }
    if (previous && !intact) remove_changed_outputs(context, stage.name, *previous);
    fs::create_directories(dir);
    std::error_code error;
    fs::remove(manifest_path(dir), error);  // from here on the stage counts as not done
    Manifest manifest;
    manifest.stage = stage.name;
    manifest.input_key = key;
    auto start = std::chrono::steady_clock::now();
    if (!run_stage(context, stage, manifest, bolt_failure)) {
      context.progress.done("FAILED; the PGO+LTO build is verified without BOLT, the error follows at the end");
      summary["stages"].push_back({{"stage", stage.name}, {"status", "failed"}});
      continue;
    }
    manifest.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_manifest(dir, manifest);
    context.progress.done("done");
    summary["stages"].push_back({{"stage", stage.name}, {"status", "ran"}, {"seconds", manifest.seconds}});
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - pipeline_start).count();
  double own = std::max(0.0, seconds - (total_child_seconds() - children_before));
  summary["seconds"] = seconds;
  summary["orchestration_seconds"] = own;
  if (!context.options.quiet && !context.options.json) {
    char line[160];
    std::snprintf(
        line, sizeof(line), "hone pgo: finished in %s; hone's own work (hashing, checks, manifests): %s (%.1f%%)\n",
        format_seconds(seconds).c_str(), format_seconds(own).c_str(), seconds > 0 ? 100 * own / seconds : 0.0);
    std::fputs(line, stderr);
  }
  if (names[last] == "verify") {
    Manifest verify = require_manifest(context, "verify");
    std::string markdown = verify_table(verify.facts, true);
    write_file_atomically(context.stage_dir("verify") / "summary.md", "## hone pgo: measured speedup\n\n" + markdown);
    if (!context.options.markdown_file.empty())
      write_file_atomically(context.options.markdown_file, "## hone pgo: measured speedup\n\n" + markdown);
    summary["verify"] = verify.facts;
    if (!context.options.json) std::fputs(verify_table(verify.facts, false).c_str(), stdout);
  } else if (!context.options.json) {
    Manifest manifest = require_manifest(context, names[last]);
    if (manifest.facts.contains("binaries"))
      for (const auto& [name, path] : manifest.facts["binaries"].items())
        std::printf("%s: %s\n", name.c_str(), path.get<std::string>().c_str());
    if (manifest.facts.contains("merged_profile"))
      std::printf("profile: %s\n", manifest.facts["merged_profile"].get<std::string>().c_str());
  }
  if (context.options.json) std::printf("%s\n", summary.dump(2).c_str());
  if (bolt_failure) {
    std::fflush(stdout);
    throw PgoError(bolt_failure->exit_code(), std::string("the bolt stage failed") +
                                                  (names[last] == "verify" ? " (the table verifies the PGO+LTO build "
                                                                             "without it)"
                                                                           : "") +
                                                  ": " + bolt_failure->what());
  }
  return 0;
}

std::string source_hash(Context& context) {
  if (!cached_source_hash.empty()) return cached_source_hash;
  if (!outside_inputs) {
    std::optional<Manifest> instrument = read_manifest(context.stage_dir("instrument"));
    outside_inputs = std::vector<std::string>();
    if (instrument)
      for (const auto& file : instrument->facts.value("outside_inputs", nlohmann::json::array()))
        outside_inputs->push_back(file.get<std::string>());
  }
  Hasher hasher;
  hasher.add_field(hash_tree(context.config.source_dir, context.config.work_dir));
  // What the build read outside the source folder; a file gone since counts as changed.
  for (const std::string& file : *outside_inputs) {
    std::error_code error;
    hasher.add_field(file).add_field(fs::is_regular_file(file, error) ? hash_file(file) : "missing");
  }
  cached_source_hash = hasher.hex();
  return cached_source_hash;
}

void set_outside_inputs(const std::vector<std::string>& files) {
  outside_inputs = files;
  cached_source_hash.clear();
}

Manifest require_manifest(Context& context, const std::string& stage) {
  std::optional<Manifest> manifest = read_manifest(context.stage_dir(stage));
  if (!manifest)
    fail_input("the " + stage + " stage has not completed (no " + manifest_path(context.stage_dir(stage)).string() +
               "); run 'hone pgo " + stage + "' or 'hone pgo'");
  return *manifest;
}

nlohmann::json build_settings(const Context& context) {
  const Config& config = context.config;
  nlohmann::json settings = {
      {"system", config.build_system == BuildSystem::cmake ? "cmake" : "command"},
      {"source_dir", config.source_dir.string()},
      {"cmake_args", config.cmake_args},
      {"build_type", config.build_type},
      {"configure", config.configure_command},
      {"command", config.build_command},
      {"env", config.build_env},
      {"c", context.tools.c_compiler.path.string() + " " + context.tools.c_compiler.version},
      {"cxx", context.tools.cxx_compiler.path.string() + " " + context.tools.cxx_compiler.version},
      {"pgo_kind", to_string(config.pgo_kind)},
      {"compile_flags", config.compile_flags},
      {"link_flags", config.link_flags}};
  // A CMake build builds only the targets of the binaries (cmake_file_api.h), so a binary added to the
  // list needs its stages run again: without it in the key they would be skipped and it would be missing.
  // Only for CMake, so that the keys of other builds stay what they were.
  if (config.build_system == BuildSystem::cmake)
    for (const Binary& binary : config.binaries) settings["binaries"].push_back({binary.path.string(), binary.target});
  return settings;
}

nlohmann::json workload_settings(const std::vector<Workload>& workloads) {
  nlohmann::json list = nlohmann::json::array();
  for (const Workload& w : workloads) {
    list.push_back({{"name", w.name},
                    {"command", w.command},
                    {"cwd", w.cwd.string()},
                    {"env", w.env},
                    {"expected_exit", w.expected_exit},
                    {"repeat", w.repeat},
                    {"weight", w.weight},
                    {"compare_output", w.compare_output}});
    // Only when set, so that the keys of configurations without a metric stay what they were.
    if (w.metric)
      list.back()["metric"] = {
          {"regex", w.metric->pattern}, {"higher_is_better", w.metric->higher_is_better}, {"unit", w.metric->unit}};
  }
  return list;
}

std::string merged_profile(Context& context) {
  Manifest merge = require_manifest(context, context.config.pgo_kind == PgoKind::cs ? "cs" : "merge");
  return merge.facts.value("merged_profile", "");
}

std::map<std::string, fs::path> variant_binaries(Context& context, const std::string& stage) {
  Manifest manifest = require_manifest(context, stage);
  std::map<std::string, fs::path> binaries;
  nlohmann::json paths = manifest.facts.value("binaries", nlohmann::json::object());
  for (const auto& [name, path] : paths.items()) {
    if (!fs::is_regular_file(path.get<std::string>()))
      fail_input("binary " + path.get<std::string>() + " of the " + stage + " stage is gone; run 'hone pgo " + stage +
                 " --force'");
    binaries[name] = path.get<std::string>();
  }
  return binaries;
}

}  // namespace hone::pgo
