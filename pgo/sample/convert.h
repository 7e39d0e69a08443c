// From counted samples (perf_script.h) to a sample profile (sample_profile.h) for a set of binaries:
// the samples of each binary are found by the path perf printed for it (the same file, or, for a
// perf.data recorded on another machine, the same file name), each sampled offset is symbolized once
// (symbolize.h), and its count is added along its inline frames.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pgo/sample/perf_script.h"
#include "pgo/sample/sample_profile.h"

namespace hone::pgo::sample {

struct BinaryCounts {
  std::string binary;
  std::vector<std::string> perf_paths;  // the paths perf printed that were taken as this binary
  uint64_t samples = 0;                 // samples that fell in the binary
  uint64_t attributed = 0;              // ... and had line information
  uint64_t outside_code = 0;            // ... at an offset outside its executable segments
};

struct Conversion {
  std::string error;  // non-empty: a binary could not be read
  std::vector<BinaryCounts> binaries;
};

// True when perf's path for a mapped file names `binary`: the same file, or the same file name.
bool same_binary(const std::string& perf_path, const std::string& binary);

// Adds the samples of `binaries` in `samples` to `profile`.
Conversion convert(const PerfSamples& samples, const std::vector<std::string>& binaries, SampleProfile& profile);

}  // namespace hone::pgo::sample
