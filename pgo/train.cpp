// Stage 2, train: every training workload, `repeat` times, on the instrumented binaries. Each
// workload writes into its own folder with LLVM_PROFILE_FILE=<folder>/%m-%p.profraw: %p (process id)
// keeps processes of a multi-process or parallel workload from overwriting each other, %m (binary
// signature) keeps profiles of different binaries apart. A workload that leaves no profile is an
// error that names it, because merging without it would silently optimize for the wrong thing.
// With GCC each workload's .gcda files are redirected into its folder instead (gcc_profile.h).
#include "pgo/error.h"
#include "pgo/gcc_profile.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

std::string train_key(Context& context) {
  if (context.config.pgo_kind == PgoKind::sample) return sample_train_key(context);
  Manifest instrument = require_manifest(context, "instrument");
  Hasher hasher;
  hasher.add_field("train").add_field(instrument.input_key).add_field(instrument.outputs.dump());
  hasher.add_field(workload_settings(context.config.training).dump());
  return hasher.hex();
}

void run_train(Context& context, Manifest& manifest) {
  if (context.config.pgo_kind == PgoKind::sample) return run_sample_train(context, manifest);
  fs::path dir = context.stage_dir("train");
  fs::path raw = dir / "raw";
  fs::remove_all(raw);  // an interrupted earlier run must not leave half a profile behind
  fs::remove_all(dir / "runs");
  std::map<std::string, fs::path> binaries = variant_binaries(context, "instrument");
  const fs::path compiled_in = require_manifest(context, "instrument").facts.value("profile_generate_dir", "");
  const bool gcc = !context.tools.is_clang;
  const std::vector<Workload>& workloads = context.config.training;
  for (size_t w = 0; w < workloads.size(); ++w) {
    const Workload& workload = workloads[w];
    fs::path folder = raw / workload.name;
    fs::create_directories(folder);
    double seconds = 0;
    for (int r = 0; r < workload.repeat; ++r) {
      std::string label = "run" + std::to_string(r + 1);
      context.progress.live(
          workload.name + " (" + std::to_string(w + 1) + "/" + std::to_string(workloads.size()) +
          (workload.repeat > 1 ? ", run " + std::to_string(r + 1) + "/" + std::to_string(workload.repeat) : "") + ")");
      // GCC's runtime adds every process's counts to one .gcda per object file (under a lock), so
      // the workload's folder needs no per-process names.
      const std::map<std::string, std::string> profile_env =
          gcc ? gcov_redirect_environment(compiled_in, folder)
              : std::map<std::string, std::string>{{"LLVM_PROFILE_FILE", (folder / "%m-%p.profraw").string()}};
      WorkloadRun run = run_workload(context, workload, binaries, profile_env, dir / "runs", label);
      check_workload(workload, run, "training");
      seconds += run.result.seconds;
      manifest.commands.push_back({{"workload", workload.name},
                                   {"argv", workload.command},
                                   {"seconds", run.result.seconds},
                                   {"exit", run.result.exit_code}});
    }
    int profiles = 0;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (entry.path().extension() != (gcc ? ".gcda" : ".profraw")) continue;
      if (entry.file_size() == 0)
        fail_job("training workload '" + workload.name + "' (" + workload.location + ") wrote an empty profile " +
                 entry.path().string() + ": the program was probably killed while writing it");
      manifest.outputs[entry.path().string()] = hash_file(entry.path());
      ++profiles;
    }
    if (profiles == 0)
      fail_job("training workload '" + workload.name + "' (" + workload.location +
               ") ran but wrote no profile "
               "into " +
               folder.string() +
               ". Likely causes: its command does not run the instrumented binary "
               "(use {bin} or {bin:NAME} in 'command' instead of a fixed path); the program ends through _exit(), "
               "exec() or a fatal signal, which skip writing the profile; or it resets " +
               (gcc ? "GCOV_PREFIX or GCOV_PREFIX_STRIP" : "LLVM_PROFILE_FILE") + " itself");
    manifest.facts["workloads"][workload.name] = {{"profiles", profiles}, {"seconds", seconds}};
    // A .gcda file is one object file's counts from every run, a .profraw one process's counts.
    const std::string unit = gcc ? " .gcda file" : " profile";
    context.progress.note(workload.name + ": " + std::to_string(profiles) + unit + (profiles == 1 ? "" : "s") + " in " +
                          format_seconds(seconds));
  }
  manifest.inputs = {{"training", workload_settings(context.config.training)}};
}

}  // namespace hone::pgo
