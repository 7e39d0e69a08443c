// Comparing two result files benchmark by benchmark with the shared decision rule
// (hone::stats::compare_samples): the U test for significance plus a minimum effect that can be set
// per benchmark name pattern, because some benchmarks are inherently noisier than others.
#pragma once

#include <string>
#include <vector>

#include "driver/bench/results.h"
#include "hone/stats.h"

namespace hone::bench {

// `--threshold PATTERN=PCT`: benchmarks whose name matches the glob PATTERN need PCT % to count.
struct Threshold {
  std::string pattern;
  double min_effect_percent = 5.0;
};

struct CompareOptions {
  double alpha = 0.05;
  double min_effect_percent = 5.0;
  std::vector<Threshold> thresholds;  // the last matching pattern wins
};

// Parses "PATTERN=PCT" (PCT may end in '%'); false and `error` set on bad input.
bool parse_threshold(const std::string& text, Threshold& threshold, std::string& error);

inline constexpr std::size_t k_min_samples = 3;  // below this no test can reach alpha = 0.05

struct BenchmarkRow {
  std::string name;
  stats::Comparison comparison;
  double min_effect_percent = 5.0;
  std::size_t base_samples = 0;
  std::size_t new_samples = 0;
  std::string note;  // why there is no verdict (too few repetitions, errors), empty otherwise
};

struct CompareResult {
  std::vector<BenchmarkRow> rows;
  std::vector<std::string> added;       // only in NEW
  std::vector<std::string> removed;     // only in BASE
  double geomean_change_percent = 0.0;  // geometric mean of new/base median ratios, as a change
  std::size_t geomean_count = 0;
  std::size_t regressions = 0;
  std::size_t improvements = 0;
  std::size_t unchanged = 0;
  std::size_t undecided = 0;
};

CompareResult compare_results(const ResultFile& base, const ResultFile& current, const CompareOptions& options);

}  // namespace hone::bench
