// The loop regression_instructions.py runs under callgrind: N calls of record() on the new
// RegressionMonitor or on the issue 8 one (regression_monitor_v1), one thread, one operation, stationary
// values (no callback). usage: regression_record_loop new|v1|empty N
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hone/regression_monitor.h"
#include "regression_monitor_v1.h"

namespace {

double value_at(std::uint32_t& seed) {
  seed = seed * 1664525u + 1013904223u;
  return 100.0 * (0.95 + 0.1 * static_cast<double>(seed >> 8) / static_cast<double>(1u << 24));
}

template <class Monitor> void run(long iterations) {
  Monitor monitor;
  std::uint32_t seed = 1;
  for (long i = 0; i < iterations; ++i) monitor.record("handle_request", value_at(seed));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: regression_record_loop new|v1|empty N\n");
    return 2;
  }
  const long iterations = std::atol(argv[2]);
  if (std::strcmp(argv[1], "new") == 0) {
    run<hone::RegressionMonitor>(iterations);
  } else if (std::strcmp(argv[1], "v1") == 0) {
    run<hone_bench::v1::RegressionMonitor>(iterations);
  } else if (std::strcmp(argv[1], "empty") == 0) {
    std::uint32_t seed = 1;
    volatile double sink = 0;
    for (long i = 0; i < iterations; ++i) sink = value_at(seed);
    static_cast<void>(sink);
  } else {
    std::fprintf(stderr, "regression_record_loop: unknown variant '%s' (new, v1, empty)\n", argv[1]);
    return 2;
  }
  return 0;
}
