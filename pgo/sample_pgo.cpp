// pgo.kind: sample, AutoFDO-style PGO from plain instruction-pointer samples (no branch stacks, so it
// works in VMs and on CPUs without LBR, where LLVM 19's llvm-profgen refuses the data). The stages keep
// their names and order; what each does differs from instrumented PGO:
//
//   instrument  the "profiling build": the release build with -gline-tables-only
//               -fdebug-info-for-profiling (line tables and the discriminators that tell the blocks of one
//               line apart) and no counters, so it runs at release speed and could ship as it is
//   train       each workload under `perf record -e cpu-clock` (pgo.event, pgo.frequency); a `perf:`
//               workload with a duration is stopped with SIGINT after it, as a service would be
//   merge       each recording converted by hone-sample-profile (pgo/sample/, the executable that links
//               LLVM's symbolizer) into a text sample profile of the profiling build's binaries, then
//               `llvm-profdata merge --sample` with the workloads' weights (and perf.data imported with
//               `hone pgo merge --perf-data FILE[:WEIGHT]`) into one content-hashed profile
//   optimize    the release build with -fprofile-sample-use (compile and link, so ThinLTO's back end
//               reads it too)
//
// The declarations are in stages.h; train.cpp and merge.cpp hand over to these for pgo.kind: sample.
#include <fstream>
#include <sstream>

#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/imports.h"
#include "pgo/stages.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// `timeout`'s exit status when it stopped the program (coreutils): a `perf:` workload's normal end.
constexpr int k_timeout_status = 124;

fs::path perf_program() {
  std::optional<fs::path> perf = find_program("perf");
  if (!perf)
    fail_input("pgo.kind: sample records the training workloads with Linux perf, which is not on PATH: install it "
               "(Debian: apt-get install linux-perf)");
  return *perf;
}

// hone-sample-profile lives beside hone and hone-pgo, in the build tree as after installation.
fs::path converter_program(const Context& context) {
  fs::path converter = context.tools.hone.parent_path() / "hone-sample-profile";
  if (!fs::is_regular_file(converter))
    fail_input("pgo.kind: sample needs hone-sample-profile beside " + context.tools.hone.string() +
               ", which converts perf's samples into a profile; this hone was built without it (it links LLVM and "
               "is built with -DHONE_BUILD_ANALYZERS=ON, the default)");
  return converter;
}

fs::path perf_imports_file(const Context& context) {
  return context.stage_dir("merge") / "imported" / "perf-data.json";
}

// Runs hone-sample-profile on one recording; returns its summary (JSON) or fails naming `what`.
nlohmann::json convert_recording(Context& context, const fs::path& perf_data, const fs::path& output,
                                 const std::map<std::string, fs::path>& binaries, const std::string& what,
                                 Manifest& manifest) {
  ProcessSpec spec;
  spec.argv = {converter_program(context).string(),
               "--perf-data",
               perf_data.string(),
               "-o",
               output.string(),
               "--perf",
               perf_program().string()};
  for (const auto& [name, path] : binaries) spec.argv.insert(spec.argv.end(), {"--binary", path.string()});
  const fs::path log = output.string() + ".log";
  const fs::path summary_file = output.string() + ".json";
  spec.stdout_file = summary_file;
  spec.stderr_file = log;
  ProcessResult result = run_process(spec);
  manifest.commands.push_back({{"argv", spec.argv}, {"seconds", result.seconds}, {"exit", result.exit_code}});
  if (!result.started || result.exit_code != 0)
    fail_job("hone-sample-profile could not turn " + what + " (" + perf_data.string() + ") into a profile: " +
             describe_outcome(result, spec) + "\n" + tail_of_file(log, 6) + "  command: " + shell_quote(spec.argv));
  std::ifstream in(summary_file);
  return nlohmann::json::parse(in, nullptr, false);
}

// Runs `llvm-profdata merge --sample` over weighted text profiles into a content-hashed profile.
fs::path merge_sample_profiles(Context& context, const std::vector<std::string>& weighted, Manifest& manifest) {
  const fs::path dir = context.stage_dir("merge");
  Tool tool = find_llvm_tool(context.config, context.tools, "llvm-profdata", context.config.llvm_profdata);
  check_same_llvm(context.tools, tool, "llvm-profdata", "tools.llvm_profdata");
  manifest.inputs["llvm_profdata"] = {{"path", tool.path.string()}, {"version", tool.version}};
  ProfileTemporary temporary(dir / "merged.profdata");
  ProcessSpec spec;
  spec.argv = {tool.path.string(), "merge", "--sample", "-o", temporary.path().string()};
  spec.argv.insert(spec.argv.end(), weighted.begin(), weighted.end());
  const fs::path log = dir / "llvm-profdata.log";
  spec.stdout_file = log;
  spec.stderr_file = log;
  context.progress.live("weighted merge of " + std::to_string(weighted.size()) + " sample profiles");
  ProcessResult result = run_process(spec);
  manifest.commands.push_back({{"argv", spec.argv}, {"seconds", result.seconds}, {"exit", result.exit_code}});
  if (!result.started || result.exit_code != 0)
    fail_job("llvm-profdata could not merge the sample profiles: " + describe_outcome(result, spec) + "\n" +
             tail_of_file(log, 8) + "  command: " + shell_quote(spec.argv));
  std::string hash;
  fs::path merged = temporary.publish("merged-", hash);
  manifest.outputs[merged.string()] = hash;
  return merged;
}

std::string weighted_input(double weight, const fs::path& file) {
  return "--weighted-input=" + std::to_string(static_cast<long long>(weight)) + "," + file.string();
}

}  // namespace

std::vector<std::string> sample_profiling_flags() {
  return {"-gline-tables-only", "-fdebug-info-for-profiling"};
}

std::string sample_train_key(Context& context) {
  Manifest instrument = require_manifest(context, "instrument");
  Hasher hasher;
  hasher.add_field("train-sample").add_field(instrument.input_key).add_field(instrument.outputs.dump());
  hasher.add_field(workload_settings(context.config.training).dump());
  hasher.add_field(context.config.sample_event).add_field(std::to_string(context.config.sample_frequency));
  for (const Workload& workload : context.config.training)
    hasher.add_field(workload.perf_recording ? "perf" : "command").add_field(std::to_string(workload.perf_duration));
  return hasher.hex();
}

void run_sample_train(Context& context, Manifest& manifest) {
  const Config& config = context.config;
  if (!context.tools.is_clang)
    fail_input("pgo.kind: sample builds with -fprofile-sample-use, which needs clang; with GCC use pgo.kind: ir (GCC's "
               "own -fprofile-generate)");
  fs::path dir = context.stage_dir("train");
  fs::path raw = dir / "raw";
  fs::remove_all(raw);  // an interrupted earlier run must not leave half a recording behind
  fs::remove_all(dir / "runs");
  const fs::path perf = perf_program();
  std::map<std::string, fs::path> binaries = variant_binaries(context, "instrument");
  const std::vector<Workload>& workloads = config.training;
  for (size_t w = 0; w < workloads.size(); ++w) {
    const Workload& workload = workloads[w];
    fs::path folder = raw / workload.name;
    fs::create_directories(folder);
    double seconds = 0;
    for (int r = 0; r < workload.repeat; ++r) {
      std::string label = "run" + std::to_string(r + 1);
      Workload recorded = workload;
      recorded.command = {perf.string(), "record", "-q", "-e", config.sample_event};
      if (config.sample_frequency > 0)
        recorded.command.insert(recorded.command.end(), {"-F", std::to_string(config.sample_frequency)});
      recorded.command.insert(recorded.command.end(), {"-o", (folder / (label + ".perf.data")).string(), "--"});
      if (workload.perf_duration > 0) {
        // SIGINT after the duration, SIGKILL 10 s later if it does not stop; perf then finishes its file.
        char duration[32];
        std::snprintf(duration, sizeof(duration), "%.3f", workload.perf_duration);
        recorded.command.insert(recorded.command.end(), {"timeout", "-s", "INT", "-k", "10", duration});
        recorded.timeout_seconds = std::max(workload.timeout_seconds, workload.perf_duration + 30);
      }
      recorded.command.insert(recorded.command.end(), workload.command.begin(), workload.command.end());
      context.progress.live(
          workload.name + " under perf (" + std::to_string(w + 1) + "/" + std::to_string(workloads.size()) +
          (workload.repeat > 1 ? ", run " + std::to_string(r + 1) + "/" + std::to_string(workload.repeat) : "") + ")");
      WorkloadRun run = run_workload(context, recorded, binaries, {}, dir / "runs", label);
      const bool stopped = workload.perf_duration > 0 && run.result.started && !run.result.timed_out &&
                           run.result.signal == 0 && run.result.exit_code == k_timeout_status;
      if (!stopped) {
        if (run.result.started && run.result.exit_code != workload.expected_exit) {
          // perf's own refusals, which the end of stderr shows, get the fix beside them.
          std::ifstream err(run.stderr_file);
          std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
          if (text.find("perf_event_paranoid") != std::string::npos ||
              text.find("Permission denied") != std::string::npos)
            fail_job("perf could not record training workload '" + workload.name + "' (" + workload.location +
                     "): the kernel refused the perf event. Recording your own processes needs "
                     "kernel.perf_event_paranoid at 2 or lower (sysctl kernel.perf_event_paranoid=2); in a "
                     "container, perf_event_open must be allowed (seccomp)\n" +
                     tail_of_file(run.stderr_file, 5));
          if (text.find("event syntax error") != std::string::npos || text.find("not supported") != std::string::npos)
            fail_job("perf does not know the event '" + config.sample_event + "' (pgo.event in " +
                     config.file.string() + ") on this machine; cpu-clock works everywhere\n" +
                     tail_of_file(run.stderr_file, 5));
        }
        check_workload(recorded, run, "training");
      }
      seconds += run.result.seconds;
      manifest.commands.push_back({{"workload", workload.name},
                                   {"argv", recorded.command},
                                   {"seconds", run.result.seconds},
                                   {"exit", run.result.exit_code}});
    }
    int recordings = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (!entry.path().string().ends_with(".perf.data")) continue;
      manifest.outputs[entry.path().string()] = hash_file(entry.path());
      ++recordings;
    }
    if (recordings == 0)
      fail_job("training workload '" + workload.name + "' (" + workload.location +
               ") ran under perf but left no "
               "recording in " +
               folder.string() + "; see " + (dir / "runs").string());
    manifest.facts["workloads"][workload.name] = {{"recordings", recordings}, {"seconds", seconds}};
    context.progress.note(workload.name + ": " + std::to_string(recordings) + " perf recording" +
                          (recordings == 1 ? "" : "s") + " in " + format_seconds(seconds));
  }
  manifest.inputs = {{"training", workload_settings(config.training)},
                     {"event", config.sample_event},
                     {"frequency", config.sample_frequency}};
}

std::string sample_merge_key(Context& context) {
  Manifest train = require_manifest(context, "train");
  Manifest instrument = require_manifest(context, "instrument");
  Hasher hasher;
  hasher.add_field("merge-sample").add_field(train.outputs.dump()).add_field(instrument.outputs.dump());
  hasher.add_field(workload_settings(context.config.training).dump()).add_field(context.config.llvm_profdata);
  for (const ImportedFile& import : read_import_list(perf_imports_file(context)))
    hasher.add_field(import.file.string()).add_field(std::to_string(import.weight));
  return hasher.hex();
}

void run_sample_merge(Context& context, Manifest& manifest) {
  const fs::path dir = context.stage_dir("merge");
  fs::create_directories(dir / "workloads");
  std::map<std::string, fs::path> binaries = variant_binaries(context, "instrument");
  fs::path raw_root = context.stage_dir("train") / "raw";
  std::vector<std::string> weighted;
  for (const Workload& workload : context.config.training) {
    std::vector<fs::path> recordings;
    for (const auto& entry : fs::directory_iterator(raw_root / workload.name))
      if (entry.path().string().ends_with(".perf.data")) recordings.push_back(entry.path());
    std::sort(recordings.begin(), recordings.end());
    uint64_t samples = 0, attributed = 0;
    for (const fs::path& recording : recordings) {
      std::string run = recording.filename().string();
      run.resize(run.size() - std::string(".perf.data").size());
      fs::path profile = dir / "workloads" / (workload.name + "." + run + ".afdo");
      context.progress.live("converting " + workload.name + " " + run);
      nlohmann::json summary =
          convert_recording(context, recording, profile, binaries,
                            "the perf recording of training workload '" + workload.name + "'", manifest);
      samples += summary.value("samples", uint64_t{0});
      attributed += summary.value("attributed", uint64_t{0});
      // Each run at the workload's weight: repeats add up, as the raw profiles of instrumented runs do.
      weighted.push_back(weighted_input(workload.weight, profile));
    }
    manifest.facts["workloads"][workload.name] = {{"recordings", recordings.size()},
                                                  {"samples", samples},
                                                  {"attributed", attributed},
                                                  {"weight", workload.weight}};
    context.progress.note(workload.name + ": " + std::to_string(attributed) + " of " + std::to_string(samples) +
                          " samples placed on source lines");
  }
  int index = 0;
  for (const ImportedFile& import : read_import_list(perf_imports_file(context))) {
    fs::path profile = dir / "workloads" / ("imported-" + std::to_string(++index) + ".afdo");
    nlohmann::json summary = convert_recording(context, import.file, profile, binaries,
                                               "the imported perf.data " + import.original, manifest);
    weighted.push_back(weighted_input(import.weight, profile));
    manifest.facts["imported"].push_back({{"file", import.original},
                                          {"weight", import.weight},
                                          {"samples", summary.value("samples", uint64_t{0})},
                                          {"attributed", summary.value("attributed", uint64_t{0})}});
  }
  fs::path merged = merge_sample_profiles(context, weighted, manifest);
  manifest.facts["merged_profile"] = merged.string();
  manifest.facts["profile_kind"] = "sample";
  context.progress.note("merged sample profile " + merged.filename().string());
}

void import_perf_data(Context& context) {
  const fs::path folder = context.stage_dir("merge") / "imported";
  std::vector<ImportedFile> imports = read_import_list(perf_imports_file(context));
  for (const std::string& spec : context.options.perf_data) {
    const auto [file, weight] = parse_import_spec("--perf-data", spec);
    // perf.data starts with "PERFILE2" (or "PERFILE" for the oldest format).
    std::ifstream in(file, std::ios::binary);
    char magic[8] = {};
    in.read(magic, sizeof(magic));
    if (std::string(magic, 7) != "PERFILE")
      fail_input("--perf-data " + spec + ": '" + file + "' is not a perf.data file (it does not start with PERFILE)");
    add_import(imports, folder, file, ".perf.data", weight);
    context.progress.note("imported " + file + " (weight " + std::to_string(static_cast<long long>(weight)) +
                          "); it is converted against the profiling build's binaries at the merge");
  }
  write_import_list(perf_imports_file(context), imports);
}

}  // namespace hone::pgo
