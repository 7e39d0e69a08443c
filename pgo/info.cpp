// `hone pgo info` and `hone pgo clean`. info answers "did the profile reach the code that matters?":
// which stages are done, how many functions the profile covers and which are hottest (llvm-profdata
// show), how much the training workloads overlap (llvm-profdata overlap: low overlap means each
// workload teaches something different, high means one may be redundant), the compiler's own count
// of functions that got no profile or a stale one in the optimized build, and whether the sources
// changed since the profile was collected. clean is work_folder.cpp's: it removes only what hone made.
#include <cstdio>
#include <fstream>
#include <regex>
#include <unistd.h>

#include "pgo/error.h"
#include "pgo/pipeline.h"
#include "pgo/stages.h"
#include "pgo/work_folder.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> tool_lines(const Tool& tool, const std::vector<std::string>& arguments, const fs::path& scratch) {
  ProcessSpec spec;
  spec.argv = {tool.path.string()};
  spec.argv.insert(spec.argv.end(), arguments.begin(), arguments.end());
  spec.stdout_file = scratch;
  spec.stderr_file = "/dev/null";
  ProcessResult result = run_process(spec);
  std::vector<std::string> lines;
  if (result.exit_code == 0) {
    std::ifstream in(scratch);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  std::error_code error;
  fs::remove(scratch, error);
  return lines;
}

} // namespace

int run_info(Context& context) {
  const Config& config = context.config;
  // Text for people, or (with --json) only the JSON document on stdout.
  // The formats are the literals at each call site below; the lambda only forwards them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
  auto say = [&](const char* format, auto... values) {
    if (!context.options.json) std::printf(format, values...);
  };
#pragma GCC diagnostic pop
  nlohmann::json info = {{"config", config.file.string()}, {"work_dir", config.work_dir.string()}};
  say("config:   %s\nwork dir: %s\n\nstages:\n", config.file.string().c_str(), config.work_dir.string().c_str());
  for (const std::string& stage : plan(config)) {
    std::optional<Manifest> manifest = read_manifest(context.stage_dir(stage));
    std::string state = manifest ? "done in " + format_seconds(manifest->seconds) : "not done";
    say("  %-11s %s\n", stage.c_str(), state.c_str());
    info["stages"][stage] = manifest ? "done" : "not done";
  }
  std::optional<Manifest> merge = read_manifest(context.stage_dir("merge"));
  if (!merge) {
    say("\nno merged profile yet: run 'hone pgo' (or 'hone pgo merge')\n");
    if (context.options.json) std::printf("%s\n", info.dump(2).c_str());
    return 0;
  }
  Tool profdata = find_llvm_tool(config, context.tools, "llvm-profdata", config.llvm_profdata);
  std::string profile = merge->facts.value("merged_profile", "");
  // Scratch output of llvm-profdata, in the merge stage's folder (hone's; info takes no lock and must not
  // clash with another info run, hence the pid).
  fs::path scratch = context.stage_dir("merge") / ("info-" + std::to_string(getpid()) + ".tmp");
  say("\nprofile: %s\n", profile.c_str());
  info["profile"] = profile;

  int total = 0, covered = 0;
  static const std::regex total_pattern(R"(Total functions: (\d+))");
  std::smatch match;
  for (const std::string& line : tool_lines(profdata, {"show", profile}, scratch))
    if (std::regex_search(line, match, total_pattern)) total = std::stoi(match[1]);
  for (const std::string& line : tool_lines(profdata, {"show", "--covered", profile}, scratch))
    if (!line.empty() && line.find(':') == std::string::npos && line.find("Instrumentation level") == std::string::npos)
      ++covered;
  if (covered > total) covered = total;
  say("  functions with profile data: %d, without (never ran in training): %d, total: %d\n", covered,
              total - covered, total);
  info["functions"] = {{"total", total}, {"with_profile_data", covered}, {"without_profile_data", total - covered}};

  say("  hottest functions (largest block count):\n");
  static const std::regex top_pattern(R"(^\s+(.+), max count = (\d+))");
  for (const std::string& line : tool_lines(profdata, {"show", "--topn=10", profile}, scratch)) {
    if (!std::regex_search(line, match, top_pattern)) continue;
    say("    %14s  %s\n", match[2].str().c_str(), match[1].str().c_str());
    info["hottest"].push_back({{"function", match[1].str()}, {"max_count", std::stoll(match[2].str())}});
  }

  // Pairwise overlap of the training workloads' profiles.
  std::vector<std::pair<std::string, std::string>> workloads;
  nlohmann::json workload_facts = merge->facts.value("workloads", nlohmann::json::object());
  for (const auto& [name, facts] : workload_facts.items())
    workloads.emplace_back(name, facts.value("profile", ""));
  if (workloads.size() > 1) {
    say("  overlap between training workloads (edge profile overlap):\n");
    static const std::regex overlap_pattern(R"(Edge profile overlap: ([0-9.]+)%)");
    for (size_t i = 0; i < workloads.size() && i < 6; ++i) {
      for (size_t j = i + 1; j < workloads.size() && j < 6; ++j) {
        for (const std::string& line : tool_lines(profdata, {"overlap", workloads[i].second, workloads[j].second}, scratch)) {
          if (!std::regex_search(line, match, overlap_pattern)) continue;
          say("    %-16s %-16s %s%%\n", workloads[i].first.c_str(), workloads[j].first.c_str(), match[1].str().c_str());
          info["overlap"].push_back({{"a", workloads[i].first}, {"b", workloads[j].first}, {"percent", std::stod(match[1])}});
          break;
        }
      }
    }
  }

  if (std::optional<Manifest> optimize = read_manifest(context.stage_dir("optimize"))) {
    auto missing = optimize->facts.value("functions_without_profile", nlohmann::json::array());
    auto stale = optimize->facts.value("functions_with_stale_profile", nlohmann::json::array());
    say("  optimized build (the compiler's count): %zu function(s) got no profile, %zu a stale one\n",
                missing.size(), stale.size());
    for (size_t i = 0; i < missing.size() && i < 10; ++i)
      say("    no profile: %s\n", missing[i].get<std::string>().c_str());
    for (size_t i = 0; i < stale.size() && i < 10; ++i)
      say("    stale:      %s\n", stale[i].get<std::string>().c_str());
    info["optimized_build"] = {{"functions_without_profile", missing}, {"functions_with_stale_profile", stale}};
  }
  if (std::optional<Manifest> instrument = read_manifest(context.stage_dir("instrument"))) {
    bool fresh = instrument->facts.value("source_hash", "") == source_hash(context);
    say("  freshness: %s\n", fresh ? "the profile matches the current sources"
                                           : "STALE: the sources changed since the profile was collected; "
                                             "'hone pgo' re-instruments and re-trains");
    info["stale"] = !fresh;
  }
  if (std::optional<Manifest> verify = read_manifest(context.stage_dir("verify"))) {
    say("\nlast verify:\n%s", verify_table(verify->facts, false).c_str());
    info["verify"] = verify->facts;
  }
  if (context.options.json) std::printf("%s\n", info.dump(2).c_str());
  return 0;
}

int run_clean(Context& context) { return clean_work_folder(context.config); }

} // namespace hone::pgo
