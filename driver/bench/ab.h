// `hone bench ab BASE NEW`: runs two Google Benchmark executables interleaved and collects every
// repetition of each into one result, which `hone bench compare`'s statistics and gate then judge.
//
// Two `hone bench run`s a minute apart measure the machine twice as much as the code: a build starting
// on the other core, a turbo budget running out or a thermal ramp moves every repetition of the second
// run the same way, and the U test (rightly) calls that a significant change. Interleaving spreads any
// such drift over both sides: each round runs BASE and NEW back to back, and the order alternates from
// round to round (BASE NEW, NEW BASE, BASE NEW, ...), so neither side is systematically first (cold) or
// second (after the other warmed a shared cache or the frequency). Warm-up rounds, run first in the same
// alternating order, are thrown away: they pay for page faults, file caches and frequency ramp-up.
#pragma once

#include <string>
#include <vector>

#include "driver/bench/results.h"

namespace hone::bench {

enum class AbSide { base, current };

// One execution of a benchmark executable in an A/B run.
struct AbStep {
  AbSide side = AbSide::base;
  bool warmup = false;  // thrown away
  int round = 0;        // 0-based within warm-up rounds or within measured rounds
};

// The order of executions: `warmup` rounds, then `rounds` measured ones, each one BASE and one NEW, with
// BASE first in even rounds and NEW first in odd ones (warm-up and measured rounds counted separately,
// so the measured rounds always start with BASE and, for an even count, are perfectly balanced).
std::vector<AbStep> ab_schedule(int rounds, int warmup);

// Appends one execution's repetitions to the samples collected so far (an error in any execution marks
// the benchmark as having one; the time unit is the one last seen).
void append_samples(ResultFile& into, const ResultFile& execution);

struct AbOptions {
  std::string base_executable;
  std::string new_executable;
  std::vector<std::string> arguments;  // passed to both, before hone's own --benchmark_* flags
  int rounds = 10;
  int warmup = 1;
  int repetitions = 1;  // Google Benchmark repetitions per execution
  TimeMetric metric = TimeMetric::real_time;
  bool progress = true;  // one line per round on stderr
};

struct AbSamples {
  ResultFile base;
  ResultFile current;
};

// Runs the schedule. 0 with `samples` filled, else the exit code for `hone bench ab` after the message
// (2: an executable cannot be started; 1: it failed or wrote no Google Benchmark JSON; 130: interrupted).
int run_ab(const AbOptions& options, AbSamples& samples);

}  // namespace hone::bench
