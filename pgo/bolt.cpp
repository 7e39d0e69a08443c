// Stage 5, bolt: post-link layout optimization of the optimized binaries with llvm-bolt, in
// instrumentation mode so it needs no hardware performance counters (virtual machines, CI):
//   1. check the binary kept its relocations (linked with --emit-relocs; function reordering needs them);
//   2. llvm-bolt -instrument, one .fdata per process (-instrumentation-file-append-pid);
//   3. run the training workloads on the instrumented binaries;
//   4. merge-fdata, then llvm-bolt with ext-tsp block layout, cdsort function order, hot/cold
//      splitting and identical code folding; BOLT's dyno-stats go into the manifest;
//   5. run the training workloads on the BOLTed binaries and on their inputs: any difference in exit
//      status or output fails the stage, and the BOLTed binaries are removed, never left to be used.
// bolt.args go to both llvm-bolt steps (an option such as -skip-funcs must reach the instrumenting step
// too, or that step fails first). When a step fails naming functions BOLT cannot process ("BOLT-ERROR:
// ... in function F. Consider adding this function to --skip-funcs"; LLVM 19 cannot rewrite a
// computed-goto dispatch loop in a position-independent executable), those functions are skipped, in
// both steps, and the step is retried once. A failure shows every BOLT-ERROR line, not only the log's
// end; the pipeline then verifies the PGO+LTO build without BOLT (pipeline.cpp).
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "pgo/elf_sections.h"
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

// The functions a failed llvm-bolt run names as ones it cannot process (the "(*N)" BOLT appends to a
// function with N names is not part of the name -skip-funcs takes), and its BOLT-ERROR lines.
struct BoltFailure {
  std::set<std::string> unsupported;
  std::vector<std::string> errors;
};

BoltFailure read_bolt_failure(const std::vector<fs::path>& outputs) {
  static const std::regex unsupported(R"(function (\S+?)(?:\(\*\d+\))?[.,:]?\s.*skip-funcs)");
  BoltFailure failure;
  for (const fs::path& output : outputs) {
    std::ifstream in(output);
    std::string line;
    std::smatch match;
    while (std::getline(in, line)) {
      if (line.find("BOLT-ERROR") == std::string::npos) continue;
      if (failure.errors.size() < 20) failure.errors.push_back(line);
      if (std::regex_search(line, match, unsupported)) failure.unsupported.insert(match[1]);
    }
  }
  return failure;
}

std::string join(const std::set<std::string>& names, const char* separator) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : separator) + name;
  return text;
}

// One llvm-bolt step for the binary `name`: `argv` plus bolt.args and -skip-funcs for the functions
// skipped so far. A failure that names unsupported functions not yet skipped adds them to `skipped` and
// retries once; any other failure throws with the BOLT-ERROR lines and the end of the log.
void run_bolt_step(Context& context, Manifest& manifest, const std::vector<std::string>& argv, const fs::path& log,
                   const fs::path& stdout_file, const std::string& name, std::set<std::string>& skipped,
                   const std::string& what) {
  for (int attempt = 0;; ++attempt) {
    std::vector<std::string> command = argv;
    command.insert(command.end(), context.config.bolt_args.begin(), context.config.bolt_args.end());
    if (!skipped.empty()) command.push_back("-skip-funcs=" + join(skipped, ","));
    ProcessResult result = run_tool(context, command, log, manifest, stdout_file);
    if (result.started && result.exit_code == 0 && result.signal == 0) return;
    BoltFailure failure =
        read_bolt_failure(log == stdout_file ? std::vector<fs::path>{log} : std::vector<fs::path>{log, stdout_file});
    std::set<std::string> fresh;
    for (const std::string& function : failure.unsupported)
      if (!skipped.count(function)) fresh.insert(function);
    if (attempt == 0 && !fresh.empty()) {
      context.progress.note("llvm-bolt cannot process function(s) " + join(fresh, ", ") + " of " + name +
                            " (BOLT-ERROR); retrying once with -skip-funcs=" + join(fresh, ","));
      skipped.insert(fresh.begin(), fresh.end());
      manifest.facts["skipped_functions"][name] = skipped;
      continue;
    }
    std::string errors;
    for (const std::string& line : failure.errors) errors += "    " + line + "\n";
    fail_job("llvm-bolt could not " + what + " " + argv[1] + ": it " + describe_outcome(result, spec_of({argv[0]})) +
             (errors.empty() ? "" : "\n  its BOLT-ERROR lines:\n" + errors) + "  last lines of " + log.string() +
             ":\n" + tail_of_file(log, 8) +
             (skipped.empty() ? "" : "  (already skipped: " + join(skipped, ", ") + ")\n") +
             "  functions BOLT cannot process can be skipped with bolt.args: [\"-skip-funcs=NAME,...\"] in " +
             context.config.file.string() + "; or set 'bolt: off'");
  }
}

// Steps 1 + 2: each optimized binary instrumented, writing <dir>/fdata/<name>.fdata.<pid> when it runs.
std::map<std::string, fs::path> instrument_binaries(Context& context, Manifest& manifest, const fs::path& dir,
                                                    const Tool& bolt, const std::map<std::string, fs::path>& optimized,
                                                    std::map<std::string, std::set<std::string>>& skipped) {
  std::map<std::string, fs::path> instrumented;
  for (const auto& [name, path] : optimized) {
    if (!has_elf_section(path, ".rela.text"))
      fail_job(path.string() +
               " has no relocations, so BOLT cannot reorder its functions: it must be linked with "
               "--emit-relocs. hone adds it through the wrapper (HONE_RELOCS=1); if the project strips its "
               "binaries or links with its own flags, remove -s / --strip-all from its link flags");
    instrumented[name] = dir / "instrumented" / name;
    context.progress.live("instrumenting " + name);
    fs::path log = dir / ("instrument-" + name + ".log");
    run_bolt_step(context, manifest,
                  {bolt.path.string(), path.string(), "-instrument",
                   "-instrumentation-file=" + (dir / "fdata" / name).string() + ".fdata",
                   "-instrumentation-file-append-pid", "-o", instrumented[name].string()},
                  log, log, name, skipped[name], "instrument");
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
                         const std::string& name, const fs::path& path, const fs::path& merged,
                         std::set<std::string>& skipped) {
  fs::path bolted = dir / "out" / name;
  fs::path log = dir / ("optimize-" + name + ".log");
  fs::path output = dir / ("optimize-" + name + ".out");
  std::vector<std::string> optimize = {bolt.path.string(), path.string(), "-o", bolted.string(),
                                       "-data=" + merged.string()};
  optimize.insert(optimize.end(), k_bolt_optimizations.begin(), k_bolt_optimizations.end());
  context.progress.live("optimizing " + name);
  try {
    run_bolt_step(context, manifest, optimize, log, output, name, skipped, "optimize");
  } catch (const PgoError&) {
    std::error_code error;
    fs::remove(bolted, error);
    throw;
  }
  manifest.facts["dyno_stats"][name] = dyno_stats(output);
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
  // 1 + 2: instrument. Functions BOLT cannot process in one step are skipped in the other too.
  std::map<std::string, std::set<std::string>> skipped;
  std::map<std::string, fs::path> instrumented = instrument_binaries(context, manifest, dir, bolt, optimized, skipped);

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
                                   merge_profiles(context, manifest, dir, merge_fdata, name), skipped[name]);

  // 5: the BOLTed binaries must behave exactly like their inputs on every training workload.
  check_same_behaviour(context, dir, optimized, bolted);
  for (const auto& [name, path] : bolted) {
    manifest.outputs[path.string()] = hash_file(path);
    manifest.facts["binaries"][name] = path.string();
  }
}

}  // namespace hone::pgo
