// Stage cs (pgo.kind: cs): context-sensitive PGO, LLVM's second instrumentation round. The first
// profile drives inlining; this round instruments the code *after* that inlining
// (-fcs-profile-generate together with -fprofile-use), so the counts distinguish a function's
// behaviour per call site. Both rounds are merged into one profile, named by its content hash like
// the first, which the optimize stage then uses.
#include "pgo/build_checks.h"
#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

std::string cs_key(Context& context) {
  Manifest merge = require_manifest(context, "merge");
  Hasher hasher;
  hasher.add_field("cs").add_field(build_settings(context).dump()).add_field(source_hash(context));
  hasher.add_field(merge.outputs.dump()).add_field(workload_settings(context.config.training).dump());
  hasher.add_field(to_string(context.config.lto)).add_field(context.config.llvm_profdata);
  return hasher.hex();
}

void run_cs(Context& context, Manifest& manifest) {
  const Config& config = context.config;
  fs::path dir = context.stage_dir("cs");
  std::string first = require_manifest(context, "merge").facts.value("merged_profile", "");
  Tool profdata = find_llvm_tool(config, context.tools, "llvm-profdata", config.llvm_profdata);
  check_same_llvm(context.tools, profdata, "llvm-profdata", "tools.llvm_profdata");

  // 1: build with the first profile, instrumenting after inlining.
  BuildMode mode;
  mode.profile_use = first;
  mode.lto = config.lto;
  std::string generate = "-fcs-profile-generate=" + (dir / "default-profiles").string();
  mode.compile_flags = {generate};
  mode.link_flags = {generate};
  mode.compile_flags.insert(mode.compile_flags.end(), config.compile_flags.begin(), config.compile_flags.end());
  mode.link_flags.insert(mode.link_flags.end(), config.link_flags.begin(), config.link_flags.end());
  mode.afresh = context.forced("cs");
  nlohmann::json build = build_variant(context, "cs-instrumented", dir / "build", mode, dir / "build.log");
  manifest.commands = build["commands"];
  std::map<std::string, fs::path> binaries = product_binaries(context, dir / "build");
  VariantExpectation expected;
  expected.instrumented = true;
  expected.profile = first;
  check_variant_binaries(context, "cs-instrumented", binaries, dir / "build", dir / "build.log", expected);
  for (const auto& [name, path] : binaries) manifest.outputs[path.string()] = hash_file(path);

  // 2: train again; 3: merge the first profile with every workload's second-round profiles.
  fs::remove_all(dir / "raw");
  ProfileTemporary temporary(dir / "merged-cs.profdata");
  std::vector<std::string> arguments = {"merge", "-o", temporary.path().string(), first};
  for (const Workload& workload : config.training) {
    fs::path folder = dir / "raw" / workload.name;
    fs::create_directories(folder);
    for (int r = 0; r < workload.repeat; ++r) {
      context.progress.live("training " + workload.name);
      WorkloadRun run =
          run_workload(context, workload, binaries, {{"LLVM_PROFILE_FILE", (folder / "%m-%p.profraw").string()}},
                       dir / "runs", "run" + std::to_string(r + 1));
      check_workload(workload, run, "context-sensitive training");
    }
    int profiles = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.path().extension() != ".profraw") continue;
      arguments.push_back("--weighted-input=" + std::to_string(static_cast<long long>(workload.weight)) + "," +
                          entry.path().string());
      ++profiles;
    }
    if (profiles == 0)
      fail_job("training workload '" + workload.name + "' (" + workload.location +
               ") wrote no context-sensitive "
               "profile into " +
               folder.string() + "; see the causes listed for the train stage in docs/pgo.md");
  }
  ProcessSpec spec = spec_of({profdata.path.string()});
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  spec.stdout_file = dir / "llvm-profdata.log";
  spec.stderr_file = dir / "llvm-profdata.log";
  ProcessResult result = run_process(spec);
  manifest.commands.push_back({{"argv", spec.argv}, {"seconds", result.seconds}, {"exit", result.exit_code}});
  if (!result.started || result.exit_code != 0)
    fail_job("llvm-profdata could not merge the context-sensitive profiles:\n" +
             tail_of_file(dir / "llvm-profdata.log", 8));
  std::string hash;
  fs::path merged = temporary.publish("merged-cs-", hash);
  manifest.outputs[merged.string()] = hash;
  manifest.facts["merged_profile"] = merged.string();
  manifest.inputs = {{"first_profile", first}, {"flags_through", build["flags_through"]}};
  context.progress.note("context-sensitive profile " + merged.filename().string());
}

}  // namespace hone::pgo
