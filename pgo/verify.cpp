// Stage 6, verify: is the optimized build really faster, and does it still do the same thing? The
// baseline is the project's ordinary release build (its own flags, no hone), built here. Every
// benchmark workload runs on every variant after warm-up runs, interleaved (each round runs all
// variants, in a rotated order), so slow drifts of the machine hit all variants alike. Every run's
// output and exit status must equal the baseline's. The result table is printed, and kept as JSON
// (results.json) and Markdown (summary.md, for CI comments) in .hone/verify/.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "pgo/build_checks.h"
#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"
#include "pgo/statistics.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

struct Variant {
  std::string name;
  std::map<std::string, fs::path> binaries;
};

const std::vector<Workload>& measured_workloads(const Context& context) {
  return context.config.benchmark.empty() ? context.config.training : context.config.benchmark;
}

std::vector<Variant> variants(Context& context) {
  std::vector<Variant> list;
  list.push_back({"baseline", product_binaries(context, context.stage_dir("verify") / "baseline")});
  std::string optimized = std::string(context.config.pgo_kind == PgoKind::cs ? "cspgo" : "pgo") +
                          (context.config.lto != LtoMode::off ? "+lto" : "");
  list.push_back({optimized, variant_binaries(context, "optimize")});
  // A failed bolt stage leaves no manifest: the PGO+LTO build is measured without it.
  if (context.config.bolt && read_manifest(context.stage_dir("bolt")))
    list.push_back({optimized + "+bolt", variant_binaries(context, "bolt")});
  return list;
}

// Instructions executed, from callgrind's "Collected : N" line.
std::optional<long long> callgrind_instructions(Context& context, const Workload& workload,
                                                const std::map<std::string, fs::path>& binaries, const fs::path& dir,
                                                const std::string& label) {
  Workload wrapped = workload;
  wrapped.command.insert(wrapped.command.begin(), {"valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"});
  wrapped.timeout_seconds = workload.timeout_seconds * 100;
  WorkloadRun run = run_workload(context, wrapped, binaries, {}, dir, label + ".callgrind");
  check_workload(wrapped, run, "callgrind");
  std::ifstream in(run.stderr_file);
  std::string line;
  static const std::regex collected(R"(Collected\s*:\s*(\d+))");
  std::smatch match;
  while (std::getline(in, line))
    if (std::regex_search(line, match, collected)) return std::stoll(match[1]);
  return std::nullopt;
}

// A printed figure for the median column: four significant digits and its unit.
std::string format_figure(double value, const std::string& unit) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.4g%s%s", value, unit.empty() ? "" : " ", unit.c_str());
  return buffer;
}

std::string format_ratio(double ratio) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2fx", ratio);
  return buffer;
}

}  // namespace

std::string verify_key(Context& context) {
  Hasher hasher;
  hasher.add_field("verify").add_field(build_settings(context).dump()).add_field(source_hash(context));
  hasher.add_field(require_manifest(context, "optimize").outputs.dump());
  if (context.config.bolt) {
    std::optional<Manifest> bolt = read_manifest(context.stage_dir("bolt"));
    hasher.add_field(bolt ? bolt->outputs.dump() : "bolt failed");
  }
  hasher.add_field(workload_settings(measured_workloads(context)).dump());
  hasher.add_field(std::to_string(context.config.verify_repetitions) + "/" +
                   std::to_string(context.config.verify_max_repetitions) + "/" +
                   std::to_string(context.config.verify_warmup));
  hasher.add_field(context.config.verify_callgrind || context.options.callgrind ? "callgrind" : "");
  return hasher.hex();
}

namespace {

// Builds the baseline (the project's own release build), records it like every built output, so that
// one changed later is rebuilt, not measured, and returns the variants to measure, baseline first.
std::vector<Variant> build_baseline(Context& context, Manifest& manifest, const fs::path& dir) {
  BuildMode plain;
  plain.plain = true;
  plain.afresh = context.forced("verify");
  nlohmann::json build = build_variant(context, "baseline", dir / "baseline", plain, dir / "baseline.log");
  manifest.commands = build["commands"];
  std::vector<Variant> list = variants(context);
  VariantExpectation expected;
  expected.differ_from_instrumented = true;
  check_variant_binaries(context, "baseline", list.front().binaries, dir / "baseline", dir / "baseline.log", expected);
  for (const auto& [name, path] : list.front().binaries) manifest.outputs[path.string()] = hash_file(path);
  return list;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The figure a benchmark with `metric:` printed: the capture of the regex's last match in its stdout, or
// in its stderr when stdout has none (benchmarks print their figures to either). The last match, because
// a benchmark that reports as it goes prints its final figure last. A run without one, or with one that
// is not a positive number, is a configuration problem: the message names the metric's line in hone.yaml.
double printed_figure(const Workload& workload, const WorkloadRun& run, const std::string& variant) {
  const Workload::Metric& metric = *workload.metric;
  const std::regex pattern(metric.pattern, std::regex::ECMAScript);
  std::string figure;
  bool matched = false;
  fs::path where;
  for (const fs::path& file : {run.stdout_file, run.stderr_file}) {
    const std::string text = read_text(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
      figure = (*it)[1].str();
      matched = true;
    }
    where = file;
    if (matched) break;
  }
  const std::string what = "benchmark '" + workload.name + "' (" + variant + " build)";
  if (!matched)
    fail_input(metric.location + ": metric.regex '" + metric.pattern + "' matched nothing in the output of " + what +
               " (" + run.stdout_file.string() + ", " + run.stderr_file.string() +
               "): make the benchmark print its figure, or fix the regex so that it matches the line that holds it "
               "(try: grep -E '" +
               metric.pattern + "' " + run.stdout_file.string() + ")");
  char* end = nullptr;
  const double value = std::strtod(figure.c_str(), &end);
  if (end != figure.c_str() + figure.size() || !std::isfinite(value) || value <= 0)
    fail_input(metric.location + ": metric.regex '" + metric.pattern + "' captured '" + figure + "' in " +
               where.string() + " (" + what +
               "), which is not a positive number; put the capture group around the number only, e.g. "
               "'([0-9.]+) MB/s'");
  return value;
}

// The hash verify compares outputs by. With a metric, the printed figure itself differs from run to run,
// so every capture of the regex is masked before hashing and the rest of the output must still agree.
std::string output_hash(const Workload& workload, const WorkloadRun& run) {
  if (!workload.metric) return run.stdout_hash;
  const std::string text = read_text(run.stdout_file);
  const std::regex pattern(workload.metric->pattern, std::regex::ECMAScript);
  std::string masked;
  std::string::const_iterator copied = text.begin();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    const auto& capture = (*it)[1];
    if (!capture.matched) continue;
    masked.append(copied, capture.first);
    masked += "#";
    copied = capture.second;
  }
  masked.append(copied, text.end());
  return Hasher().add_field(masked).hex();
}

// One workload's measurements: the timed runs' wall and CPU seconds and, with a metric, the figures the
// runs printed (run i of every variant is from round i), and the first output hash, per variant.
struct WorkloadTimes {
  const Workload::Metric* printed = nullptr;  // the workload's metric, when it has one
  std::map<std::string, std::vector<double>> times;
  std::map<std::string, std::vector<double>> cpu_times;
  std::map<std::string, std::vector<double>> figures;
  std::map<std::string, std::string> reference;

  // What the ratios are taken of, per run: smaller must be better, so a printed figure where higher is
  // better enters as its reciprocal; baseline / variant > 1 then always means the variant is better.
  std::vector<double> decision(const std::string& variant) const {
    if (!printed) return metric() == TimeMetric::cpu ? cpu_times.at(variant) : times.at(variant);
    std::vector<double> values = figures.at(variant);
    if (printed->higher_is_better)
      for (double& value : values) value = 1 / value;
    return values;
  }

  // The times verify decides on: CPU time when wall time is well above it (statistics.h), pooled over
  // every variant's runs so that all rows of a workload use one metric.
  TimeMetric metric() const {
    std::vector<double> wall, cpu;
    for (const auto& [name, runs] : times) wall.insert(wall.end(), runs.begin(), runs.end());
    for (const auto& [name, runs] : cpu_times) cpu.insert(cpu.end(), runs.begin(), runs.end());
    return choose_time_metric(wall, cpu);
  }

  // True when every variant's paired interval against the baseline is within ±5% of its speedup:
  // more rounds would not change what the table says.
  bool tight(const std::vector<Variant>& list) const {
    for (const Variant& variant : list) {
      if (variant.name == "baseline") continue;
      SpeedupEstimate estimate = estimate_paired_speedup(decision("baseline"), decision(variant.name));
      if (estimate.speedup <= 0 || (estimate.high - estimate.low) / estimate.speedup > k_tight_interval) return false;
    }
    return true;
  }
  static constexpr double k_tight_interval = 0.10;  // the whole width: ±5%
};

// "name: warm-up", "name: round 3/10" (with an estimate of the time left after the first round), or
// past the planned rounds "name: extra round 12 of at most 30 (interval not yet within ±5%)".
std::string round_label(const Config& config, const Workload& workload, int round,
                        std::chrono::steady_clock::time_point workload_start) {
  const int timed = round - config.verify_warmup;  // rounds measured so far
  if (timed < 0) return workload.name + ": warm-up";
  if (timed >= config.verify_repetitions)
    return workload.name + ": extra round " + std::to_string(timed + 1) + " of at most " +
           std::to_string(config.verify_max_repetitions) + " (interval not yet within ±5%)";
  std::string eta;
  if (round > 0) {
    const int planned = config.verify_warmup + config.verify_repetitions;
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - workload_start).count();
    eta = ", about " + format_seconds(elapsed / round * (planned - round)) + " left";
  }
  return workload.name + ": round " + std::to_string(timed + 1) + "/" + std::to_string(config.verify_repetitions) + eta;
}

// Warm-up rounds, then timed rounds; each round runs every variant, starting one further along the list.
// After the planned rounds, more run while some interval is wider than ±5%, up to max_repetitions.
WorkloadTimes time_workload(Context& context, const Workload& workload, const std::vector<Variant>& list,
                            const fs::path& dir) {
  const Config& config = context.config;
  WorkloadTimes measured;
  if (workload.metric) measured.printed = &*workload.metric;
  auto workload_start = std::chrono::steady_clock::now();
  for (int round = 0;; ++round) {
    const int timed = round - config.verify_warmup;
    if (timed >= config.verify_max_repetitions || (timed >= config.verify_repetitions && measured.tight(list))) break;
    bool warmup = timed < 0;
    context.progress.live(round_label(config, workload, round, workload_start));
    for (size_t k = 0; k < list.size(); ++k) {
      const Variant& variant = list[(k + static_cast<size_t>(round)) % list.size()];
      WorkloadRun run = run_workload(context, workload, variant.binaries, {}, dir / "runs", variant.name);
      check_workload(workload, run, "benchmark (" + variant.name + ")");
      // A figure is read from warm-up runs too, so that a regex that matches nothing stops verify at once.
      const double figure = workload.metric ? printed_figure(workload, run, variant.name) : 0;
      if (!measured.reference.count(variant.name)) measured.reference[variant.name] = output_hash(workload, run);
      if (!warmup) {
        measured.times[variant.name].push_back(run.result.seconds);
        measured.cpu_times[variant.name].push_back(run.result.cpu_seconds);
        if (workload.metric) measured.figures[variant.name].push_back(figure);
      }
    }
  }
  return measured;
}

void require_baseline_output(const Workload& workload, const std::vector<Variant>& list,
                             std::map<std::string, std::string>& reference, const fs::path& dir) {
  if (!workload.compare_output) return;
  for (const Variant& variant : list) {
    if (reference[variant.name] != reference["baseline"])
      fail_job("the " + variant.name + " build prints a different output than the baseline on benchmark workload '" +
               workload.name + "' (" + workload.location + "): compare the .out files in " + (dir / "runs").string() +
               ". If the output legitimately varies between runs (times, addresses), set compare_output: false");
  }
}

// The result row of list[index] on one workload: its times in the decision metric (and both kinds of
// time), its paired speedup over the baseline, over the variant before it for BOLT, and (with
// callgrind) its instruction count.
nlohmann::json result_row(Context& context, const Workload& workload, const std::vector<Variant>& list, size_t index,
                          WorkloadTimes& measured, bool callgrind, const fs::path& dir) {
  const Variant& variant = list[index];
  const bool cpu = measured.metric() == TimeMetric::cpu;
  // With a printed metric the seconds columns keep the wall time (what hone report shows as a time).
  const std::vector<double>& seconds =
      cpu && !measured.printed ? measured.cpu_times[variant.name] : measured.times[variant.name];
  const std::vector<double> samples = measured.decision(variant.name);
  nlohmann::json row = {{"workload", workload.name},
                        {"variant", variant.name},
                        {"metric", measured.printed ? "printed"
                                   : cpu            ? "cpu"
                                                    : "wall"},
                        {"median_seconds", median(seconds)},
                        {"mad_seconds", median_absolute_deviation(seconds)},
                        {"runs", measured.printed ? measured.figures[variant.name] : seconds},
                        {"wall_runs", measured.times[variant.name]},
                        {"cpu_runs", measured.cpu_times[variant.name]}};
  if (measured.printed) {
    const std::vector<double>& figures = measured.figures[variant.name];
    row["median_figure"] = median(figures);
    row["mad_figure"] = median_absolute_deviation(figures);
    row["figure_regex"] = measured.printed->pattern;
    row["figure_unit"] = measured.printed->unit;
    row["higher_is_better"] = measured.printed->higher_is_better;
  }
  if (variant.name != "baseline") {
    SpeedupEstimate estimate = estimate_paired_speedup(measured.decision("baseline"), samples);
    row["speedup"] = estimate.speedup;
    row["ci_low"] = estimate.low;
    row["ci_high"] = estimate.high;
    row["verdict"] = estimate.verdict;
  }
  if (index >= 2) {
    // BOLT is judged against its own input too: it must never make PGO+LTO slower.
    const Variant& previous = list[index - 1];
    SpeedupEstimate step = estimate_paired_speedup(measured.decision(previous.name), samples);
    row["versus"] = {{"variant", previous.name},
                     {"speedup", step.speedup},
                     {"ci_low", step.low},
                     {"ci_high", step.high},
                     {"verdict", step.verdict}};
  }
  if (callgrind) {
    context.progress.live(workload.name + ": callgrind " + variant.name);
    if (auto count = callgrind_instructions(context, workload, variant.binaries, dir / "runs", variant.name))
      row["instructions"] = *count;
  }
  return row;
}

}  // namespace

void run_verify(Context& context, Manifest& manifest) {
  const Config& config = context.config;
  fs::path dir = context.stage_dir("verify");
  std::vector<Variant> list = build_baseline(context, manifest, dir);
  if (config.benchmark.empty())
    context.progress.note("warning: hone.yaml has no 'benchmark' workloads, so the training workloads are measured; "
                          "a speedup measured on the training data is optimistic");
  bool callgrind = config.verify_callgrind || context.options.callgrind;
  if (callgrind && !find_program("valgrind"))
    fail_input("verify.callgrind needs valgrind; install it (scripts/setup does) or turn callgrind off");
  fs::remove_all(dir / "runs");

  nlohmann::json results = nlohmann::json::array();
  for (const Workload& workload : measured_workloads(context)) {
    WorkloadTimes measured = time_workload(context, workload, list, dir);
    require_baseline_output(workload, list, measured.reference, dir);
    for (size_t index = 0; index < list.size(); ++index)
      results.push_back(result_row(context, workload, list, index, measured, callgrind, dir));
  }
  manifest.facts["results"] = results;
  manifest.facts["repetitions"] = config.verify_repetitions;
  manifest.facts["max_repetitions"] = config.verify_max_repetitions;
  manifest.facts["warmup"] = config.verify_warmup;
  manifest.facts["measured"] = config.benchmark.empty() ? "training workloads" : "benchmark workloads";
  manifest.inputs = {{"benchmark", workload_settings(measured_workloads(context))}};
  write_file_atomically(dir / "results.json", manifest.facts.dump(2) + "\n");
}

namespace {

// One line per workload that was decided on CPU time, with the ratio of wall to CPU time that made it so,
// and per workload decided on the figure it printed, with the regex that found it.
std::string metric_notes(const nlohmann::json& facts, bool markdown) {
  std::string text;
  for (const auto& row : facts.value("results", nlohmann::json::array())) {
    if (row.value("variant", "") != "baseline") continue;
    if (row.value("metric", "wall") == "printed") {
      const bool higher = row.value("higher_is_better", true);
      text += std::string(markdown ? "\n" : "") + row.value("workload", "") +
              ": decided on the figure the benchmark printed ('" + row.value("figure_regex", "") + "', " +
              (higher ? "higher" : "lower") +
              " is better): speedup = " + (higher ? "variant / baseline" : "baseline / variant") +
              " per round; median and spread are that figure\n";
      continue;
    }
    if (row.value("metric", "wall") != "cpu") continue;
    std::vector<double> wall = row.value("wall_runs", std::vector<double>{});
    std::vector<double> cpu = row.value("cpu_runs", std::vector<double>{});
    char line[512];
    std::snprintf(line, sizeof(line),
                  "%s%s: decided on CPU time (user + system): its median wall time is %.2fx its CPU time, so the runs "
                  "mostly waited (for a CPU on a busy machine, or for I/O), and wall time would measure the wait\n",
                  markdown ? "\n" : "", row.value("workload", "").c_str(),
                  !cpu.empty() && median(cpu) > 0 ? median(wall) / median(cpu) : 0.0);
    text += line;
  }
  return text;
}

}  // namespace

// The verify table from a verify manifest's facts: text for the terminal, or Markdown.
std::string verify_table(const nlohmann::json& facts, bool markdown) {
  std::string text;
  char line[512];
  bool instructions = false;
  for (const auto& row : facts.value("results", nlohmann::json::array())) instructions |= row.contains("instructions");
  std::map<std::string, long long> baseline_instructions;
  if (markdown) {
    text += "| workload | variant | median | spread (MAD) | speedup | 95% CI | verdict |";
    text += instructions ? " instructions |\n|---|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|---|\n";
  } else {
    std::snprintf(line, sizeof(line), "%-16s %-16s %10s %8s %8s %17s  %-16s%s\n", "workload", "variant", "median",
                  "spread", "speedup", "95% CI", "verdict", instructions ? " instructions" : "");
    text += line;
  }
  for (const auto& row : facts.value("results", nlohmann::json::array())) {
    const bool printed = row.contains("median_figure");
    double centre = printed ? row.value("median_figure", 0.0) : row.value("median_seconds", 0.0);
    double spread =
        centre > 0 ? 100 * (printed ? row.value("mad_figure", 0.0) : row.value("mad_seconds", 0.0)) / centre : 0;
    const std::string median_text =
        printed ? format_figure(centre, row.value("figure_unit", "")) : format_seconds(centre);
    std::string name = row.value("workload", "");
    std::string variant = row.value("variant", "");
    std::string speedup = "1.00x", interval, verdict = "(reference)";
    if (row.contains("speedup")) {
      speedup = format_ratio(row["speedup"].get<double>());
      interval =
          "[" + format_ratio(row["ci_low"].get<double>()) + ", " + format_ratio(row["ci_high"].get<double>()) + "]";
      verdict = row["verdict"].get<std::string>();
      if (verdict == "slower") verdict = "SLOWER";
    }
    std::string count;
    if (row.contains("instructions")) {
      long long ir = row["instructions"].get<long long>();
      if (variant == "baseline") baseline_instructions[name] = ir;
      char buffer[64];
      double base = static_cast<double>(baseline_instructions[name]);
      std::snprintf(buffer, sizeof(buffer), "%lld (%.2fx)", ir,
                    ir > 0 && base > 0 ? base / static_cast<double>(ir) : 1.0);
      count = buffer;
    }
    char spread_text[32];
    std::snprintf(spread_text, sizeof(spread_text), "±%.1f%%", spread);
    if (markdown)
      std::snprintf(line, sizeof(line), "| %s | %s | %s | %s | %s | %s | %s |%s\n", name.c_str(), variant.c_str(),
                    median_text.c_str(), spread_text, speedup.c_str(), interval.c_str(), verdict.c_str(),
                    instructions ? (" " + count + " |").c_str() : "");
    else
      std::snprintf(line, sizeof(line), "%-16s %-16s %10s %9s %8s %17s  %-16s%s\n", name.c_str(), variant.c_str(),
                    median_text.c_str(), spread_text, speedup.c_str(), interval.c_str(), verdict.c_str(),
                    count.empty() ? "" : (" " + count).c_str());
    text += line;
  }
  for (const auto& row : facts.value("results", nlohmann::json::array())) {
    if (!row.contains("versus")) continue;
    const auto& versus = row["versus"];
    std::string verdict = versus.value("verdict", "");
    std::snprintf(line, sizeof(line), "%s%s: %s vs %s: %s [%s, %s] %s%s\n", markdown ? "\n" : "",
                  row.value("workload", "").c_str(), row.value("variant", "").c_str(),
                  versus.value("variant", "").c_str(), format_ratio(versus.value("speedup", 1.0)).c_str(),
                  format_ratio(versus.value("ci_low", 1.0)).c_str(), format_ratio(versus.value("ci_high", 1.0)).c_str(),
                  verdict == "slower" ? "SLOWER" : verdict.c_str(), verdict == "slower" ? " (consider bolt: off)" : "");
    text += line;
  }
  text += metric_notes(facts, markdown);
  // The rounds actually run: the planned ones, or more where an interval was not yet tight.
  size_t fewest = 0, most = 0;
  for (const auto& row : facts.value("results", nlohmann::json::array())) {
    const size_t rounds = row.value("runs", nlohmann::json::array()).size();
    fewest = fewest == 0 ? rounds : std::min(fewest, rounds);
    most = std::max(most, rounds);
  }
  if (most == 0) fewest = most = static_cast<size_t>(facts.value("repetitions", 0));
  const std::string rounds =
      fewest == most ? std::to_string(most) : std::to_string(fewest) + "-" + std::to_string(most);
  std::string footer = "median of " + rounds + " interleaved runs after " + std::to_string(facts.value("warmup", 0)) +
                       " warm-up, on the " + facts.value("measured", std::string("benchmark workloads")) +
                       "; speedup = median of the per-round ratios baseline / variant (each round runs every "
                       "variant, so load hits both sides of a ratio), 95% bootstrap confidence interval over the "
                       "rounds; more rounds (up to " +
                       std::to_string(facts.value("max_repetitions", 0)) +
                       ") while an interval is wider than ±5%; 'not significant' = the interval includes 1.00x\n";
  text += markdown ? "\n" + footer : footer;
  return text;
}

}  // namespace hone::pgo
