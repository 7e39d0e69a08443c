// Text, Markdown and JSON reports of a comparison (see report.h).
//
// All three show the same facts in the same order: per benchmark the two medians, the change, the
// p-value and the verdict, then the geometric mean and the added/removed benchmarks. The p-value is
// printed beside the change so a reader can tell "small but certain" from "large but noisy".
#include "driver/bench/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace hone::bench {
namespace {

// snprintf with literal formats only (-Wformat=2 rejects a format held in a variable).
#define HONE_FORMAT(format, ...)                                                                                       \
  [&] {                                                                                                                \
    char buffer_[96];                                                                                                  \
    std::snprintf(buffer_, sizeof(buffer_), format, __VA_ARGS__);                                                      \
    return std::string(buffer_);                                                                                       \
  }()

std::string format_change(double percent) {
  if (!std::isfinite(percent)) return "n/a";
  return HONE_FORMAT("%+.1f %%", percent);
}

std::string format_p(const stats::Comparison& c) {
  if (c.verdict == stats::Verdict::invalid && c.p_value == 1.0 && c.u == 0.0) return "n/a";
  if (c.p_value < 0.0001) return "<0.0001";
  return HONE_FORMAT("%.4f", c.p_value);
}

std::string verdict_text(const BenchmarkRow& row) {
  if (row.comparison.verdict == stats::Verdict::invalid) return "n/a: " + row.note;
  return stats::verdict_name(row.comparison.verdict);
}

const char* verdict_colour(stats::Verdict verdict) {
  switch (verdict) {
    case stats::Verdict::regression: return "\033[1;31m";
    case stats::Verdict::improvement: return "\033[1;32m";
    case stats::Verdict::invalid: return "\033[33m";
    case stats::Verdict::no_change: return "";
  }
  return "";
}

std::string summary_line(const CompareResult& result) {
  std::ostringstream out;
  out << result.regressions << (result.regressions == 1 ? " regression, " : " regressions, ") << result.improvements
      << (result.improvements == 1 ? " improvement, " : " improvements, ") << result.unchanged << " unchanged";
  if (result.undecided > 0) out << ", " << result.undecided << " undecided";
  return out.str();
}

std::string machine_line(const char* label, const ResultFile* file) {
  if (file == nullptr || !file->machine) return {};
  const MachineInfo& m = *file->machine;
  std::string line = std::string(label) + ": " + (m.cpu_model.empty() ? "unknown CPU" : m.cpu_model);
  if (!m.governor.empty()) line += ", governor " + m.governor;
  if (!m.load_average.empty()) line += ", load " + m.load_average;
  return line + "\n";
}

std::string render_text(const CompareResult& result, const ReportContext& context) {
  std::ostringstream out;
  out << machine_line("base", context.base) << machine_line("new ", context.current);
  std::size_t name_width = 9;
  for (const BenchmarkRow& row : result.rows) name_width = std::max(name_width, row.name.size());
  auto pad = [](const std::string& text, std::size_t width, bool right) {
    if (text.size() >= width) return text;
    const std::string fill(width - text.size(), ' ');
    return right ? fill + text : text + fill;
  };
  out << pad("benchmark", name_width, false) << "  " << pad("base", 10, true) << "  " << pad("new", 10, true) << "  "
      << pad("change", 9, true) << "  " << pad("p-value", 8, true) << "  verdict\n";
  for (const BenchmarkRow& row : result.rows) {
    const auto& c = row.comparison;
    out << pad(row.name, name_width, false) << "  " << pad(format_duration(c.base_median), 10, true) << "  "
        << pad(format_duration(c.current_median), 10, true) << "  " << pad(format_change(c.change_percent), 9, true)
        << "  " << pad(format_p(c), 8, true) << "  ";
    const char* colour = context.colour ? verdict_colour(c.verdict) : "";
    out << colour << verdict_text(row) << (*colour ? "\033[0m" : "") << "\n";
  }
  for (const std::string& name : result.added) out << "added:   " << name << " (only in new)\n";
  for (const std::string& name : result.removed) out << "removed: " << name << " (only in base)\n";
  if (result.geomean_count > 0)
    out << "geometric mean change: " << format_change(result.geomean_change_percent) << " over " << result.geomean_count
        << (result.geomean_count == 1 ? " benchmark\n" : " benchmarks\n");
  out << summary_line(result) << HONE_FORMAT(" (alpha %.3g, two-sided Mann-Whitney U)\n", context.alpha);
  return out.str();
}

std::string render_markdown(const CompareResult& result, const ReportContext& context) {
  std::ostringstream out;
  out << "| benchmark | base | new | change | p-value | verdict |\n|---|---:|---:|---:|---:|---|\n";
  for (const BenchmarkRow& row : result.rows) {
    const auto& c = row.comparison;
    std::string verdict = verdict_text(row);
    if (c.verdict == stats::Verdict::regression) verdict = "**regression**";
    out << "| `" << row.name << "` | " << format_duration(c.base_median) << " | " << format_duration(c.current_median)
        << " | " << format_change(c.change_percent) << " | " << format_p(c) << " | " << verdict << " |\n";
  }
  out << "\n";
  for (const std::string& name : result.added) out << "- added: `" << name << "`\n";
  for (const std::string& name : result.removed) out << "- removed: `" << name << "`\n";
  if (result.geomean_count > 0)
    out << "- geometric mean change: " << format_change(result.geomean_change_percent) << " over "
        << result.geomean_count << " benchmarks\n";
  out << "- " << summary_line(result) << HONE_FORMAT(" (alpha %.3g, two-sided Mann-Whitney U)\n", context.alpha);
  return out.str();
}

nlohmann::json machine_json(const ResultFile* file) {
  if (file == nullptr || !file->machine) return nullptr;
  return {{"cpu_model", file->machine->cpu_model},
          {"governor", file->machine->governor},
          {"load_average", file->machine->load_average},
          {"host", file->machine->host}};
}

std::string render_json(const CompareResult& result, const ReportContext& context) {
  nlohmann::json rows = nlohmann::json::array();
  auto number_or_null = [](double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(); };
  for (const BenchmarkRow& row : result.rows) {
    const auto& c = row.comparison;
    nlohmann::json entry = {{"name", row.name},
                            {"base_median_ns", number_or_null(c.base_median)},
                            {"new_median_ns", number_or_null(c.current_median)},
                            {"change_percent", number_or_null(c.change_percent)},
                            {"p_value", c.p_value},
                            {"u", c.u},
                            {"exact", c.exact},
                            {"min_effect_percent", row.min_effect_percent},
                            {"base_samples", row.base_samples},
                            {"new_samples", row.new_samples},
                            {"verdict", stats::verdict_name(c.verdict)}};
    if (!row.note.empty()) entry["note"] = row.note;
    rows.push_back(std::move(entry));
  }
  nlohmann::json document = {{"base", context.base ? context.base->path : ""},
                             {"new", context.current ? context.current->path : ""},
                             {"alpha", context.alpha},
                             {"benchmarks", rows},
                             {"added", result.added},
                             {"removed", result.removed},
                             {"geomean_change_percent",
                              result.geomean_count ? nlohmann::json(result.geomean_change_percent) : nlohmann::json()},
                             {"regressions", result.regressions},
                             {"improvements", result.improvements},
                             {"unchanged", result.unchanged},
                             {"undecided", result.undecided},
                             {"base_machine", machine_json(context.base)},
                             {"new_machine", machine_json(context.current)}};
  return document.dump(2) + "\n";
}

}  // namespace

std::string format_duration(double nanoseconds) {
  if (!std::isfinite(nanoseconds)) return "n/a";
  const char* units[] = {"ns", "us", "ms", "s"};
  double value = nanoseconds;
  int unit = 0;
  while (unit < 3 && std::fabs(value) >= 1000.0) {
    value /= 1000.0;
    ++unit;
  }
  if (std::fabs(value) >= 100) return HONE_FORMAT("%.0f %s", value, units[unit]);
  if (std::fabs(value) >= 10) return HONE_FORMAT("%.1f %s", value, units[unit]);
  return HONE_FORMAT("%.2f %s", value, units[unit]);
}

std::string render_report(const CompareResult& result, const ReportContext& context, ReportFormat format) {
  switch (format) {
    case ReportFormat::markdown: return render_markdown(result, context);
    case ReportFormat::json: return render_json(result, context);
    case ReportFormat::text: break;
  }
  return render_text(result, context);
}

}  // namespace hone::bench
