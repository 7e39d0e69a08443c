// The PGO section of `hone report`: verify's speedups (each variant against the baseline, and each
// step against the variant before it) as points with their 95% bootstrap intervals around a 1.00x
// line, the table verify prints, and the time every stage of the last run took, from the manifests
// `hone pgo` writes (.hone/<stage>/manifest.json, see pgo/manifest.h). The manifests are read here,
// not through pgo/'s reader (ARCHITECTURE.md: driver/ does not depend on pgo/); only the fields
// drawn are required, and a manifest whose status is not "complete" is a stage that did not finish.
#include <algorithm>
#include <filesystem>

#include "driver/report/inputs.h"
#include "driver/report/sections.h"
#include "driver/report/svg.h"

namespace hone::report {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_writer = "a stage manifest written by 'hone pgo'";
// The pipeline's stages in the order they run (pgo/pipeline.cpp); cs runs only for context-sensitive PGO.
constexpr const char* k_stages[] = {"instrument", "train", "merge", "cs", "optimize", "bolt", "verify"};

struct StageTime {
  std::string stage;
  double seconds = 0;
  std::vector<std::pair<double, std::string>> commands;  // seconds, command line
};

// The work folder: FOLDER itself when it holds verify/manifest.json, else FOLDER/.hone.
fs::path work_folder(const std::string& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw InputError(folder + ": no such folder (expected hone pgo's work folder)");
  if (fs::exists(fs::path(folder) / "verify" / "manifest.json", ec)) return folder;
  if (fs::exists(fs::path(folder) / ".hone" / "verify" / "manifest.json", ec)) return fs::path(folder) / ".hone";
  throw InputError(folder + ": no verify results (neither " + (fs::path(folder) / "verify/manifest.json").string() +
                   " nor " + (fs::path(folder) / ".hone/verify/manifest.json").string() +
                   " exists): run 'hone pgo' (or 'hone pgo verify') first");
}

StageTime read_stage(const fs::path& manifest_path, const nlohmann::json& manifest) {
  Fields fields(manifest_path.string(), k_writer);
  StageTime time;
  time.stage = fields.text(manifest, "stage", "");
  time.seconds = fields.number(manifest, "seconds", "");
  const nlohmann::json& commands = fields.array(manifest, "commands", "");
  for (std::size_t i = 0; i < commands.size(); ++i) {
    std::string at = Fields::at("commands", i);
    std::string line;
    if (const nlohmann::json* argv =
            optional_member(commands[i], "argv", nlohmann::json::value_t::array, manifest_path.string(), at, k_writer))
      for (std::size_t a = 0; a < argv->size(); ++a)
        line += (a ? " " : "") + fields.element_text((*argv)[a], Fields::at(at + ".argv", a));
    time.commands.emplace_back(fields.optional_number(commands[i], "seconds", at).value_or(0), line);
  }
  // Longest first; std::sort with a total order (std::stable_sort in libstdc++ 12 uses the deprecated
  // std::get_temporary_buffer, an error for clang 19 with -Werror).
  std::sort(time.commands.begin(), time.commands.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  return time;
}

nlohmann::json read_complete_manifest(const fs::path& path) {
  nlohmann::json manifest = read_json_file(path.string());
  Fields fields(path.string(), k_writer);
  std::string status = fields.text(manifest, "status", "");
  if (status != "complete")
    throw InputError(path.string() + ": status is '" + status + "', not 'complete': the stage did not finish");
  return manifest;
}

Tone tone_of(const std::string& verdict) {
  if (verdict == "faster") return Tone::good;
  if (verdict == "slower") return Tone::bad;
  return Tone::neutral;
}

std::string ratio(double value) {
  return fixed(value, 2) + "x";
}

std::string verdict_cell(const std::string& verdict) {
  return "<td class=\"verdict " + std::string(tone_class(tone_of(verdict))) + "\">" +
         escape(verdict == "slower" ? "SLOWER" : verdict) + "</td>";
}

std::string results_view(const Fields& fields, const nlohmann::json& facts) {
  const nlohmann::json& results = fields.array(facts, "results", "facts");
  std::vector<Interval> intervals;
  std::string table = "<table class=\"sortable\"><thead><tr><th>workload</th><th>variant</th><th class=\"num\">median"
                      "</th><th class=\"num\">spread (MAD)</th><th class=\"num\">speedup</th><th>95% CI</th>"
                      "<th>verdict</th><th class=\"num\">instructions</th><th class=\"num\">runs</th></tr></thead>"
                      "<tbody>\n";
  std::vector<Interval> steps;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const nlohmann::json& row = results[i];
    std::string at = Fields::at("facts.results", i);
    std::string workload = fields.text(row, "workload", at);
    std::string variant = fields.text(row, "variant", at);
    double median = fields.number(row, "median_seconds", at);
    // verify measures CPU time instead of wall time when the machine is loaded (metric "cpu"); say which.
    std::string metric = fields.text_or(row, "metric", at, "wall") == "cpu" ? " CPU" : "";
    double mad = fields.number(row, "mad_seconds", at);
    std::size_t runs = fields.array(row, "runs", at).size();
    std::string speedup = "1.00x";
    std::string interval = "";
    std::string verdict = "(reference)";
    if (row.contains("speedup")) {
      Interval point{workload + " \xC2\xB7 " + variant, fields.number(row, "speedup", at),
                     fields.number(row, "ci_low", at), fields.number(row, "ci_high", at), Tone::neutral};
      verdict = fields.text(row, "verdict", at);
      point.tone = tone_of(verdict);
      speedup = ratio(point.value);
      interval = "[" + ratio(point.low) + ", " + ratio(point.high) + "]";
      intervals.push_back(point);
    }
    if (row.contains("versus")) {
      const nlohmann::json& versus = fields.object(row, "versus", at);
      std::string v_at = at + ".versus";
      std::string step_verdict = fields.text(versus, "verdict", v_at);
      steps.push_back({workload + " \xC2\xB7 " + variant + " vs " + fields.text(versus, "variant", v_at),
                       fields.number(versus, "speedup", v_at), fields.number(versus, "ci_low", v_at),
                       fields.number(versus, "ci_high", v_at), tone_of(step_verdict)});
    }
    std::string instructions =
        row.contains("instructions") ? std::to_string(fields.count(row, "instructions", at)) : "";
    table += "<tr><td>" + escape(workload) + "</td><td>" + escape(variant) + "</td><td class=\"num\" data-value=\"" +
             fixed(median, 9) + "\">" + seconds_text(median) + metric + "</td><td class=\"num\">&plusmn;" +
             fixed(median > 0 ? 100 * mad / median : 0, 1) + "%</td><td class=\"num\">" + speedup + "</td><td>" +
             interval + "</td>" +
             (verdict == "(reference)" ? "<td class=\"neutral\">(reference)</td>" : verdict_cell(verdict)) +
             "<td class=\"num\">" + instructions + "</td><td class=\"num\">" + std::to_string(runs) + "</td></tr>\n";
  }
  table += "</tbody></table>\n";
  std::string out =
      "<h3>Speedup over the baseline</h3>\n<div class=\"chart\">" + interval_chart(intervals, 1.0, "x") + "</div>\n";
  if (!steps.empty())
    out += "<h3>Each step against the one before</h3>\n<div class=\"chart\">" + interval_chart(steps, 1.0, "x") +
           "</div>\n";
  return out + table;
}

}  // namespace

Section pgo_section(const std::string& folder) {
  fs::path work = work_folder(folder);
  fs::path verify_path = work / "verify" / "manifest.json";
  nlohmann::json verify = read_complete_manifest(verify_path);
  Fields fields(verify_path.string(), k_writer);
  const nlohmann::json& facts = fields.object(verify, "facts", "");
  std::string body = "<p>Median of " + std::to_string(fields.count_or(facts, "repetitions", "facts", 0)) +
                     " interleaved runs after " + std::to_string(fields.count_or(facts, "warmup", "facts", 0)) +
                     " warm-up, on the " + escape(fields.text_or(facts, "measured", "facts", "benchmark workloads")) +
                     "; speedup = baseline median / variant median, whiskers: 95% bootstrap confidence interval; "
                     "<span class=\"neutral\">not significant</span> when the interval includes 1.00x.</p>\n";
  body += results_view(fields, facts);

  std::vector<Bar> bars;
  double total = 0;
  for (const char* stage : k_stages) {
    fs::path path = work / stage / "manifest.json";
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    StageTime time = read_stage(path, read_complete_manifest(path));
    std::string tooltip = time.stage + ": " + seconds_text(time.seconds);
    for (std::size_t i = 0; i < time.commands.size() && i < 5; ++i)
      tooltip += "\n" + seconds_text(time.commands[i].first) + "  " + time.commands[i].second;
    bars.push_back({time.stage, time.seconds, seconds_text(time.seconds), tooltip});
    total += time.seconds;
  }
  body += "<h3>Time per stage</h3>\n<p class=\"note\">From each stage's manifest, the last time it ran (" +
          seconds_text(total) + " in total); hover a bar for its longest commands.</p>\n<div class=\"chart\">" +
          bar_chart(bars) + "</div>\n";
  return {"pgo", "PGO verify (hone pgo)", body};
}

}  // namespace hone::report
