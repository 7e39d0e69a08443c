// Google Benchmark JSON -> per-benchmark samples (see results.h).
//
// The format: {"context": {...}, "benchmarks": [{"name", "run_name", "run_type": "iteration" |
// "aggregate", "real_time", "cpu_time", "time_unit", "error_occurred"?}, ...]}. Repetitions of one
// benchmark share run_name (older versions: name), so samples are grouped by it. Times are converted
// to nanoseconds here so a base measured in "us" compares correctly against a new one in "ns".
#include "driver/bench/results.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace hone::bench {
namespace {

std::optional<double> unit_to_nanoseconds(const std::string& unit) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return std::nullopt;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// Adds one repetition's time to `samples`, in nanoseconds. A time below zero or too large to be
// converted (infinite in nanoseconds) is refused with the file, benchmark and repetition named:
// compared, a negative time looked like a -200 % "improvement".
bool add_repetition(const nlohmann::json& entry, const std::string& name, const char* time_key, const std::string& path,
                    BenchmarkSamples& samples, std::string& error) {
  const std::string unit = entry.contains("time_unit") ? string_field(entry, "time_unit") : "ns";
  const std::optional<double> scale = unit_to_nanoseconds(unit);
  auto time = entry.find(time_key);
  if (!scale || time == entry.end() || !time->is_number()) {
    error = path + ": benchmark '" + name + "' has no numeric " + time_key +
            (scale ? std::string() : " or an unknown time_unit '" + unit + "'");
    return false;
  }
  const double value = time->get<double>();
  const std::string where =
      path + ": benchmark '" + name + "' repetition " + std::to_string(samples.nanoseconds.size() + 1);
  if (value < 0) {
    error = where + " has a negative " + time_key + " (" + format_number(value) + " " + unit +
            "); a time cannot be below zero";
    return false;
  }
  const double nanoseconds = value * *scale;
  if (!std::isfinite(nanoseconds)) {
    error = where + " has a " + time_key + " of " + format_number(value) + " " + unit + ", too large to be a time";
    return false;
  }
  samples.time_unit = unit;
  samples.nanoseconds.push_back(nanoseconds);
  return true;
}

}  // namespace

std::optional<ResultFile> parse_results(const std::string& text, const std::string& path, TimeMetric metric,
                                        std::string& error) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    error = path + ": malformed JSON at byte " + std::to_string(e.byte) +
            "; expected Google Benchmark output (--benchmark_out_format=json)";
    return std::nullopt;
  } catch (const nlohmann::json::exception& e) {
    // Valid JSON the library cannot hold, such as a number beyond a double's range (1e400).
    error = path + ": unreadable JSON (" + e.what() + "); expected Google Benchmark output";
    return std::nullopt;
  }
  if (!document.is_object() || !document.contains("benchmarks") || !document["benchmarks"].is_array()) {
    error = path + ": not Google Benchmark JSON output (no \"benchmarks\" array); produce it with "
                   "--benchmark_out=FILE --benchmark_out_format=json or with 'hone bench run'";
    return std::nullopt;
  }
  ResultFile result;
  result.path = path;
  bool saw_aggregate = false;
  bool saw_iteration = false;
  const char* time_key = metric == TimeMetric::real_time ? "real_time" : "cpu_time";
  std::size_t index = 0;
  for (const nlohmann::json& entry : document["benchmarks"]) {
    ++index;
    if (!entry.is_object()) {
      error = path + ": benchmark entry " + std::to_string(index) + " is not an object";
      return std::nullopt;
    }
    const std::string run_type = string_field(entry, "run_type");
    if (run_type == "aggregate") {
      saw_aggregate = true;
      continue;
    }
    std::string name = string_field(entry, "run_name");
    if (name.empty()) name = string_field(entry, "name");
    if (name.empty()) {
      error = path + ": benchmark entry " + std::to_string(index) + " has no name";
      return std::nullopt;
    }
    saw_iteration = true;
    BenchmarkSamples& samples = result.benchmarks[name];
    const auto error_flag = entry.find("error_occurred");
    if (error_flag != entry.end() && error_flag->is_boolean() && error_flag->get<bool>()) {
      samples.had_error = true;
      continue;
    }
    if (!add_repetition(entry, name, time_key, path, samples, error)) return std::nullopt;
  }
  result.aggregates_only = saw_aggregate && !saw_iteration;
  if (auto hone = document.find("hone"); hone != document.end() && hone->is_object()) {
    MachineInfo machine;
    if (auto info = hone->find("machine"); info != hone->end() && info->is_object()) {
      machine.cpu_model = string_field(*info, "cpu_model");
      machine.governor = string_field(*info, "governor");
      machine.load_average = string_field(*info, "load_average");
      machine.host = string_field(*info, "host");
    }
    result.machine = machine;
  }
  return result;
}

std::optional<ResultFile> load_results(const std::string& path, TimeMetric metric, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_results(text.str(), path, metric, error);
}

}  // namespace hone::bench
