// The statistics behind verify's claims. Timings on a shared machine are skewed by outliers, so the
// centre is the median and the spread the median absolute deviation; a speedup is the ratio of the
// baseline's median to the variant's, and its 95% confidence interval comes from a bootstrap
// (resampling both sets of runs) with a fixed seed, so the same measurements always give the same
// verdict. A variant is "faster" only when the whole interval is above 1, "slower" when it is below.
#pragma once

#include <string>
#include <vector>

#include "hone/stats.h"

namespace hone::pgo {

// The median is the runtime's (hone/stats.h), so verify, `hone bench` and hone::RegressionMonitor agree
// on it: the mean of the two middle values for an even count, and NaN for an empty sample, which has no
// median (verify never asks: it measures at least 2 runs of each variant).
using hone::stats::median;

// The median of the distances from the median; NaN for an empty sample.
double median_absolute_deviation(const std::vector<double>& values);

struct SpeedupEstimate {
  double speedup = 1;  // median(baseline) / median(variant): > 1 means the variant is faster
  double low = 1;      // 95% confidence interval
  double high = 1;
  std::string verdict;  // "faster", "slower" or "not significant"
};

SpeedupEstimate estimate_speedup(const std::vector<double>& baseline, const std::vector<double>& variant,
                                 int resamples = 2000);

// The paired estimate verify uses: baseline[i] and variant[i] ran in the same round, next to each
// other, so a burst of load on a shared machine slows both. The speedup is the median of the per-round
// ratios baseline[i] / variant[i], and its interval comes from resampling whole rounds, so the spread
// between rounds (which the pairing cancels) does not widen it. Uses the first min(sizes) rounds.
SpeedupEstimate estimate_paired_speedup(const std::vector<double>& baseline, const std::vector<double>& variant,
                                        int resamples = 2000);

// Which time verify decides on. Wall time is what users feel, but on a loaded machine a process also
// waits for a CPU, and that wait, not the program, dominates: when the median wall time is more than
// `threshold` times the median CPU time (user + system), CPU time decides. A program that sleeps or
// waits for I/O also has wall well above CPU; CPU time then still measures the code PGO changed.
enum class TimeMetric { wall, cpu };
TimeMetric choose_time_metric(const std::vector<double>& wall, const std::vector<double>& cpu, double threshold = 1.25);

}  // namespace hone::pgo
