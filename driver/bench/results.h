// Reading Google Benchmark JSON output (`--benchmark_out_format=json`, or a file stored by
// `hone bench run`) into per-benchmark samples.
//
// Every repetition is kept as one sample in nanoseconds, whatever the file's time_unit, because the
// U test needs the individual repetitions, not the mean/median/stddev aggregates. A file that holds
// only aggregates is reported as such, with the flags that make Google Benchmark keep them. A time below
// zero, or too large to be converted to nanoseconds, makes the file invalid (file, benchmark, repetition).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hone::bench {

// One benchmark's repetitions.
struct BenchmarkSamples {
  std::vector<double> nanoseconds;  // one value per repetition, real or CPU time per iteration
  std::string time_unit;            // the unit the file used for it ("ns", "us", "ms", "s")
  bool had_error = false;           // Google Benchmark reported error_occurred for a repetition
};

// What `hone bench run` recorded about the machine (absent for plain Google Benchmark files).
struct MachineInfo {
  std::string cpu_model;
  std::string governor;
  std::string load_average;
  std::string host;
};

struct ResultFile {
  std::string path;
  std::map<std::string, BenchmarkSamples> benchmarks;  // sorted by name for stable reports
  std::optional<MachineInfo> machine;
  bool aggregates_only = false;  // the file has aggregates but not one individual repetition
};

enum class TimeMetric { real_time, cpu_time };

// Reads and parses a file. On failure returns nullopt and sets `error` to a message naming the file.
std::optional<ResultFile> load_results(const std::string& path, TimeMetric metric, std::string& error);

// Parses JSON text (the path is only used in messages).
std::optional<ResultFile> parse_results(const std::string& text, const std::string& path, TimeMetric metric,
                                        std::string& error);

}  // namespace hone::bench
