// Reading the samples of a perf.data file through `perf script`, as counts per file offset of each
// binary. perf.data itself is a moving target (record layouts by sample_type, attribute sections,
// compression, pipe mode, feature headers that change between kernel releases); `perf script` reads
// every version the installed perf wrote, so hone reads its text instead:
//
//   perf script --show-mmap-events --show-task-events -F ip,pid,dso
//
// prints each executable mapping (PERF_RECORD_MMAP/MMAP2: start, length, file offset, path), each
// fork and exec, and one line per sample: process id, instruction address, binary. A sample's address
// is a run-time address that address-space randomisation moves per process, so it is turned into an
// offset in the binary's file with the mapping of that process that contains it (inherited on fork,
// dropped on exec); the ELF program headers turn that offset into a link-time address (symbolize.h).
// Samples are counted per (binary, file offset): plain IP samples (cpu-clock or cycles, no branch
// stacks) carry nothing else a profile can use.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hone::pgo::sample {

struct Mapping {
  uint64_t start = 0;   // run-time address of the first byte
  uint64_t length = 0;  // bytes
  uint64_t offset = 0;  // file offset of the first byte
  std::string path;     // as perf printed it
};

struct PerfSamples {
  // path (as perf printed it) -> file offset -> samples
  std::map<std::string, std::map<uint64_t, uint64_t>> offsets;
  uint64_t samples = 0;    // every sample line read
  uint64_t kernel = 0;     // samples in the kernel (no binary of the user's)
  uint64_t unmapped = 0;   // user samples whose process had no mapping covering the address
  uint64_t bad_lines = 0;  // lines that looked like samples or mappings but did not parse
  std::string first_bad_line;
};

// Consumes the output of the perf script command above one line at a time.
class PerfScriptReader {
public:
  void line(std::string_view text);
  const PerfSamples& samples() const { return samples_; }

private:
  void add_mapping(uint64_t pid, std::string_view text);
  void add_sample(uint64_t pid, std::string_view text);
  void bad();  // counts a line that did not parse; keeps the first whole line

  std::string_view current_line_;  // the line being read, for bad()

  std::map<uint64_t, std::vector<Mapping>> mappings_;  // per process id
  PerfSamples samples_;
};

// The arguments of `perf script` that produce what PerfScriptReader reads (after the perf program).
std::vector<std::string> perf_script_arguments(const std::string& perf_data);

}  // namespace hone::pgo::sample
