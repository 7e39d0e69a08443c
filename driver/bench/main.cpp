// hone-bench: the command line of `hone bench` (the `hone` driver execs this executable).
//
//   hone bench run [--name NAME] [--repetitions N] [--store DIR] -- EXE [ARGS...]
//   hone bench compare [options] BASE NEW
//   hone bench ab [options] BASE NEW [-- ARGS...]
//
// Only option parsing and the exit-code policy live here: 0 no regression, 1 a regression (or the
// benchmark failed), 2 bad usage or bad input. For compare, BASE and NEW are Google Benchmark JSON
// files or names stored by `hone bench run`; for ab, two benchmark executables run interleaved.
// compare and ab share their statistics options and the gate, so the same data gets the same verdict.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <unistd.h>

#include "driver/bench/ab.h"
#include "driver/bench/compare.h"
#include "driver/bench/report.h"
#include "driver/bench/results.h"
#include "driver/bench/run.h"

namespace {

using namespace hone::bench;

// A path to an existing file, else a stored name in the store folder.
bool resolve_input(const std::string& argument, const std::string& store, std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(argument, ec)) {
    path = argument;
    return true;
  }
  if (valid_store_name(argument)) {
    path = stored_path_for(store, argument);
    if (std::filesystem::is_regular_file(path, ec)) return true;
  }
  std::fprintf(stderr,
               "hone: error: '%s' is neither a file nor a stored result (looked for %s); store one with "
               "'hone bench run --name %s -- EXE'\n",
               argument.c_str(), stored_path_for(store, argument).c_str(), argument.c_str());
  return false;
}

std::optional<ResultFile> load_checked(const std::string& path, TimeMetric metric) {
  std::string error;
  std::optional<ResultFile> file = load_results(path, metric, error);
  if (!file) {
    std::fprintf(stderr, "hone: error: %s\n", error.c_str());
    return std::nullopt;
  }
  if (file->aggregates_only) {
    std::fprintf(stderr,
                 "hone: error: %s holds only aggregates (mean/median/stddev), not the individual repetitions the "
                 "significance test needs; rerun the benchmark with --benchmark_repetitions=10 and "
                 "--benchmark_report_aggregates_only=false (or use 'hone bench run')\n",
                 path.c_str());
    return std::nullopt;
  }
  if (file->benchmarks.empty()) {
    std::fprintf(stderr, "hone: error: %s contains no benchmark results\n", path.c_str());
    return std::nullopt;
  }
  return file;
}

// What `hone bench compare` reads from its command line, before it is checked and turned into
// CompareOptions (the thresholds are parsed, the inputs resolved, after CLI11 has run).
struct CompareArguments {
  CompareOptions options;
  std::vector<std::string> inputs;
  std::vector<std::string> thresholds;
  std::string format = "text";
  std::string colour = "auto";
  std::string metric_name = "real_time";
  std::string store = ".hone/bench";
};

CLI::App* add_run_command(CLI::App& app, RunOptions& run_options) {
  CLI::App* run_command = app.add_subcommand("run", "Run a Google Benchmark executable with repetitions and store "
                                                    "the result (hone bench run [--name NAME] -- EXE [ARGS...])");
  run_command->add_option("--name", run_options.name, "Stored name (default: the executable's file name)");
  run_command->add_option("-r,--repetitions", run_options.repetitions, "Repetitions of each benchmark (default 10)")
      ->check(CLI::Range(1, 100000));
  run_command->add_option("--store", run_options.store, "Store folder (default .hone/bench)");
  run_command->add_option("command", run_options.command, "The benchmark executable and its arguments, after --")
      ->required();
  return run_command;
}

// The options compare and ab share: the decision rule, the report and the metric.
void add_gate_options(CLI::App* command, CompareArguments& arguments) {
  command->add_option("--alpha", arguments.options.alpha, "Significance level (default 0.05)")
      ->check(CLI::Range(1e-12, 0.5));
  command
      ->add_option("--min-effect", arguments.options.min_effect_percent, "Smallest change in % that counts (default 5)")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--threshold", arguments.thresholds,
                      "PATTERN=PCT: minimum effect for benchmarks matching the glob PATTERN (repeatable)");
  command->add_option("--format", arguments.format, "text (default), markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  command->add_option("--color", arguments.colour, "auto (default: on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command->add_option("--metric", arguments.metric_name, "real_time (default) or cpu_time")
      ->check(CLI::IsMember({"real_time", "cpu_time"}));
}

CLI::App* add_compare_command(CLI::App& app, CompareArguments& arguments) {
  CLI::App* compare_command =
      app.add_subcommand("compare", "Compare two runs (Google Benchmark JSON files or stored names)");
  compare_command->add_option("runs", arguments.inputs, "BASE then NEW: Google Benchmark JSON files or stored names")
      ->required()
      ->expected(2);
  add_gate_options(compare_command, arguments);
  compare_command->add_option("--store", arguments.store, "Store folder for stored names (default .hone/bench)");
  return compare_command;
}

// What `hone bench ab` reads: the gate's options plus the schedule. The benchmark arguments after `--`
// are split off before CLI11 runs (split_benchmark_arguments), so they may look like options.
struct AbArguments {
  CompareArguments gate;
  AbOptions run;
  std::vector<std::string> executables;
  bool quiet = false;
};

CLI::App* add_ab_command(CLI::App& app, AbArguments& arguments) {
  CLI::App* ab_command =
      app.add_subcommand("ab", "Run two benchmark executables interleaved and compare them (hone bench ab [options] "
                               "BASE NEW [-- ARGS...])");
  ab_command->add_option("executables", arguments.executables, "BASE then NEW: Google Benchmark executables")
      ->required()
      ->expected(2);
  ab_command->add_option("--rounds", arguments.run.rounds, "Measured rounds, each running BASE and NEW (default 10)")
      ->check(CLI::Range(1, 100000));
  ab_command->add_option("--warmup", arguments.run.warmup, "Warm-up rounds, thrown away (default 1)")
      ->check(CLI::Range(0, 100000));
  ab_command
      ->add_option("-r,--repetitions", arguments.run.repetitions,
                   "Google Benchmark repetitions per execution (default 1)")
      ->check(CLI::Range(1, 100000));
  ab_command->add_flag("-q,--quiet", arguments.quiet, "No progress lines on stderr");
  add_gate_options(ab_command, arguments.gate);
  return ab_command;
}

// Each --threshold PATTERN=PCT into options.thresholds; false (after the error) on the first bad one.
bool parse_thresholds(const std::vector<std::string>& texts, CompareOptions& options) {
  for (const std::string& text : texts) {
    Threshold threshold;
    std::string error;
    if (!parse_threshold(text, threshold, error)) {
      std::fprintf(stderr, "hone: error: %s\n", error.c_str());
      return false;
    }
    options.thresholds.push_back(threshold);
  }
  return true;
}

// Warnings that do not change the verdict: different CPUs, per-benchmark notes, nothing in common.
void warn_about_comparison(const std::string& base_path, const ResultFile& base, const std::string& new_path,
                           const ResultFile& current, const CompareResult& result) {
  if (base.machine && current.machine && base.machine->cpu_model != current.machine->cpu_model)
    std::fprintf(stderr,
                 "hone: warning: %s and %s were measured on different CPUs (%s vs %s); differences may be the "
                 "machine's, not the code's\n",
                 base_path.c_str(), new_path.c_str(), base.machine->cpu_model.c_str(),
                 current.machine->cpu_model.c_str());
  for (const BenchmarkRow& row : result.rows)
    if (!row.note.empty()) std::fprintf(stderr, "hone: warning: %s: %s\n", row.name.c_str(), row.note.c_str());
  if (result.rows.empty())
    std::fprintf(stderr, "hone: warning: %s and %s have no benchmark in common\n", base_path.c_str(), new_path.c_str());
}

void print_report(const CompareResult& result, const ResultFile& base, const ResultFile& current,
                  const CompareArguments& arguments) {
  ReportContext context;
  context.base = &base;
  context.current = &current;
  context.alpha = arguments.options.alpha;
  context.colour = arguments.colour == "always" ||
                   (arguments.colour == "auto" && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr);
  const ReportFormat report_format = arguments.format == "json"       ? ReportFormat::json
                                     : arguments.format == "markdown" ? ReportFormat::markdown
                                                                      : ReportFormat::text;
  const std::string report = render_report(result, context, report_format);
  std::fwrite(report.data(), 1, report.size(), stdout);
}

TimeMetric metric_of(const CompareArguments& arguments) {
  return arguments.metric_name == "cpu_time" ? TimeMetric::cpu_time : TimeMetric::real_time;
}

// `hone bench compare`: 0 no regression, 1 a regression, 2 bad usage or bad input.
int run_compare(CompareArguments& arguments) {
  if (!parse_thresholds(arguments.thresholds, arguments.options)) return 2;
  std::string base_path, new_path;
  if (!resolve_input(arguments.inputs[0], arguments.store, base_path) ||
      !resolve_input(arguments.inputs[1], arguments.store, new_path))
    return 2;
  const TimeMetric metric = metric_of(arguments);
  const std::optional<ResultFile> base = load_checked(base_path, metric);
  if (!base) return 2;
  const std::optional<ResultFile> current = load_checked(new_path, metric);
  if (!current) return 2;

  const CompareResult result = compare_results(*base, *current, arguments.options);
  warn_about_comparison(base_path, *base, new_path, *current, result);
  print_report(result, *base, *current, arguments);
  return result.regressions > 0 ? 1 : 0;
}

// `hone bench ab`: the interleaved runs, then compare's gate on what they measured.
int run_ab_command(AbArguments& arguments) {
  if (!parse_thresholds(arguments.gate.thresholds, arguments.gate.options)) return 2;
  arguments.run.base_executable = arguments.executables[0];
  arguments.run.new_executable = arguments.executables[1];
  arguments.run.metric = metric_of(arguments.gate);
  arguments.run.progress = !arguments.quiet;
  AbSamples samples;
  if (int exit_code = run_ab(arguments.run, samples); exit_code != 0) return exit_code;
  const CompareResult result = compare_results(samples.base, samples.current, arguments.gate.options);
  warn_about_comparison(samples.base.path, samples.base, samples.current.path, samples.current, result);
  print_report(result, samples.base, samples.current, arguments.gate);
  return result.regressions > 0 ? 1 : 0;
}

// For `hone bench ab`: everything after the first `--` belongs to the benchmarks; it is taken out of
// argv (argc shrinks) so CLI11 never sees it. Other subcommands keep their `--` (run's command).
std::vector<std::string> split_benchmark_arguments(int& argc, char** argv) {
  std::vector<std::string> benchmark_arguments;
  if (argc < 2 || std::string_view(argv[1]) != "ab") return benchmark_arguments;
  for (int i = 2; i < argc; ++i) {
    if (std::string_view(argv[i]) != "--") continue;
    benchmark_arguments.assign(argv + i + 1, argv + argc);
    argc = i;
    break;
  }
  return benchmark_arguments;
}

int run(int argc, char** argv) {
  CLI::App app{
      "hone bench: run Google Benchmark executables, keep every repetition, and compare two runs with a "
      "Mann-Whitney U test (or run two executables interleaved with 'ab'); exits 1 on a significant regression "
      "(docs/bench.md).",
      "hone bench"};
  app.require_subcommand(1, 1);
  RunOptions run_options;
  CLI::App* run_command = add_run_command(app, run_options);
  CompareArguments compare_arguments;
  add_compare_command(app, compare_arguments);
  AbArguments ab_arguments;
  CLI::App* ab_command = add_ab_command(app, ab_arguments);
  ab_arguments.run.arguments = split_benchmark_arguments(argc, argv);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "hone: error: %s; run 'hone bench --help' for usage\n", e.what());
    return 2;
  }

  if (run_command->parsed()) {
    std::string stored;
    return run_and_store(run_options, stored);
  }
  if (ab_command->parsed()) return run_ab_command(ab_arguments);
  return run_compare(compare_arguments);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hone: error: %s\n", e.what());
    return 2;
  }
}
