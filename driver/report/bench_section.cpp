// The benchmark section of `hone report`: `hone bench compare --format json`'s rows (medians, change,
// p-value, verdict) with each benchmark's repetitions drawn as two strips, base and new, medians marked.
//
// The comparison keeps only counts of the repetitions, so the samples are read again from the two files
// it names ("base", "new"; relative to the working folder, as compare saw them, else to the JSON's own
// folder) with `hone bench`'s own reader. A sample whose median is not the one the comparison recorded
// (under real or CPU time) belongs to a file that changed since: it is not drawn, and the page says so.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "driver/bench/results.h"
#include "driver/report/inputs.h"
#include "driver/report/sections.h"
#include "driver/report/svg.h"

namespace hone::report {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view k_writer = "the output of 'hone bench compare --format json'";

double median_of(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

bool same_number(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
}

// The compared file, found as compare saw it or beside the comparison; "" when neither exists.
std::string locate(const std::string& named, const std::string& compare_json) {
  std::error_code ec;
  if (named.empty()) return "";
  if (fs::is_regular_file(named, ec)) return named;
  fs::path beside = fs::path(compare_json).parent_path() / named;
  if (fs::path(named).is_relative() && fs::is_regular_file(beside, ec)) return beside.string();
  return "";
}

struct Samples {
  std::optional<bench::ResultFile> base;
  std::optional<bench::ResultFile> current;
  std::string problem;  // why there are no distributions, for the page
};

// Both files under the metric whose medians match every median the comparison recorded. The document's
// shape is checked (Fields) before anything here reads it.
Samples load_samples(const Fields& fields, const nlohmann::json& document, const std::string& compare_json) {
  Samples samples;
  std::string base_path = locate(fields.text_or(document, "base", "", ""), compare_json);
  std::string new_path = locate(fields.text_or(document, "new", "", ""), compare_json);
  if (base_path.empty() || new_path.empty()) {
    samples.problem = "the compared files are not readable from here, so only the medians are shown";
    return samples;
  }
  for (bench::TimeMetric metric : {bench::TimeMetric::real_time, bench::TimeMetric::cpu_time}) {
    std::string error;
    auto base = bench::load_results(base_path, metric, error);
    auto current = bench::load_results(new_path, metric, error);
    if (!base || !current) {
      samples.problem = "the compared files do not read any more (" + error + ")";
      return samples;
    }
    bool matches = true;
    const nlohmann::json& rows = fields.array(document, "benchmarks", "");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::string at = Fields::at("benchmarks", i);
      std::optional<double> recorded = fields.optional_number(rows[i], "base_median_ns", at);
      auto found = base->benchmarks.find(fields.text(rows[i], "name", at));
      if (!recorded || found == base->benchmarks.end()) continue;
      matches = matches && same_number(median_of(found->second.nanoseconds), *recorded);
    }
    if (matches) {
      samples.base = std::move(base);
      samples.current = std::move(current);
      return samples;
    }
  }
  samples.problem = "the compared files changed since the comparison (their medians differ), so only the "
                    "comparison's medians are shown";
  return samples;
}

Tone tone_of(const std::string& verdict) {
  if (verdict == "improvement") return Tone::good;
  if (verdict == "regression") return Tone::bad;
  return Tone::neutral;
}

std::string duration(std::optional<double> nanoseconds) {
  return nanoseconds ? seconds_text(*nanoseconds * 1e-9) : "n/a";
}

const std::vector<double>* samples_of(const std::optional<bench::ResultFile>& file, const std::string& name) {
  if (!file) return nullptr;
  auto found = file->benchmarks.find(name);
  return found == file->benchmarks.end() ? nullptr : &found->second.nanoseconds;
}

}  // namespace

Section bench_section(const std::string& compare_json) {
  nlohmann::json document = read_json_file(compare_json);
  Fields fields(compare_json, k_writer);
  const nlohmann::json& rows = fields.array(document, "benchmarks", "");
  double alpha = fields.number(document, "alpha", "");
  Samples samples = load_samples(fields, document, compare_json);

  std::string table =
      filter_bar("bench-table", "<label>verdict <select data-key=\"verdict\"><option value=\"\">all</option>"
                                "<option>regression</option><option>improvement</option><option>no change</option>"
                                "</select></label><input type=\"search\" data-key=\"text\" placeholder=\"filter by "
                                "name\">");
  table += "<table id=\"bench-table\" class=\"sortable\" data-page=\"" + std::to_string(k_table_page_rows) +
           "\"><thead><tr><th>benchmark</th><th class=\"num\">"
           "base</th><th class=\"num\">new</th><th class=\"num\">change</th><th class=\"num\">p-value</th>"
           "<th>verdict</th><th>repetitions (base, new)</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string at = Fields::at("benchmarks", i);
    std::string name = fields.text(rows[i], "name", at);
    std::string verdict = fields.text(rows[i], "verdict", at);
    std::optional<double> change = fields.optional_number(rows[i], "change_percent", at);
    double p_value = fields.number(rows[i], "p_value", at);
    Tone tone = tone_of(verdict);
    const std::vector<double>* base = samples_of(samples.base, name);
    const std::vector<double>* current = samples_of(samples.current, name);
    std::string chart =
        base && current ? strip_chart(*base, *current, tone)
                        : "<span class=\"note\">" + std::to_string(fields.count_or(rows[i], "base_samples", at, 0)) +
                              " / " + std::to_string(fields.count_or(rows[i], "new_samples", at, 0)) + "</span>";
    std::string note = fields.text_or(rows[i], "note", at, "");
    table += "<tr" + std::string(hidden_past_page(i)) + " data-verdict=\"" + escape(verdict) +
             "\"><td class=\"mono\">" + escape(name) + "</td><td class=\"num\">" +
             duration(fields.optional_number(rows[i], "base_median_ns", at)) + "</td><td class=\"num\">" +
             duration(fields.optional_number(rows[i], "new_median_ns", at)) + "</td><td class=\"num\" data-value=\"" +
             (change ? fixed(*change, 4) : "") + "\">" +
             (change ? (*change >= 0 ? "+" : "") + fixed(*change, 1) + " %" : "n/a") + "</td><td class=\"num\">" +
             (p_value < 0.0001 ? "&lt;0.0001" : fixed(p_value, 4)) + "</td><td class=\"verdict " + tone_class(tone) +
             "\">" + escape(verdict) + (note.empty() ? "" : "<div class=\"note\">" + escape(note) + "</div>") +
             "</td><td>" + chart + "</td></tr>\n";
  }
  table += "</tbody></table>\n";

  auto counted = [&](const char* key, const std::string& one, const std::string& many) {
    std::uint64_t n = fields.count_or(document, key, "", 0);
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string body = "<p>" + escape(fields.text_or(document, "base", "", "BASE")) + " &rarr; " +
                     escape(fields.text_or(document, "new", "", "NEW")) + ": " +
                     counted("regressions", "regression", "regressions") + ", " +
                     counted("improvements", "improvement", "improvements") + ", " +
                     counted("unchanged", "unchanged", "unchanged");
  if (std::optional<double> geomean = fields.optional_number(document, "geomean_change_percent", ""))
    body += "; geometric mean change " + std::string(*geomean >= 0 ? "+" : "") + fixed(*geomean, 1) + " %";
  body += " (alpha " + fixed(alpha, 3) + ", two-sided Mann-Whitney U; medians of the repetitions).</p>\n";
  if (!samples.problem.empty()) body += "<p class=\"note\">" + escape(samples.problem) + ".</p>\n";
  body += table;
  for (const char* side : {"added", "removed"})
    if (document.contains(side) && document[side].is_array() && !document[side].empty()) {
      body += "<p class=\"note\">" + std::string(side) + ": ";
      for (std::size_t i = 0; i < document[side].size(); ++i)
        body += (i ? ", " : "") + escape(fields.element_text(document[side][i], Fields::at(side, i)));
      body += "</p>\n";
    }
  return {"bench", "Benchmarks (hone bench compare)", body};
}

}  // namespace hone::report
