// Interleaved A/B runs of two Google Benchmark executables (see ab.h).
//
// Each execution writes its JSON into a private scratch folder and is read back at once; only the
// repetitions are kept (the aggregates Google Benchmark adds are recomputed by the comparison). The
// benchmarks' console output is discarded and their stderr captured, so 2 x (rounds + warm-up) runs do
// not flood the terminal; a failing run's stderr is shown with the failure. hone's --benchmark_* flags
// go after the user's arguments so they win (Google Benchmark keeps the last value of a flag).
#include "driver/bench/ab.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>

#include "support/atomic_file.h"
#include "support/contracts.h"
#include "support/process.h"

namespace hone::bench {

std::vector<AbStep> ab_schedule(int rounds, int warmup) {
  std::vector<AbStep> steps;
  auto add_round = [&steps](int round, bool is_warmup) {
    const bool base_first = round % 2 == 0;
    steps.push_back({base_first ? AbSide::base : AbSide::current, is_warmup, round});
    steps.push_back({base_first ? AbSide::current : AbSide::base, is_warmup, round});
  };
  for (int round = 0; round < warmup; ++round) add_round(round, true);
  for (int round = 0; round < rounds; ++round) add_round(round, false);
  return steps;
}

void append_samples(ResultFile& into, const ResultFile& execution) {
  for (const auto& [name, samples] : execution.benchmarks) {
    BenchmarkSamples& kept = into.benchmarks[name];
    kept.nanoseconds.insert(kept.nanoseconds.end(), samples.nanoseconds.begin(), samples.nanoseconds.end());
    kept.time_unit = samples.time_unit;
    kept.had_error = kept.had_error || samples.had_error;
  }
}

namespace {

const char* side_name(AbSide side) {
  return side == AbSide::base ? "BASE" : "NEW";
}

// The last lines of a failed benchmark's stderr, enough to see why without pages of output.
std::string tail_of(const std::string& text, std::size_t max_characters = 2000) {
  if (text.size() <= max_characters) return text;
  const std::size_t start = text.find('\n', text.size() - max_characters);
  return "...\n" + text.substr(start == std::string::npos ? text.size() - max_characters : start + 1);
}

// Runs one execution with its JSON to `json_path`. 0 when it succeeded, else the exit code.
int execute(const std::string& executable, const AbOptions& options, const std::string& json_path) {
  support::ProcessSpec spec;
  spec.argv.push_back(executable);
  spec.argv.insert(spec.argv.end(), options.arguments.begin(), options.arguments.end());
  spec.argv.push_back("--benchmark_repetitions=" + std::to_string(options.repetitions));
  spec.argv.push_back("--benchmark_report_aggregates_only=false");
  spec.argv.push_back("--benchmark_out=" + json_path);
  spec.argv.push_back("--benchmark_out_format=json");
  spec.stdout_sink = support::Sink::discard;
  spec.stderr_sink = support::Sink::capture;
  spec.ignore_interrupts = true;  // Ctrl-C is for the benchmark; hone stays to clean up and say so
  const support::Outcome outcome = support::run(spec);
  if (!outcome.started) {
    std::fprintf(stderr, "hone: error: cannot run %s: %s\n", executable.c_str(), outcome.start_error.c_str());
    return support::k_exit_usage;
  }
  if (outcome.succeeded()) return 0;
  if (outcome.signal == SIGINT) {
    std::fprintf(stderr, "hone: interrupted; no comparison was made\n");
    return support::k_exit_interrupted;
  }
  std::fprintf(stderr, "%s", tail_of(outcome.stderr_text).c_str());
  std::fprintf(stderr, "hone: error: %s %s\n", executable.c_str(), support::describe_outcome(outcome).c_str());
  return support::k_exit_failed;
}

// Reads one execution's JSON; nothing (after the error) when it is not Google Benchmark output with
// individual repetitions.
std::optional<ResultFile> read_execution(const std::string& json_path, const std::string& executable,
                                         TimeMetric metric) {
  // Google Benchmark opens --benchmark_out before it matches the filter, so an empty file means it ran
  // nothing; no file at all means the program ignored the flag.
  std::error_code ec;
  if (std::filesystem::exists(json_path, ec) && std::filesystem::file_size(json_path, ec) == 0 && !ec) {
    std::fprintf(stderr, "hone: error: %s ran no benchmark (check --benchmark_filter)\n", executable.c_str());
    return std::nullopt;
  }
  std::string error;
  std::optional<ResultFile> file = load_results(json_path, metric, error);
  if (!file) {
    std::fprintf(stderr,
                 "hone: error: %s did not write Google Benchmark JSON to --benchmark_out (%s); is it a Google "
                 "Benchmark executable?\n",
                 executable.c_str(), error.c_str());
    return std::nullopt;
  }
  if (file->benchmarks.empty()) {
    std::fprintf(stderr, "hone: error: %s ran no benchmark (check --benchmark_filter)\n", executable.c_str());
    return std::nullopt;
  }
  return file;
}

}  // namespace

int run_ab(const AbOptions& options, AbSamples& samples) {
  support::TemporaryDirectory scratch("hone-bench-ab");
  if (!scratch.ok()) {
    std::fprintf(stderr, "hone: error: %s; set TMPDIR to a folder you can write to\n", scratch.error().c_str());
    return support::k_exit_usage;
  }
  samples.base.path = options.base_executable;
  samples.current.path = options.new_executable;
  const std::string json_path = scratch.path() + "/execution.json";
  for (const AbStep& step : ab_schedule(options.rounds, options.warmup)) {
    const bool is_base = step.side == AbSide::base;
    const std::string& executable = is_base ? options.base_executable : options.new_executable;
    if (options.progress && (is_base ? step.round % 2 == 0 : step.round % 2 == 1))
      std::fprintf(stderr, "hone: %s %d/%d: %s first\n", step.warmup ? "warm-up round" : "round", step.round + 1,
                   step.warmup ? options.warmup : options.rounds, side_name(step.side));
    // A run that writes nothing must not be credited with the previous run's file.
    std::error_code ignored;
    std::filesystem::remove(json_path, ignored);
    if (int exit_code = execute(executable, options, json_path); exit_code != 0) return exit_code;
    std::optional<ResultFile> execution = read_execution(json_path, executable, options.metric);
    if (!execution) return support::k_exit_failed;
    if (!step.warmup) append_samples(is_base ? samples.base : samples.current, *execution);
  }
  return 0;
}

}  // namespace hone::bench
