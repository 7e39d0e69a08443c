// Running a Google Benchmark executable and storing its repetitions (see run.h).
//
// hone's flags go after the user's so they win (Google Benchmark keeps the last value of a flag).
// The benchmark's own console output is sent to stderr, leaving stdout for hone's one-line result.
// Machine information is read from /proc and /sys where readable; a missing governor (containers,
// VMs) is simply left out rather than guessed.
#include "driver/bench/run.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "driver/bench/results.h"
#include "support/atomic_file.h"
#include "support/contracts.h"
#include "support/process.h"

namespace hone::bench {
namespace {

std::string read_first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return {};
}

nlohmann::json machine_info() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  std::string load = read_first_line("/proc/loadavg");
  // Keep the 1, 5 and 15 minute averages only.
  std::istringstream fields(load);
  std::string one, five, fifteen;
  fields >> one >> five >> fifteen;
  std::time_t now = std::time(nullptr);
  char when[32] = {};
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return {{"cpu_model", cpu_model()},
          {"governor", read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")},
          {"load_average", one.empty() ? std::string() : one + " " + five + " " + fifteen},
          {"cpus", sysconf(_SC_NPROCESSORS_ONLN)},
          {"host", std::string(host)},
          {"time", std::string(when)}};
}

// Runs the benchmark with its console output on stderr. Like system(): while it runs, Ctrl-C is for
// the benchmark (it gets it too, being in the same process group); hone stays alive to remove its
// temporary files and report.
support::Outcome run_benchmark(const std::vector<std::string>& arguments) {
  support::ProcessSpec spec;
  spec.argv = arguments;
  spec.stdout_sink = support::Sink::into_stderr;
  spec.ignore_interrupts = true;
  return support::run(spec);
}

}  // namespace

bool valid_store_name(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

std::string stored_path_for(const std::string& store, const std::string& name) {
  return (std::filesystem::path(store) / (name + ".json")).string();
}

namespace {

// False (after the error) when the store folder cannot be made.
bool create_store(const std::string& store) {
  std::error_code ec;
  std::filesystem::create_directories(store, ec);
  if (ec) {
    std::fprintf(stderr, "hone: error: cannot create the store folder %s: %s\n", store.c_str(), ec.message().c_str());
    return false;
  }
  return true;
}

// Runs the benchmark with hone's flags after the user's, its JSON going to raw_path. 0 when it
// succeeded, else the exit code for `hone bench run` (after the message).
int run_repetitions(const RunOptions& options, const std::string& raw_path) {
  const std::string& executable = options.command.front();
  std::vector<std::string> arguments = options.command;
  arguments.push_back("--benchmark_repetitions=" + std::to_string(options.repetitions));
  arguments.push_back("--benchmark_report_aggregates_only=false");
  arguments.push_back("--benchmark_out=" + raw_path);
  arguments.push_back("--benchmark_out_format=json");
  const support::Outcome outcome = run_benchmark(arguments);
  if (!outcome.started) {
    std::fprintf(stderr, "hone: error: cannot run %s: %s\n", executable.c_str(), outcome.start_error.c_str());
    return support::k_exit_usage;
  }
  if (!outcome.succeeded()) {
    if (outcome.signal == SIGINT) {
      std::fprintf(stderr, "hone: interrupted; nothing was stored\n");
      return support::k_exit_interrupted;
    }
    std::fprintf(stderr, "hone: error: %s %s; nothing was stored\n", executable.c_str(),
                 support::describe_outcome(outcome).c_str());
    return support::k_exit_failed;
  }
  return 0;
}

// The benchmark's raw JSON, both as a document (stored as it is) and parsed (to count its benchmarks).
struct RawResults {
  nlohmann::json document;
  ResultFile parsed;
};

// Nothing (after the error) when the file is not Google Benchmark JSON or holds no benchmark.
std::optional<RawResults> read_raw_results(const std::string& raw_path, const std::string& executable) {
  std::ifstream in(raw_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  std::string parse_error;
  auto parsed = parse_results(text.str(), executable, TimeMetric::real_time, parse_error);
  if (!in || document.is_discarded() || !parsed) {
    std::fprintf(stderr,
                 "hone: error: %s did not write Google Benchmark JSON to --benchmark_out (%s); is it a "
                 "Google Benchmark executable?\n",
                 executable.c_str(), parse_error.empty() ? "no output" : parse_error.c_str());
    return std::nullopt;
  }
  if (parsed->benchmarks.empty()) {
    std::fprintf(stderr, "hone: error: %s ran no benchmark (check --benchmark_filter); nothing was stored\n",
                 executable.c_str());
    return std::nullopt;
  }
  return RawResults{std::move(document), std::move(*parsed)};
}

// Adds the "hone" object and replaces the stored file atomically; the exit code for `hone bench run`.
int store_results(const RunOptions& options, const std::string& name, RawResults& raw, const std::string& stored_path) {
  nlohmann::json command = options.command;
  raw.document["hone"] = {{"format", 1},
                          {"name", name},
                          {"command", command},
                          {"repetitions", options.repetitions},
                          {"machine", machine_info()}};
  support::AtomicWriteOptions clean_stale;
  clean_stale.remove_stale_temporaries = true;
  if (std::string write_error = support::write_file_atomically(stored_path, raw.document.dump(2) + "\n", clean_stale);
      !write_error.empty()) {
    std::fprintf(stderr, "hone: error: %s\n", write_error.c_str());
    return support::k_exit_usage;
  }
  const std::size_t count = raw.parsed.benchmarks.size();
  std::printf("stored %s: %zu %s x %d %s in %s\n", name.c_str(), count, count == 1 ? "benchmark" : "benchmarks",
              options.repetitions, options.repetitions == 1 ? "repetition" : "repetitions", stored_path.c_str());
  return 0;
}

}  // namespace

int run_and_store(const RunOptions& options, std::string& stored_path) {
  const std::string& executable = options.command.front();
  const std::string name = options.name.empty() ? std::filesystem::path(executable).filename().string() : options.name;
  if (!valid_store_name(name)) {
    std::fprintf(stderr,
                 "hone: error: '%s' cannot be a stored name: use letters, digits, '.', '_' and '-' "
                 "(not starting with '.'); pass --name NAME\n",
                 name.c_str());
    return support::k_exit_usage;
  }
  if (!create_store(options.store)) return support::k_exit_usage;
  stored_path = stored_path_for(options.store, name);
  // The benchmark writes its raw JSON into a private scratch folder (removed when this function returns,
  // however it returns); the stored file is then replaced atomically, so a reader of the store sees the
  // previous run or this one, and no predictable name in the store can redirect either write.
  support::TemporaryDirectory scratch("hone-bench");
  if (!scratch.ok()) {
    std::fprintf(stderr, "hone: error: %s; set TMPDIR to a folder you can write to\n", scratch.error().c_str());
    return support::k_exit_usage;
  }
  const std::string raw_path = scratch.path() + "/raw.json";
  if (int exit_code = run_repetitions(options, raw_path); exit_code != 0) return exit_code;
  std::optional<RawResults> raw = read_raw_results(raw_path, executable);
  if (!raw) return support::k_exit_failed;
  return store_results(options, name, *raw, stored_path);
}

}  // namespace hone::bench
