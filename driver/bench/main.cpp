// hone-bench: the command line of `hone bench` (the `hone` driver execs this executable).
//
//   hone bench run [--name NAME] [--repetitions N] [--store DIR] -- EXE [ARGS...]
//   hone bench compare [options] BASE NEW
//
// Only option parsing and the exit-code policy live here: 0 no regression, 1 a regression (or the
// benchmark failed), 2 bad usage or bad input. BASE and NEW are Google Benchmark JSON files or names
// stored by `hone bench run`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

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

CLI::App* add_compare_command(CLI::App& app, CompareArguments& arguments) {
  CLI::App* compare_command =
      app.add_subcommand("compare", "Compare two runs (Google Benchmark JSON files or stored names)");
  compare_command->add_option("runs", arguments.inputs, "BASE then NEW: Google Benchmark JSON files or stored names")
      ->required()
      ->expected(2);
  compare_command->add_option("--alpha", arguments.options.alpha, "Significance level (default 0.05)")
      ->check(CLI::Range(1e-12, 0.5));
  compare_command
      ->add_option("--min-effect", arguments.options.min_effect_percent, "Smallest change in % that counts (default 5)")
      ->check(CLI::NonNegativeNumber);
  compare_command->add_option("--threshold", arguments.thresholds,
                              "PATTERN=PCT: minimum effect for benchmarks matching the glob PATTERN (repeatable)");
  compare_command->add_option("--format", arguments.format, "text (default), markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  compare_command->add_option("--color", arguments.colour, "auto (default: on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  compare_command->add_option("--metric", arguments.metric_name, "real_time (default) or cpu_time")
      ->check(CLI::IsMember({"real_time", "cpu_time"}));
  compare_command->add_option("--store", arguments.store, "Store folder for stored names (default .hone/bench)");
  return compare_command;
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

// `hone bench compare`: 0 no regression, 1 a regression, 2 bad usage or bad input.
int run_compare(CompareArguments& arguments) {
  if (!parse_thresholds(arguments.thresholds, arguments.options)) return 2;
  std::string base_path, new_path;
  if (!resolve_input(arguments.inputs[0], arguments.store, base_path) ||
      !resolve_input(arguments.inputs[1], arguments.store, new_path))
    return 2;
  const TimeMetric metric = arguments.metric_name == "cpu_time" ? TimeMetric::cpu_time : TimeMetric::real_time;
  const std::optional<ResultFile> base = load_checked(base_path, metric);
  if (!base) return 2;
  const std::optional<ResultFile> current = load_checked(new_path, metric);
  if (!current) return 2;

  const CompareResult result = compare_results(*base, *current, arguments.options);
  warn_about_comparison(base_path, *base, new_path, *current, result);
  print_report(result, *base, *current, arguments);
  return result.regressions > 0 ? 1 : 0;
}

int run(int argc, char** argv) {
  CLI::App app{"hone bench: run Google Benchmark executables, keep every repetition, and compare two runs with a "
               "Mann-Whitney U test; exits 1 on a significant regression (docs/bench.md).",
               "hone bench"};
  app.require_subcommand(1, 1);
  RunOptions run_options;
  CLI::App* run_command = add_run_command(app, run_options);
  CompareArguments compare_arguments;
  add_compare_command(app, compare_arguments);

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
