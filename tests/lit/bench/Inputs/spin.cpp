// A tiny Google Benchmark executable for the `hone bench` tests. BM_Spin's work is multiplied by
// the SPIN_FACTOR environment variable, so a test can make a real, measurable regression; BM_Steady
// never changes. FAIL_BENCH=1 makes the executable fail like a broken benchmark; INTERRUPT_BENCH=1
// makes it die of SIGINT, as if the user pressed Ctrl-C.
#include <benchmark/benchmark.h>
#include <csignal>
#include <cstdlib>

static long work_for(double factor) { return static_cast<long>(20000 * factor); }

static void BM_Spin(benchmark::State& state) {
  const char* factor = std::getenv("SPIN_FACTOR");
  const long n = work_for(factor ? std::atof(factor) : 1.0);
  for (auto _ : state) {
    long sum = 0;
    for (long i = 0; i < n; ++i) benchmark::DoNotOptimize(sum += i);
  }
}
BENCHMARK(BM_Spin);

static void BM_Steady(benchmark::State& state) {
  for (auto _ : state) {
    long sum = 0;
    for (long i = 0; i < 20000; ++i) benchmark::DoNotOptimize(sum += i);
  }
}
BENCHMARK(BM_Steady);

int main(int argc, char** argv) {
  if (std::getenv("FAIL_BENCH")) return 3;
  if (std::getenv("INTERRUPT_BENCH")) {
    std::signal(SIGINT, SIG_DFL);  // a test runner may start us with SIGINT ignored
    std::raise(SIGINT);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
