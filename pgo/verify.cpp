// Stage 6, verify: is the optimized build really faster, and does it still do the same thing? The
// baseline is the project's ordinary release build (its own flags, no hone), built here. Every
// benchmark workload runs on every variant after warm-up runs, interleaved (each round runs all
// variants, in a rotated order), so slow drifts of the machine hit all variants alike. Every run's
// output and exit status must equal the baseline's. The result table is printed, and kept as JSON
// (results.json) and Markdown (summary.md, for CI comments) in .hone/verify/.
#include <chrono>
#include <cmath>
#include <fstream>
#include <regex>

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
  if (context.config.bolt) list.push_back({optimized + "+bolt", variant_binaries(context, "bolt")});
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
  if (context.config.bolt) hasher.add_field(require_manifest(context, "bolt").outputs.dump());
  hasher.add_field(workload_settings(measured_workloads(context)).dump());
  hasher.add_field(std::to_string(context.config.verify_repetitions) + "/" +
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
  nlohmann::json build = build_variant(context, "baseline", dir / "baseline", plain, dir / "baseline.log");
  manifest.commands = build["commands"];
  std::vector<Variant> list = variants(context);
  for (const auto& [name, path] : list.front().binaries) manifest.outputs[path.string()] = hash_file(path);
  return list;
}

// One workload's measurements: the timed runs' seconds and the first output hash, per variant.
struct WorkloadTimes {
  std::map<std::string, std::vector<double>> times;
  std::map<std::string, std::string> reference;
};

// "name: warm-up" or "name: round 3/10", with an estimate of the time left after the first round.
std::string round_label(const Config& config, const Workload& workload, int round, int total_rounds,
                        std::chrono::steady_clock::time_point workload_start) {
  bool warmup = round < config.verify_warmup;
  std::string eta;
  if (round > 0) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - workload_start).count();
    eta = ", about " + format_seconds(elapsed / round * (total_rounds - round)) + " left";
  }
  return workload.name + ": " +
         (warmup ? "warm-up"
                 : "round " + std::to_string(round - config.verify_warmup + 1) + "/" +
                       std::to_string(config.verify_repetitions)) +
         eta;
}

// Warm-up rounds, then timed rounds; each round runs every variant, starting one further along the list.
WorkloadTimes time_workload(Context& context, const Workload& workload, const std::vector<Variant>& list,
                            const fs::path& dir) {
  const Config& config = context.config;
  WorkloadTimes measured;
  int total_rounds = config.verify_warmup + config.verify_repetitions;
  auto workload_start = std::chrono::steady_clock::now();
  for (int round = 0; round < total_rounds; ++round) {
    bool warmup = round < config.verify_warmup;
    context.progress.live(round_label(config, workload, round, total_rounds, workload_start));
    for (size_t k = 0; k < list.size(); ++k) {
      const Variant& variant = list[(k + static_cast<size_t>(round)) % list.size()];
      WorkloadRun run = run_workload(context, workload, variant.binaries, {}, dir / "runs", variant.name);
      check_workload(workload, run, "benchmark (" + variant.name + ")");
      if (!measured.reference.count(variant.name)) measured.reference[variant.name] = run.stdout_hash;
      if (!warmup) measured.times[variant.name].push_back(run.result.seconds);
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

// The result row of list[index] on one workload: its times, its speedup over the baseline, over the
// variant before it for BOLT, and (with callgrind) its instruction count.
nlohmann::json result_row(Context& context, const Workload& workload, const std::vector<Variant>& list, size_t index,
                          std::map<std::string, std::vector<double>>& times, bool callgrind, const fs::path& dir) {
  const Variant& variant = list[index];
  const std::vector<double>& samples = times[variant.name];
  double centre = median(samples);
  nlohmann::json row = {{"workload", workload.name},
                        {"variant", variant.name},
                        {"median_seconds", centre},
                        {"mad_seconds", median_absolute_deviation(samples)},
                        {"runs", samples}};
  if (variant.name != "baseline") {
    SpeedupEstimate estimate = estimate_speedup(times["baseline"], samples);
    row["speedup"] = estimate.speedup;
    row["ci_low"] = estimate.low;
    row["ci_high"] = estimate.high;
    row["verdict"] = estimate.verdict;
  }
  if (index >= 2) {
    // BOLT is judged against its own input too: it must never make PGO+LTO slower.
    const Variant& previous = list[index - 1];
    SpeedupEstimate step = estimate_speedup(times[previous.name], samples);
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
      results.push_back(result_row(context, workload, list, index, measured.times, callgrind, dir));
  }
  manifest.facts["results"] = results;
  manifest.facts["repetitions"] = config.verify_repetitions;
  manifest.facts["warmup"] = config.verify_warmup;
  manifest.facts["measured"] = config.benchmark.empty() ? "training workloads" : "benchmark workloads";
  manifest.inputs = {{"benchmark", workload_settings(measured_workloads(context))}};
  write_file_atomically(dir / "results.json", manifest.facts.dump(2) + "\n");
}

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
    double centre = row.value("median_seconds", 0.0);
    double spread = centre > 0 ? 100 * row.value("mad_seconds", 0.0) / centre : 0;
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
                    format_seconds(centre).c_str(), spread_text, speedup.c_str(), interval.c_str(), verdict.c_str(),
                    instructions ? (" " + count + " |").c_str() : "");
    else
      std::snprintf(line, sizeof(line), "%-16s %-16s %10s %9s %8s %17s  %-16s%s\n", name.c_str(), variant.c_str(),
                    format_seconds(centre).c_str(), spread_text, speedup.c_str(), interval.c_str(), verdict.c_str(),
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
  std::string footer = "median of " + std::to_string(facts.value("repetitions", 0)) + " interleaved runs after " +
                       std::to_string(facts.value("warmup", 0)) + " warm-up, on the " +
                       facts.value("measured", std::string("benchmark workloads")) +
                       "; speedup = baseline median / variant median, 95% bootstrap confidence interval; "
                       "'not significant' = the interval includes 1.00x\n";
  text += markdown ? "\n" + footer : footer;
  return text;
}

}  // namespace hone::pgo
