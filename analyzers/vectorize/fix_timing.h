// --try-fixes: timing a fix that forces vectorization, and measuring how much a fix that reorders
// floating-point operations changes the results, in a benchmark hone generates for the loop's function.
//
// A fix that vectorizes only because a pragma overrides the cost model (or that reorders floating-point
// operations by pragma) says nothing about speed: LLVM's cost model predicted a loss for the first kind,
// and on a loop-benchmark suite 5 of 21 such loops ran 0.40-0.68x as fast. So hone times it: the TU is
// compiled twice, as it is and with the fix, each time with a few functions appended that call the
// loop's function with made-up arguments (every pointer to numbers gets an array of
// k_timing_elements elements holding small positive values, every integer parameter that count, every
// floating-point parameter 1.5, any other pointer a zeroed buffer). Each copy is linked with a small
// driver (the TU's own main renamed, unused code dropped, symbols from the rest of the project left
// unresolved) and run in turn, ABBA order, k_timing_rounds times; a run reports the fastest of its
// batches of calls. The speedup is the median of the rounds' ratios (time as it is / time with the
// fix), the spread their smallest and largest.
//
// What it cannot do is said, not guessed: a function hone cannot call (a member, a template, a
// parameter of another type), a copy that does not compile or link (it needs other parts of the
// project), a run that crashes (the made-up arguments do not fit the function) or outlasts --timeout.
// The same two programs, given --values, call the function once and write every value it may have
// changed (its return value if a number, every array it got) as doubles: a floating-point fix reports
// the largest relative difference between the two, and where, instead of "changes by rounding".
//
// The arguments are not the program's own data: the figure says how the loop compares on arrays of
// k_timing_elements small values, which the report states with it. A call that takes under
// k_timing_shortest_ns is not timed: the loop barely ran, so the figure would say nothing about it.
#pragma once

#include "fix_check.h"

#include "loop_finder.h"

#include <string>

namespace hone::vec {

constexpr unsigned k_timing_elements = 4096;
constexpr unsigned k_timing_rounds = 5;
// A call of the function as it is that takes less is not timed: the loop hardly runs, or not at all,
// with the made-up arguments (a bound read from a global the program sets, a short fixed trip count).
constexpr double k_timing_shortest_ns = 500;
// Faster means at least this ratio in every round: a few percent is within one run's noise.
constexpr double k_timing_faster = 1.03;

// The code appended to the TU: hone_vec_timing_setup() fills the arguments, hone_vec_timing_call()
// calls the function once. Empty (with `why`) when the loop's function cannot be called.
std::string timing_appendix(const LoopInfo& loop, std::string& why);

struct FixMeasurement {
  FixTiming timing;               // when asked to time
  FixResultChange result_change;  // when asked to compare
};

// Builds the two programs of `fix` in `scratch` (an existing folder) and, as asked, times them against
// each other and compares the values one call leaves (its return value and every array it was given,
// read back as doubles).
FixMeasurement measure_fix(const FixTarget& target, const Fix& fix, const std::string& scratch, bool time,
                           bool compare);

}  // namespace hone::vec
