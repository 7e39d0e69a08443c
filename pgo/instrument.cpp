// Stage 1, instrument: the project's release build with profile instrumentation (IR-level
// -fprofile-generate by default, or Clang's front-end -fprofile-instr-generate). The profile folder
// baked into the binary is only a default: the train stage sets LLVM_PROFILE_FILE per workload.
#include "pgo/error.h"
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
  if (context.config.pgo_kind != PgoKind::frontend) {
    mode.profile_generate = default_profiles;
  } else {
    mode.compile_flags = {"-fprofile-instr-generate"};
    mode.link_flags = {"-fprofile-instr-generate"};
  }
  mode.compile_flags.insert(mode.compile_flags.end(), context.config.compile_flags.begin(),
                            context.config.compile_flags.end());
  mode.link_flags.insert(mode.link_flags.end(), context.config.link_flags.begin(), context.config.link_flags.end());
  nlohmann::json build = build_variant(context, "instrumented", dir / "build", mode, dir / "build.log");
  manifest.commands = build["commands"];
  manifest.inputs = {
      {"build", build_settings(context)}, {"sources", source_hash(context)}, {"flags_through", build["flags_through"]}};
  manifest.facts["source_hash"] = source_hash(context);
  for (const auto& [name, path] : product_binaries(context, dir / "build")) {
    manifest.outputs[path.string()] = hash_file(path);
    manifest.facts["binaries"][name] = path.string();
  }
}

}  // namespace hone::pgo
