// `hone pgo info` and `hone pgo clean`. info answers "did the profile reach the code that matters?":
// which stages are done, how many functions the profile covers and which are hottest (llvm-profdata
// show), how much the training workloads overlap (llvm-profdata overlap: low overlap means each
// workload teaches something different, high means one may be redundant), the compiler's own count
// of functions that got no profile or a stale one in the optimized build, and whether the sources
// changed since the profile was collected. With GCC the counts come from the merged .gcda files read by
// gcov (function entry counts and block coverage; gcc_profile.h). A sample profile (pgo.kind: sample) holds
// only the functions perf caught running, with sample counts instead of block counts: info reports those
// (llvm-profdata show --sample) and says which of the other figures do not apply rather than print zeros.
// clean is work_folder.cpp's: it removes only what hone made.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <unistd.h>

#include "pgo/error.h"
#include "pgo/gcc_profile.h"
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

// ---- Clang sample profiles (pgo.kind: sample) ------------------------------------------------------------

// The sample profile as llvm-profdata prints it with --show-format=json (one object per top-level function:
// name, total, head, body, callsites); discarded when the tool failed or printed something else.
nlohmann::json sample_profile_functions(const ProfileTools& tools) {
  std::string text;
  for (const std::string& line :
       tool_lines(tools.profdata, {"show", "--sample", "--show-format=json", tools.profile}, tools.scratch))
    text += line + "\n";
  nlohmann::json functions = nlohmann::json::parse(text, nullptr, false);
  if (!functions.is_array()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return functions;
}

void report_sample_profile(const ProfileTools& tools, InfoReport& report) {
  report.info["profile_kind"] = "sample";
  const nlohmann::json functions = sample_profile_functions(tools);
  if (functions.is_discarded()) {
    report.say("  %s could not read the sample profile (show --sample --show-format=json)\n",
               tools.profdata.path.string().c_str());
    report.info["error"] = "llvm-profdata could not read the sample profile";
    return;
  }
  // A function's total counts the samples in its body and in the code inlined into it, so the totals of the
  // top-level functions add up to all samples placed in the profile.
  std::vector<std::pair<uint64_t, std::string>> totals;
  uint64_t samples = 0;
  for (const nlohmann::json& function : functions) {
    if (!function.is_object()) continue;
    const uint64_t total = function.value("total", uint64_t{0});
    totals.emplace_back(total, function.value("name", ""));
    samples += total;
  }
  std::sort(totals.begin(), totals.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  report.say("  functions with samples: %zu, samples in them: %llu\n", totals.size(),
             static_cast<unsigned long long>(samples));
  const char* unsampled = "a sample profile holds only the functions perf caught running";
  report.say("  functions without samples: not counted (%s)\n", unsampled);
  report.info["functions"] = {{"with_samples", totals.size()}};
  report.info["not_applicable"]["functions_without_profile_data"] = unsampled;
  report.info["samples"] = samples;
  report.say("  hottest functions (most samples, inlined code included):\n");
  report.info["hottest"] = nlohmann::json::array();
  for (size_t i = 0; i < totals.size() && i < 10; ++i) {
    report.say("    %14llu  %s\n", static_cast<unsigned long long>(totals[i].first), totals[i].second.c_str());
    report.info["hottest"].push_back({{"function", totals[i].second}, {"samples", totals[i].first}});
  }
  const char* overlap = "llvm-profdata's edge profile overlap between workloads is for instrumented profiles";
  report.say("  overlap between training workloads: does not apply to sample profiles (%s)\n", overlap);
  report.info["not_applicable"]["overlap"] = overlap;
}

// ---- GCC: the counts of the .gcda files, read by gcov with the instrumented build's notes ---------------

// One function per (source, name): a function's share of all entries, for the overlap of two workloads.
std::map<std::string, double> entry_shares(const GcovReport& gcov) {
  std::map<std::string, double> shares;
  double total = 0;
  for (const GcovFunction& function : gcov.functions) total += static_cast<double>(function.entry_count);
  if (total <= 0) return shares;
  for (const GcovFunction& function : gcov.functions)
    shares[function.source + "\n" + function.name] += static_cast<double>(function.entry_count) / total;
  return shares;
}

void report_gcc_profile(Context& context, const Manifest& merge, InfoReport& report) {
  const Tool gcov = find_gcc_tool(context.tools, "gcov");
  const fs::path profile = merge.facts.value("merged_profile", "");
  const fs::path notes = context.stage_dir("instrument") / "build";
  // Scratch in the merge stage's folder (hone's; info takes no lock and must not clash with another
  // info run, hence the pid).
  const fs::path scratch = context.stage_dir("merge") / ("info-" + std::to_string(getpid()));
  const GcovReport merged = read_gcov_report(gcov, profile, notes, scratch);
  int covered = 0, blocks = 0, blocks_executed = 0;
  for (const GcovFunction& function : merged.functions) {
    covered += function.entry_count > 0 ? 1 : 0;
    blocks += function.blocks;
    blocks_executed += function.blocks_executed;
  }
  const int total = static_cast<int>(merged.functions.size());
  report.say("  read with %s from %d .gcda file(s) and the instrumented build's .gcno notes\n",
             gcov.path.string().c_str(), merged.objects);
  report.say("  functions with profile data: %d, without (never ran in training): %d, total: %d\n", covered,
             total - covered, total);
  report.say("  basic blocks executed in training: %d of %d\n", blocks_executed, blocks);
  report.info["functions"] = {
      {"total", total}, {"with_profile_data", covered}, {"without_profile_data", total - covered}};
  report.info["blocks"] = {{"total", blocks}, {"executed", blocks_executed}};
  if (!merged.without_notes.empty()) {
    report.say("  not counted (no .gcno notes found in %s): %zu .gcda file(s), e.g. %s\n", notes.string().c_str(),
               merged.without_notes.size(), merged.without_notes.front().c_str());
    report.info["gcda_without_notes"] = merged.without_notes;
  }
  std::vector<GcovFunction> hottest = merged.functions;
  std::sort(hottest.begin(), hottest.end(), [](const GcovFunction& a, const GcovFunction& b) {
    if (a.entry_count != b.entry_count) return a.entry_count > b.entry_count;
    return a.name < b.name;
  });
  report.say("  hottest functions (most entries):\n");
  for (size_t i = 0; i < hottest.size() && i < 10 && hottest[i].entry_count > 0; ++i) {
    report.say("    %14lld  %s\n", hottest[i].entry_count, hottest[i].name.c_str());
    report.info["hottest"].push_back({{"function", hottest[i].name}, {"entry_count", hottest[i].entry_count}});
  }
  // gcov-tool's own `overlap` prints 0% for any two GCC 12 profiles, so the overlap is hone's: the sum
  // over functions of the smaller of the two workloads' shares of all function entries.
  std::vector<std::pair<std::string, std::map<std::string, double>>> workloads;
  nlohmann::json workload_facts = merge.facts.value("workloads", nlohmann::json::object());
  for (const auto& [name, facts] : workload_facts.items()) {
    if (workloads.size() == 6) break;
    workloads.emplace_back(name, entry_shares(read_gcov_report(gcov, facts.value("profile", ""), notes, scratch)));
  }
  if (workloads.size() <= 1) return;
  report.say("  overlap between training workloads (function entry counts):\n");
  for (size_t i = 0; i < workloads.size(); ++i) {
    for (size_t j = i + 1; j < workloads.size(); ++j) {
      double overlap = 0;
      for (const auto& [function, share] : workloads[i].second)
        if (auto other = workloads[j].second.find(function); other != workloads[j].second.end())
          overlap += std::min(share, other->second);
      report.say("    %-16s %-16s %.2f%%\n", workloads[i].first.c_str(), workloads[j].first.c_str(), 100 * overlap);
      report.info["overlap"].push_back(
          {{"a", workloads[i].first}, {"b", workloads[j].first}, {"percent", 100 * overlap}});
    }
  }
}

void report_optimized_build(const Manifest& optimize, bool sample, InfoReport& report) {
  if (sample) {
    // optimize reads the compiler's warnings about missing and stale instrumented profiles; with
    // -fprofile-sample-use it is not asked for any, so there is no count to show.
    const char* reason = "functions without a profile or with a stale one: the compiler is asked to report them "
                         "only for instrumented profiles";
    report.say("  optimized build: not counted for sample profiles (%s)\n", reason);
    report.info["not_applicable"]["optimized_build"] = reason;
    return;
  }
  auto missing = optimize.facts.value("functions_without_profile", nlohmann::json::array());
  auto stale = optimize.facts.value("functions_with_stale_profile", nlohmann::json::array());
  report.say("  optimized build (the compiler's count): %zu function(s) got no profile, %zu a stale one\n",
             missing.size(), stale.size());
  // GCC also names the object files whose .gcda it did not find (their functions are not listed one by one).
  auto objects = optimize.facts.value("objects_without_profile", nlohmann::json::array());
  if (!objects.empty()) {
    report.say("  optimized build: %zu object file(s) had no .gcda file in the profile\n", objects.size());
    report.info["optimized_build_objects_without_profile"] = objects;
  }
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
  const std::string profile = merge->facts.value("merged_profile", "");
  report.say("\nprofile: %s\n", profile.c_str());
  report.info["profile"] = profile;
  // The merge stage records the kind of profile it made; older work folders only have the config's.
  const bool sample = merge->facts.contains("profile_kind") ? merge->facts.value("profile_kind", "") == "sample"
                                                            : config.pgo_kind == PgoKind::sample;
  if (!context.tools.is_clang) {
    report_gcc_profile(context, *merge, report);
  } else {
    // Scratch output of llvm-profdata, in the merge stage's folder (hone's; info takes no lock and must
    // not clash with another info run, hence the pid).
    const ProfileTools tools{find_llvm_tool(config, context.tools, "llvm-profdata", config.llvm_profdata), profile,
                             context.stage_dir("merge") / ("info-" + std::to_string(getpid()) + ".tmp")};
    if (sample) {
      report_sample_profile(tools, report);
    } else {
      report_function_coverage(tools, report);
      report_hottest_functions(tools, report);
      report_workload_overlap(tools, *merge, report);
    }
  }

  if (std::optional<Manifest> optimize = read_manifest(context.stage_dir("optimize")))
    report_optimized_build(*optimize, sample, report);
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
