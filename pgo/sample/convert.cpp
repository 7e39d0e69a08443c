// convert.h's loop. Matching by file name as well as by path is what makes a perf.data from another
// machine (or another folder) usable; that the file is the same build is hone-sample-profile's check
// of the build IDs perf recorded, before this runs.
#include "pgo/sample/convert.h"

#include <filesystem>

#include "pgo/sample/symbolize.h"

namespace hone::pgo::sample {

namespace fs = std::filesystem;

bool same_binary(const std::string& perf_path, const std::string& binary) {
  if (perf_path == binary) return true;
  std::error_code error;
  if (fs::exists(perf_path, error) && fs::equivalent(perf_path, binary, error)) return true;
  // A path that is gone or elsewhere: the file name decides (" (deleted)" is how the kernel marks a
  // mapped file replaced since).
  std::string name = fs::path(perf_path).filename().string();
  if (name.ends_with(" (deleted)")) name.resize(name.size() - 10);
  return name == fs::path(binary).filename().string();
}

Conversion convert(const PerfSamples& samples, const std::vector<std::string>& binaries, SampleProfile& profile) {
  Conversion conversion;
  for (const std::string& binary : binaries) {
    BinarySymbolizer symbolizer(binary);
    if (!symbolizer.error().empty()) {
      conversion.error = symbolizer.error();
      return conversion;
    }
    BinaryCounts counts;
    counts.binary = binary;
    for (const auto& [perf_path, offsets] : samples.offsets) {
      if (!same_binary(perf_path, binary)) continue;
      counts.perf_paths.push_back(perf_path);
      for (const auto& [offset, count] : offsets) {
        counts.samples += count;
        std::optional<uint64_t> address = symbolizer.address_of_offset(offset);
        if (!address) {
          counts.outside_code += count;
          continue;
        }
        std::vector<Frame> frames = symbolizer.frames(*address);
        if (!frames.empty()) counts.attributed += count;
        profile.add(frames, count);
      }
    }
    conversion.binaries.push_back(std::move(counts));
  }
  profile.estimate_head_samples();
  return conversion;
}

}  // namespace hone::pgo::sample
