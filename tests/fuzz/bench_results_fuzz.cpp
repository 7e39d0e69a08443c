// Fuzz target: Google Benchmark JSON (driver/bench/results.h) and the comparison built on it
// (driver/bench/compare.h).
//
// The input is the file's text, parsed with both time metrics. Properties: parse_results never throws
// (a bad file is an error message naming the file, exit 2 in hone bench); every accepted sample is a
// finite time of at least zero nanoseconds (issue 11 item 15: negative times were compared as a -200 %
// "improvement"); comparing an accepted file with itself never reports a regression or an improvement.
#include <cmath>
#include <string>

#include "driver/bench/compare.h"
#include "driver/bench/results.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hone::bench;
  const std::string text(hone::fuzz::as_text(data, size));
  for (TimeMetric metric : {TimeMetric::real_time, TimeMetric::cpu_time}) {
    std::string error;
    std::optional<ResultFile> file = parse_results(text, "fuzz.json", metric, error);
    if (!file) {
      if (error.rfind("fuzz.json", 0) != 0) hone::fuzz::property_failed("a parse error that does not name the file");
      continue;
    }
    for (const auto& [name, samples] : file->benchmarks)
      for (double nanoseconds : samples.nanoseconds)
        if (!std::isfinite(nanoseconds) || nanoseconds < 0)
          hone::fuzz::property_failed("an accepted time that is negative or not finite");
    CompareOptions options;
    CompareResult result = compare_results(*file, *file, options);
    if (result.regressions != 0 || result.improvements != 0)
      hone::fuzz::property_failed("a file compared with itself shows a change");
  }
  return 0;
}
