// The loop measured by zone_instructions.py: `zone_cost_loop <mode> <iterations>` runs one kind of
// timed region that many times, so callgrind's instruction count of two runs with different
// iteration counts gives the exact number of instructions one iteration costs (start-up cancels out).
//
// Modes: empty (the loop alone), rdtsc (a bare pair of __rdtsc reads), steady (a bare pair of
// std::chrono::steady_clock::now() calls), enabled / nested (an HONE_ZONE with recording on, at the
// top level or inside an open zone), disabled (an HONE_ZONE switched off with set_enabled(false)),
// dynamic (an HONE_ZONE_DYNAMIC whose name is a std::string built outside the loop: the interning
// lookup on top of a zone).
// Instruction counts are what callgrind can give exactly on a noisy VM; the nanoseconds come from
// profiling_bench (Google Benchmark), which measures the same regions.
#include "hone/profiling.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace {

// Keeps the compiler from deleting or merging loop iterations.
template <typename T> void keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

__attribute__((noinline)) void run(const char* mode, long iterations) {
  if (std::strcmp(mode, "empty") == 0) {
    for (long i = 0; i < iterations; ++i) keep(i);
  } else if (std::strcmp(mode, "steady") == 0) {
    for (long i = 0; i < iterations; ++i) {
      const auto start = std::chrono::steady_clock::now();
      const auto stop = std::chrono::steady_clock::now();
      keep(start);
      keep(stop);
    }
#if defined(__x86_64__)
  } else if (std::strcmp(mode, "rdtsc") == 0) {
    for (long i = 0; i < iterations; ++i) {
      const auto start = __rdtsc();
      const auto stop = __rdtsc();
      keep(start);
      keep(stop);
    }
#endif
  } else if (std::strcmp(mode, "enabled") == 0 || std::strcmp(mode, "disabled") == 0) {
    hone::profiling::set_enabled(std::strcmp(mode, "enabled") == 0);
    for (long i = 0; i < iterations; ++i) {
      HONE_ZONE("loop");
      keep(i);
    }
  } else if (std::strcmp(mode, "dynamic") == 0) {
    const std::string name = "request get";
    for (long i = 0; i < iterations; ++i) {
      HONE_ZONE_DYNAMIC(name);
      keep(i);
    }
  } else if (std::strcmp(mode, "nested") == 0) {
    HONE_ZONE("parent");
    for (long i = 0; i < iterations; ++i) {
      HONE_ZONE("child");
      keep(i);
    }
  } else {
    std::fprintf(stderr, "zone_cost_loop: error: unknown mode '%s'\n", mode);
    std::exit(2);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: zone_cost_loop empty|rdtsc|steady|enabled|nested|disabled|dynamic <iterations>\n");
    return 2;
  }
  // Enter and leave every path once, so first-use work (site registration, the thread's state) is in
  // both runs of the script and cancels out.
  run(argv[1], 1);
  run(argv[1], std::atol(argv[2]));
  return 0;
}
