// A simulated Google Benchmark executable on a machine whose speed drifts, for the `hone bench ab` tests.
//
// Real timings on a shared machine cannot show a false alarm on demand, so this program models the
// cause the issue describes (two sequential runs a minute apart on an unchanged program flagged +22 %
// and +31 %): the machine gets slower as time passes. "Time" is a counter in the file $DRIFT_CLOCK,
// advanced by one per repetition across every execution, and each repetition reports
//
//   1000 ns * $WORK_FACTOR * (1 + $DRIFT_PER_REPETITION * clock) * exp(0.02 * N(0, 1))
//
// with the noise drawn from a generator seeded by $DRIFT_SEED and the clock, so a run is reproducible.
// It writes Google Benchmark's JSON (one benchmark, BM_Work, one entry per repetition) to the file
// --benchmark_out names and appends its own file name to $DRIFT_LOG, which shows the order of runs.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// splitmix64: a small, well-mixed generator; enough for reproducible noise.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double uniform(std::uint64_t key) {
  return (static_cast<double>(mix(key) >> 11) + 0.5) / 9007199254740992.0;
}

double standard_normal(std::uint64_t key) {
  const double pi = 3.14159265358979323846;
  return std::sqrt(-2.0 * std::log(uniform(key))) * std::cos(2.0 * pi * uniform(key ^ 0x5555555555555555ULL));
}

double env_number(const char* name, double fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::atof(text) : fallback;
}

long read_clock(const char* path) {
  long clock = 0;
  if (FILE* in = std::fopen(path, "r")) {
    if (std::fscanf(in, "%ld", &clock) != 1) clock = 0;
    std::fclose(in);
  }
  return clock;
}

}  // namespace

int main(int argc, char** argv) {
  int repetitions = 1;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--benchmark_repetitions=", 24) == 0) repetitions = std::atoi(argv[i] + 24);
    if (std::strncmp(argv[i], "--benchmark_out=", 16) == 0) out_path = argv[i] + 16;
  }
  const char* clock_path = std::getenv("DRIFT_CLOCK");
  if (!clock_path || out_path.empty()) {
    std::fprintf(stderr, "drift_bench: needs DRIFT_CLOCK and --benchmark_out=FILE\n");
    return 2;
  }
  if (const char* log_path = std::getenv("DRIFT_LOG")) {
    if (FILE* log = std::fopen(log_path, "a")) {
      const char* slash = std::strrchr(argv[0], '/');
      std::fprintf(log, "%s\n", slash ? slash + 1 : argv[0]);
      std::fclose(log);
    }
  }
  const double factor = env_number("WORK_FACTOR", 1.0);
  const double drift = env_number("DRIFT_PER_REPETITION", 0.01);
  const auto seed = static_cast<std::uint64_t>(env_number("DRIFT_SEED", 1));
  long clock = read_clock(clock_path);
  FILE* out = std::fopen(out_path.c_str(), "w");
  if (!out) return 1;
  std::fprintf(out, "{\"context\": {\"library_build_type\": \"release\"}, \"benchmarks\": [\n");
  for (int r = 0; r < repetitions; ++r, ++clock) {
    const double noise = std::exp(0.02 * standard_normal(mix(seed) ^ static_cast<std::uint64_t>(clock)));
    const double time = 1000.0 * factor * (1.0 + drift * static_cast<double>(clock)) * noise;
    std::fprintf(out,
                 "%s{\"name\": \"BM_Work\", \"run_name\": \"BM_Work\", \"run_type\": \"iteration\", "
                 "\"repetitions\": %d, \"repetition_index\": %d, \"iterations\": 1000, \"real_time\": %.3f, "
                 "\"cpu_time\": %.3f, \"time_unit\": \"ns\"}\n",
                 r == 0 ? "" : ",", repetitions, r, time, time);
  }
  std::fprintf(out, "]}\n");
  std::fclose(out);
  if (FILE* update = std::fopen(clock_path, "w")) {
    std::fprintf(update, "%ld\n", clock);
    std::fclose(update);
  }
  return 0;
}
