// Stage 1, instrument: the project's release build with profile instrumentation (IR-level
// -fprofile-generate by default, or Clang's front-end -fprofile-instr-generate). The profile folder
// baked into the binary is only a default: the train stage sets LLVM_PROFILE_FILE per workload (with
// GCC, GCOV_PREFIX and GCOV_PREFIX_STRIP; gcc_profile.h).
#include "pgo/build_checks.h"
#include "pgo/build_inputs.h"
#include "pgo/error.h"
#include "pgo/gcc_profile.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

std::string instrument_key(Context& context) {
  Hasher hasher;
  hasher.add_field("instrument").add_field(build_settings(context).dump()).add_field(source_hash(context));
  return hasher.hex();
}

void run_instrument(Context& context, Manifest& manifest) {
  fs::path dir = context.stage_dir("instrument");
  BuildMode mode;
  fs::path default_profiles = dir / "default-profiles";
  if (context.config.pgo_kind == PgoKind::sample) {
    mode.compile_flags = sample_profiling_flags();  // no counters: perf samples this build as it is
  } else if (context.config.pgo_kind != PgoKind::frontend) {
    mode.profile_generate = default_profiles;
    // GCC: .gcda names relative to the build folder, and the notes `info` reads (gcc_profile.h).
    if (!context.tools.is_clang) mode.compile_flags = gcc_instrument_flags(dir / "build");
  } else {
    mode.compile_flags = {"-fprofile-instr-generate"};
    mode.link_flags = {"-fprofile-instr-generate"};
  }
  mode.compile_flags.insert(mode.compile_flags.end(), context.config.compile_flags.begin(),
                            context.config.compile_flags.end());
  mode.link_flags.insert(mode.link_flags.end(), context.config.link_flags.begin(), context.config.link_flags.end());
  mode.afresh = context.forced("instrument");
  nlohmann::json build = build_variant(context, "instrumented", dir / "build", mode, dir / "build.log");
  manifest.commands = build["commands"];
  // What the build read outside the source folder now counts in the source hash, and so in this
  // stage's key: recomputed so that the next run finds it unchanged.
  const std::vector<std::string> outside =
      build_inputs_outside_sources(context, compile_db_path(dir / "build"), dir / "dependencies");
  set_outside_inputs(outside);
  manifest.input_key = instrument_key(context);
  manifest.facts["outside_inputs"] = outside;
  manifest.inputs = {
      {"build", build_settings(context)}, {"sources", source_hash(context)}, {"flags_through", build["flags_through"]}};
  manifest.facts["source_hash"] = source_hash(context);
  // Compiled into the binaries: train redirects GCC's .gcda files from here to each workload's folder.
  manifest.facts["profile_generate_dir"] = default_profiles.string();
  std::map<std::string, fs::path> binaries = product_binaries(context, dir / "build");
  VariantExpectation expected;
  expected.instrumented = context.config.pgo_kind != PgoKind::sample;
  check_variant_binaries(context, "instrumented", binaries, dir / "build", dir / "build.log", expected);
  for (const auto& [name, path] : binaries) {
    manifest.outputs[path.string()] = hash_file(path);
    manifest.facts["binaries"][name] = path.string();
  }
}

}  // namespace hone::pgo
