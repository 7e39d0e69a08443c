// Benchmark-by-benchmark comparison of two result files (see compare.h).
//
// The geometric mean of the median ratios summarises the whole run: unlike the arithmetic mean of
// percentages it treats a 2x slowdown and a 2x speed-up as cancelling, and a large benchmark cannot
// dominate small ones.
#include "driver/bench/compare.h"

#include <cmath>
#include <cstdlib>
#include <fnmatch.h>

namespace hone::bench {

bool parse_threshold(const std::string& text, Threshold& threshold, std::string& error) {
  const std::size_t equals = text.rfind('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    error = "--threshold '" + text + "': expected PATTERN=PERCENT, e.g. 'BM_Parse*=10'";
    return false;
  }
  std::string number = text.substr(equals + 1);
  if (number.back() == '%') number.pop_back();
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end == nullptr || *end != '\0' || !std::isfinite(value) || value < 0) {
    error = "--threshold '" + text + "': '" + text.substr(equals + 1) + "' is not a non-negative percentage";
    return false;
  }
  threshold.pattern = text.substr(0, equals);
  threshold.min_effect_percent = value;
  return true;
}

CompareResult compare_results(const ResultFile& base, const ResultFile& current, const CompareOptions& options) {
  CompareResult result;
  double log_ratio_sum = 0.0;
  for (const auto& [name, base_samples] : base.benchmarks) {
    auto found = current.benchmarks.find(name);
    if (found == current.benchmarks.end()) {
      result.removed.push_back(name);
      continue;
    }
    const BenchmarkSamples& new_samples = found->second;
    BenchmarkRow row;
    row.name = name;
    row.base_samples = base_samples.nanoseconds.size();
    row.new_samples = new_samples.nanoseconds.size();
    row.min_effect_percent = options.min_effect_percent;
    for (const Threshold& threshold : options.thresholds)
      if (fnmatch(threshold.pattern.c_str(), name.c_str(), 0) == 0)
        row.min_effect_percent = threshold.min_effect_percent;
    const stats::DecisionRule rule{options.alpha, row.min_effect_percent};
    row.comparison = stats::compare_samples(base_samples.nanoseconds, new_samples.nanoseconds, rule);
    if (base_samples.had_error || new_samples.had_error) {
      row.note = "benchmark reported an error";
      row.comparison.verdict = stats::Verdict::invalid;
    } else if (row.base_samples < k_min_samples || row.new_samples < k_min_samples) {
      row.note = "too few repetitions (" + std::to_string(std::min(row.base_samples, row.new_samples)) +
                 "); rerun with hone bench run --repetitions 10 or --benchmark_repetitions=10";
      row.comparison.verdict = stats::Verdict::invalid;
    } else if (row.comparison.verdict == stats::Verdict::invalid) {
      row.note = "no usable timings (a median of zero, or values that are not finite)";
    }
    const auto& c = row.comparison;
    if (c.base_median > 0 && c.current_median > 0 && std::isfinite(c.change_percent)) {
      log_ratio_sum += std::log(c.current_median / c.base_median);
      ++result.geomean_count;
    }
    switch (c.verdict) {
      case stats::Verdict::regression: ++result.regressions; break;
      case stats::Verdict::improvement: ++result.improvements; break;
      case stats::Verdict::no_change: ++result.unchanged; break;
      case stats::Verdict::invalid: ++result.undecided; break;
    }
    result.rows.push_back(std::move(row));
  }
  for (const auto& entry : current.benchmarks)
    if (!base.benchmarks.contains(entry.first)) result.added.push_back(entry.first);
  if (result.geomean_count > 0)
    result.geomean_change_percent = 100.0 * (std::exp(log_ratio_sum / static_cast<double>(result.geomean_count)) - 1.0);
  return result;
}

}  // namespace hone::bench
