// Stage 5, bolt: post-link layout optimization of the optimized binaries with llvm-bolt, in
// instrumentation mode so it needs no hardware performance counters (virtual machines, CI):
//   1. check the binary kept its relocations (linked with --emit-relocs; function reordering needs them);
//   2. llvm-bolt -instrument, one .fdata per process (-instrumentation-file-append-pid);
//   3. run the training workloads on the instrumented binaries;
//   4. merge-fdata, then llvm-bolt with ext-tsp block layout, cdsort function order, hot/cold
//      splitting and identical code folding; BOLT's dyno-stats go into the manifest;
//   5. run the training workloads on the BOLTed binaries and on their inputs: any difference in exit
//      status or output fails the stage, and the BOLTed binaries are removed, never left to be used.
#include <fstream>
#include <sstream>

#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> k_bolt_optimizations = {"-reorder-blocks=ext-tsp",
                                                       "-reorder-functions=cdsort",
                                                       "-split-functions",
                                                       "-split-all-cold",
                                                       "-icf=1",
                                                       "-use-gnu-stack",
                                                       "-dyno-stats"};

ProcessResult run_tool(Context& context, const std::vector<std::string>& argv, const fs::path& log, Manifest& manifest,
                       const fs::path& stdout_file = {}) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.stdout_file = stdout_file.empty() ? log : stdout_file;
  spec.stderr_file = log;
  ProcessResult result = run_process(spec);
  manifest.commands.push_back({{"argv", argv}, {"seconds", result.seconds}, {"exit", result.exit_code}});
  (void)context;
  return result;
}

bool has_relocations(const fs::path& binary) {
  // A section header named .rela.text is what --emit-relocs leaves in an executable.
  std::ifstream in(binary, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return content.find(std::string(".rela.text\0", 11)) != std::string::npos;
}

// Steps 1 + 2: each optimized binary instrumented, writing <dir>/fdata/<name>.fdata.<pid> when it runs.
std::map<std::string, fs::path> instrument_binaries(Context& context, Manifest& manifest, const fs::path& dir,
                                                    const Tool& bolt,
                                                    const std::map<std::string, fs::path>& optimized) {
  std::map<std::string, fs::path> instrumented;
  for (const auto& [name, path] : optimized) {
    if (!has_relocations(path))
      fail_job(path.string() +
               " has no relocations, so BOLT cannot reorder its functions: it must be linked with "
               "--emit-relocs. hone adds it through the wrapper (HONE_RELOCS=1); if the project strips its "
               "binaries or links with its own flags, remove -s / --strip-all from its link flags");
    instrumented[name] = dir / "instrumented" / name;
    context.progress.live("instrumenting " + name);
    fs::path log = dir / ("instrument-" + name + ".log");
    ProcessResult result = run_tool(context,
                                    {bolt.path.string(), path.string(), "-instrument",
                                     "-instrumentation-file=" + (dir / "fdata" / name).string() + ".fdata",
                                     "-instrumentation-file-append-pid", "-o", instrumented[name].string()},
                                    log, manifest);
    if (!result.started || result.exit_code != 0 || result.signal != 0)
      fail_job("llvm-bolt could not instrument " + path.string() + ": it " +
               describe_outcome(result, spec_of({bolt.path.string()})) + "\n" + tail_of_file(log, 10));
  }
  return instrumented;
}

// Step 4a: the .fdata files one binary's processes wrote during training, merged into <dir>/<name>.fdata.
fs::path merge_profiles(Context& context, Manifest& manifest, const fs::path& dir, const Tool& merge_fdata,
                        const std::string& name) {
  std::vector<std::string> fdata;
  for (const auto& entry : fs::directory_iterator(dir / "fdata"))
    if (entry.path().filename().string().starts_with(name + ".fdata")) fdata.push_back(entry.path().string());
  if (fdata.empty())
    fail_job("the BOLT-instrumented " + name +
             " wrote no profile (.fdata) during training. If no training "
             "workload runs {bin:" +
             name +
             "}, add one. Otherwise the program ends without running its exit "
             "handlers (_exit(), a signal) or, as a position-independent executable, the BOLT runtime could not "
             "write at exit: add \"-no-pie\" to flags.link and \"-fno-pie\" to flags.compile in hone.yaml and run "
             "'hone pgo --force'");
  std::sort(fdata.begin(), fdata.end());
  fs::path merged = dir / (name + ".fdata");
  std::vector<std::string> argv = {merge_fdata.path.string()};
  argv.insert(argv.end(), fdata.begin(), fdata.end());
  fs::path merge_log = dir / ("merge-fdata-" + name + ".log");
  ProcessResult merged_result = run_tool(context, argv, merge_log, manifest, merged);
  if (!merged_result.started || merged_result.exit_code != 0)
    fail_job("merge-fdata failed for " + name + ":\n" + tail_of_file(merge_log, 10));
  return merged;
}

// BOLT's dyno-stats lines ("  12345 : executed instructions (-1.2%)") from its output, for the manifest.
nlohmann::json dyno_stats(const fs::path& bolt_output) {
  std::ifstream out(bolt_output);
  std::string line;
  nlohmann::json stats = nlohmann::json::object();
  while (std::getline(out, line)) {
    size_t colon = line.find(" : ");
    if (colon == std::string::npos) continue;
    std::string count = line.substr(0, colon);
    count.erase(0, count.find_first_not_of(' '));
    if (count.empty() || count.find_first_not_of("0123456789") != std::string::npos) continue;
    stats[line.substr(colon + 3)] = std::stoll(count);
  }
  return stats;
}

// Step 4b: one binary optimized with its merged profile into <dir>/out/<name>; returns that path.
fs::path optimize_binary(Context& context, Manifest& manifest, const fs::path& dir, const Tool& bolt,
                         const std::string& name, const fs::path& path, const fs::path& merged) {
  fs::path bolted = dir / "out" / name;
  fs::path log = dir / ("optimize-" + name + ".log");
  std::vector<std::string> optimize = {bolt.path.string(), path.string(), "-o", bolted.string(),
                                       "-data=" + merged.string()};
  optimize.insert(optimize.end(), k_bolt_optimizations.begin(), k_bolt_optimizations.end());
  optimize.insert(optimize.end(), context.config.bolt_args.begin(), context.config.bolt_args.end());
  context.progress.live("optimizing " + name);
  ProcessResult result = run_tool(context, optimize, log, manifest, dir / ("optimize-" + name + ".out"));
  if (!result.started || result.exit_code != 0 || result.signal != 0) {
    fs::remove(bolted);
    fail_job("llvm-bolt failed to optimize " + path.string() + ": it " +
             describe_outcome(result, spec_of({bolt.path.string()})) + "\n" + tail_of_file(log, 12) +
             "  the PGO+LTO build in .hone/optimize is unaffected; set 'bolt: off' in hone.yaml to skip BOLT");
  }
  manifest.facts["dyno_stats"][name] = dyno_stats(dir / ("optimize-" + name + ".out"));
  return bolted;
}

// Step 5: the BOLTed binaries must behave exactly like their inputs on every training workload; if
// not, they are removed and the stage fails.
void check_same_behaviour(Context& context, const fs::path& dir, const std::map<std::string, fs::path>& optimized,
                          const std::map<std::string, fs::path>& bolted) {
  for (const Workload& workload : context.config.training) {
    context.progress.live("checking " + workload.name);
    WorkloadRun before = run_workload(context, workload, optimized, {}, dir / "runs", "optimized");
    WorkloadRun after = run_workload(context, workload, bolted, {}, dir / "runs", "bolted");
    bool same_status = before.result.exit_code == after.result.exit_code && before.result.signal == after.result.signal;
    bool same_output = !workload.compare_output || before.stdout_hash == after.stdout_hash;
    if (!same_status || !same_output) {
      for (const auto& [name, path] : bolted) fs::remove(path);
      fail_job("the BOLT-optimized binaries behave differently from their input on training workload '" +
               workload.name + "' (" + workload.location + "): " +
               (same_status ? std::string("its output differs (compare ") + before.stdout_file.string() + " with " +
                                  after.stdout_file.string() + ")"
                            : "it " + describe_outcome(after.result, spec_of(workload.command)) + " instead of " +
                                  describe_outcome(before.result, spec_of(workload.command))) +
               ". The BOLTed binaries were removed; report this as an llvm-bolt bug, or set 'bolt: off'");
    }
    check_workload(workload, after, "BOLT-optimized");
  }
}

}  // namespace

std::string bolt_key(Context& context) {
  Manifest optimize = require_manifest(context, "optimize");
  Hasher hasher;
  hasher.add_field("bolt")
      .add_field(optimize.outputs.dump())
      .add_field(workload_settings(context.config.training).dump());
  for (const std::string& argument : context.config.bolt_args) hasher.add_field(argument);
  hasher.add_field(context.config.llvm_bolt).add_field(context.config.merge_fdata);
  return hasher.hex();
}

void run_bolt(Context& context, Manifest& manifest) {
  fs::path dir = context.stage_dir("bolt");
  Tool bolt = find_llvm_tool(context.config, context.tools, "llvm-bolt", context.config.llvm_bolt);
  Tool merge_fdata = find_llvm_tool(context.config, context.tools, "merge-fdata", context.config.merge_fdata);
  manifest.inputs["llvm_bolt"] = {{"path", bolt.path.string()}, {"version", bolt.version}};
  for (const char* folder : {"instrumented", "fdata", "runs", "out"}) {
    fs::remove_all(dir / folder);
    fs::create_directories(dir / folder);
  }
  std::map<std::string, fs::path> optimized = variant_binaries(context, "optimize");
  // 1 + 2: instrument.
  std::map<std::string, fs::path> instrumented = instrument_binaries(context, manifest, dir, bolt, optimized);

  // 3: train the instrumented binaries.
  for (const Workload& workload : context.config.training) {
    context.progress.live("training " + workload.name);
    WorkloadRun run = run_workload(context, workload, instrumented, {}, dir / "runs", "instrumented");
    check_workload(workload, run, "BOLT-instrumented training");
  }

  // 4: merge each binary's .fdata and optimize it.
  std::map<std::string, fs::path> bolted;
  for (const auto& [name, path] : optimized)
    bolted[name] = optimize_binary(context, manifest, dir, bolt, name, path,
                                   merge_profiles(context, manifest, dir, merge_fdata, name));

  // 5: the BOLTed binaries must behave exactly like their inputs on every training workload.
  check_same_behaviour(context, dir, optimized, bolted);
  for (const auto& [name, path] : bolted) {
    manifest.outputs[path.string()] = hash_file(path);
    manifest.facts["binaries"][name] = path.string();
  }
}

}  // namespace hone::pgo
