// Stage 4, optimize: the release build with the merged profile (+ ThinLTO or full LTO by default,
// + --emit-relocs when BOLT follows). The compiler is asked to warn about every function that has no
// profile data and every function whose profile no longer matches its code; the counts (and the
// functions) are kept in the manifest and shown by `hone pgo info`, because a profile that does not
// reach the hot code is the quiet way PGO fails. With GCC the same account comes from -Wmissing-profile
// and -Wcoverage-mismatch, and a build in which no compile found its .gcda file fails.
#include <fstream>
#include <regex>
#include <set>

#include "pgo/build_checks.h"
#include "pgo/error.h"
#include "pgo/gcc_profile.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

std::string optimize_key(Context& context) {
  Hasher hasher;
  hasher.add_field("optimize").add_field(build_settings(context).dump()).add_field(source_hash(context));
  hasher.add_field(merged_profile(context)).add_field(to_string(context.config.lto));
  hasher.add_field(context.config.bolt ? "relocs" : "");
  return hasher.hex();
}

void run_optimize(Context& context, Manifest& manifest) {
  fs::path dir = context.stage_dir("optimize");
  const Config& config = context.config;
  BuildMode mode;
  std::string profile = merged_profile(context);
  if (config.pgo_kind == PgoKind::sample) {
    // On the link too: the clang driver hands it to the ThinLTO/LTO back end, which inlines and lays out again.
    mode.compile_flags = {"-fprofile-sample-use=" + profile, "-fdebug-info-for-profiling"};
    mode.link_flags = {"-fprofile-sample-use=" + profile};
  } else if (!context.tools.is_clang) {
    mode.profile_use = profile;  // the merged .gcda folder
    mode.compile_flags = gcc_optimize_flags(dir / "build");
  } else if (config.pgo_kind != PgoKind::frontend) {
    mode.profile_use = profile;
    mode.compile_flags = {"-mllvm=-pgo-warn-missing-function"};  // one word: survives any flag splitting
  } else {
    mode.compile_flags = {"-fprofile-instr-use=" + profile, "-Wprofile-instr-unprofiled"};
  }
  mode.lto = config.lto;
  mode.relocs = config.bolt;
  mode.compile_flags.insert(mode.compile_flags.end(), config.compile_flags.begin(), config.compile_flags.end());
  mode.link_flags.insert(mode.link_flags.end(), config.link_flags.begin(), config.link_flags.end());
  mode.afresh = context.forced("optimize");
  fs::path log = dir / "build.log";
  nlohmann::json build = build_variant(context, "optimized", dir / "build", mode, log);
  manifest.commands = build["commands"];
  manifest.inputs = {{"build", build_settings(context)},
                     {"profile", profile},
                     {"lto", to_string(config.lto)},
                     {"relocs", config.bolt},
                     {"flags_through", build["flags_through"]}};

  // The compiler's own account of where the profile did not apply.
  static const std::regex missing(R"(no profile data available for function (\S+))");
  static const std::regex unprofiled(R"(function '?([^' ]+)'? has no profile data)");
  static const std::regex stale(R"(function control flow change detected \(hash mismatch\) (\S+))");
  std::set<std::string> no_profile, mismatched;
  std::ifstream in(log);
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_search(line, match, missing) || std::regex_search(line, match, unprofiled))
      no_profile.insert(match[1]);
    else if (std::regex_search(line, match, stale))
      mismatched.insert(match[1]);
  }
  manifest.facts["functions_without_profile"] = no_profile;
  manifest.facts["functions_with_stale_profile"] = mismatched;
  if (!context.tools.is_clang) record_gcc_profile_use(context, log, dir / "build", manifest);
  std::map<std::string, fs::path> binaries = product_binaries(context, dir / "build");
  VariantExpectation expected;
  expected.differ_from_instrumented = true;
  expected.profile = profile;
  check_variant_binaries(context, "optimized", binaries, dir / "build", log, expected);
  for (const auto& [name, path] : binaries) {
    manifest.outputs[path.string()] = hash_file(path);
    manifest.facts["binaries"][name] = path.string();
  }
  // With GCC the counts are record_gcc_profile_use's (GCC's wording), not the Clang lines read above.
  context.progress.note(std::to_string(manifest.facts["functions_without_profile"].size()) +
                        " function(s) without profile data, " +
                        std::to_string(manifest.facts["functions_with_stale_profile"].size()) +
                        " with a stale profile (details: hone pgo info)");
}

}  // namespace hone::pgo
