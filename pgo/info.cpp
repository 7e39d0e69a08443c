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

std::vector<std::string> tool_lines(const Tool& tool, const std::vector<std::string>& arguments,
                                    const fs::path& scratch) {
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

// What info has found so far: text for people, or (with --json) only the JSON document on stdout.
struct InfoReport {
  bool json_only = false;
  nlohmann::json info;

  // The formats are the literals at each call site; say only forwards them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
  template <typename... Values> void say(const char* format, Values... values) const {
    if (!json_only) std::printf(format, values...);
  }
#pragma GCC diagnostic pop

  void print_json() const {
    if (json_only) std::printf("%s\n", info.dump(2).c_str());
  }
};

void report_stages(const Context& context, InfoReport& report) {
  const Config& config = context.config;
  report.say("config:   %s\nwork dir: %s\n\nstages:\n", config.file.string().c_str(), config.work_dir.string().c_str());
  for (const std::string& stage : plan(config)) {
    std::optional<Manifest> manifest = read_manifest(context.stage_dir(stage));
    std::string state = manifest ? "done in " + format_seconds(manifest->seconds) : "not done";
    report.say("  %-11s %s\n", stage.c_str(), state.c_str());
    report.info["stages"][stage] = manifest ? "done" : "not done";
  }
}

// The llvm-profdata runs over the merged profile, each writing to one scratch file.
struct ProfileTools {
  Tool profdata;
  std::string profile;
  fs::path scratch;
};

void report_function_coverage(const ProfileTools& tools, InfoReport& report) {
  int total = 0, covered = 0;
  static const std::regex total_pattern(R"(Total functions: (\d+))");
  std::smatch match;
  for (const std::string& line : tool_lines(tools.profdata, {"show", tools.profile}, tools.scratch))
    if (std::regex_search(line, match, total_pattern)) total = std::stoi(match[1]);
  for (const std::string& line : tool_lines(tools.profdata, {"show", "--covered", tools.profile}, tools.scratch))
    if (!line.empty() && line.find(':') == std::string::npos && line.find("Instrumentation level") == std::string::npos)
      ++covered;
  if (covered > total) covered = total;
  report.say("  functions with profile data: %d, without (never ran in training): %d, total: %d\n", covered,
             total - covered, total);
  report.info["functions"] = {
      {"total", total}, {"with_profile_data", covered}, {"without_profile_data", total - covered}};
}

void report_hottest_functions(const ProfileTools& tools, InfoReport& report) {
  report.say("  hottest functions (largest block count):\n");
  static const std::regex top_pattern(R"(^\s+(.+), max count = (\d+))");
  std::smatch match;
  for (const std::string& line : tool_lines(tools.profdata, {"show", "--topn=10", tools.profile}, tools.scratch)) {
    if (!std::regex_search(line, match, top_pattern)) continue;
    report.say("    %14s  %s\n", match[2].str().c_str(), match[1].str().c_str());
    report.info["hottest"].push_back({{"function", match[1].str()}, {"max_count", std::stoll(match[2].str())}});
  }
}

// llvm-profdata overlap's edge overlap of two profiles, as printed ("87.5"); nothing when it has none.
std::optional<std::string> edge_overlap_percent(const ProfileTools& tools, const std::string& first,
                                                const std::string& second) {
  static const std::regex overlap_pattern(R"(Edge profile overlap: ([0-9.]+)%)");
  std::smatch match;
  for (const std::string& line : tool_lines(tools.profdata, {"overlap", first, second}, tools.scratch))
    if (std::regex_search(line, match, overlap_pattern)) return match[1].str();
  return std::nullopt;
}

// Pairwise overlap of the training workloads' profiles (the first six workloads).
void report_workload_overlap(const ProfileTools& tools, const Manifest& merge, InfoReport& report) {
  std::vector<std::pair<std::string, std::string>> workloads;
  nlohmann::json workload_facts = merge.facts.value("workloads", nlohmann::json::object());
  for (const auto& [name, facts] : workload_facts.items()) workloads.emplace_back(name, facts.value("profile", ""));
  if (workloads.size() <= 1) return;
  report.say("  overlap between training workloads (edge profile overlap):\n");
  for (size_t i = 0; i < workloads.size() && i < 6; ++i) {
    for (size_t j = i + 1; j < workloads.size() && j < 6; ++j) {
      std::optional<std::string> percent = edge_overlap_percent(tools, workloads[i].second, workloads[j].second);
      if (!percent) continue;
      report.say("    %-16s %-16s %s%%\n", workloads[i].first.c_str(), workloads[j].first.c_str(), percent->c_str());
      report.info["overlap"].push_back(
          {{"a", workloads[i].first}, {"b", workloads[j].first}, {"percent", std::stod(*percent)}});
    }
  }
}

void report_optimized_build(const Manifest& optimize, InfoReport& report) {
  auto missing = optimize.facts.value("functions_without_profile", nlohmann::json::array());
  auto stale = optimize.facts.value("functions_with_stale_profile", nlohmann::json::array());
  report.say("  optimized build (the compiler's count): %zu function(s) got no profile, %zu a stale one\n",
             missing.size(), stale.size());
  for (size_t i = 0; i < missing.size() && i < 10; ++i)
    report.say("    no profile: %s\n", missing[i].get<std::string>().c_str());
  for (size_t i = 0; i < stale.size() && i < 10; ++i)
    report.say("    stale:      %s\n", stale[i].get<std::string>().c_str());
  report.info["optimized_build"] = {{"functions_without_profile", missing}, {"functions_with_stale_profile", stale}};
}

void report_freshness(Context& context, const Manifest& instrument, InfoReport& report) {
  bool fresh = instrument.facts.value("source_hash", "") == source_hash(context);
  report.say("  freshness: %s\n", fresh ? "the profile matches the current sources"
                                        : "STALE: the sources changed since the profile was collected; "
                                          "'hone pgo' re-instruments and re-trains");
  report.info["stale"] = !fresh;
}

}  // namespace

int run_info(Context& context) {
  const Config& config = context.config;
  InfoReport report{context.options.json, {{"config", config.file.string()}, {"work_dir", config.work_dir.string()}}};
  report_stages(context, report);
  std::optional<Manifest> merge = read_manifest(context.stage_dir("merge"));
  if (!merge) {
    report.say("\nno merged profile yet: run 'hone pgo' (or 'hone pgo merge')\n");
    report.print_json();
    return 0;
  }
  // Scratch output of llvm-profdata, in the merge stage's folder (hone's; info takes no lock and must not
  // clash with another info run, hence the pid).
  const ProfileTools tools{find_llvm_tool(config, context.tools, "llvm-profdata", config.llvm_profdata),
                           merge->facts.value("merged_profile", ""),
                           context.stage_dir("merge") / ("info-" + std::to_string(getpid()) + ".tmp")};
  report.say("\nprofile: %s\n", tools.profile.c_str());
  report.info["profile"] = tools.profile;
  report_function_coverage(tools, report);
  report_hottest_functions(tools, report);
  report_workload_overlap(tools, *merge, report);

  if (std::optional<Manifest> optimize = read_manifest(context.stage_dir("optimize")))
    report_optimized_build(*optimize, report);
  if (std::optional<Manifest> instrument = read_manifest(context.stage_dir("instrument")))
    report_freshness(context, *instrument, report);
  if (std::optional<Manifest> verify = read_manifest(context.stage_dir("verify"))) {
    report.say("\nlast verify:\n%s", verify_table(verify->facts, false).c_str());
    report.info["verify"] = verify->facts;
  }
  report.print_json();
  return 0;
}

int run_clean(Context& context) {
  return clean_work_folder(context.config);
}

}  // namespace hone::pgo
