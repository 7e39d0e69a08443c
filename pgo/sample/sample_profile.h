// LLVM's sample profile, built from symbolized samples and written in its text format (the input
// `llvm-profdata merge --sample` reads and `-fprofile-sample-use` consumes, docs: llvm.org
// "SampleProfile text format"). A profile is a set of top-level functions; each has
//
//   NAME:TOTAL:HEAD
//    LINE_OFFSET[.DISCRIMINATOR]: SAMPLES            samples of the function's own code at that line
//    LINE_OFFSET[.DISCRIMINATOR]: CALLEE:TOTAL       a call site whose callee was inlined there,
//     LINE_OFFSET[.DISCRIMINATOR]: SAMPLES           followed by the callee's own records, one space deeper
//
// A line offset counts from the function's first line (its DW_AT_decl_line), so a profile survives
// edits above the function; the discriminator tells apart the basic blocks that share one line. Both
// are exactly what the compiler computes again when it reads the profile (the offset masked to 16
// bits, the base discriminator), else the samples would land nowhere.
//
// An address that was sampled is described by its inline frames, innermost first: the innermost
// frame's line is where the sample hit, each outer frame's line is the call site where the frame
// inside it was inlined. The outermost frame is the top-level function that holds the address.
//
// Head samples (how often the function was entered) cannot be seen without branch records; they are
// estimated as the samples at the function's lowest sampled line offset, the code that runs once per
// call in most functions (its prologue and first statements). The estimate matters little: the
// compiler's sample loader uses body samples for block weights and the totals for inlining; the
// head count only seeds the entry count of functions it did not inline.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hone::pgo::sample {

// One symbolized frame of a sampled address, from DWARF (symbolize.h).
struct Frame {
  std::string function;        // linkage name (mangled for C++), as the compiler names the function
  uint32_t line = 0;           // the sample's line (innermost frame) or the inlined call's line
  uint32_t start_line = 0;     // the function's first line
  uint32_t discriminator = 0;  // base discriminator (already decoded)
};

struct LineLocation {
  uint32_t offset = 0;
  uint32_t discriminator = 0;
  auto operator<=>(const LineLocation&) const = default;
};

struct FunctionSamples {
  std::string name;
  uint64_t total = 0;  // body samples plus every inlined callee's total
  uint64_t head = 0;   // top-level functions only
  std::map<LineLocation, uint64_t> body;
  std::map<LineLocation, std::map<std::string, FunctionSamples>> inlined;  // call site -> callee -> samples
};

// The line offset the compiler computes for `line` in a function starting at `start_line`.
LineLocation line_location(uint32_t line, uint32_t start_line, uint32_t discriminator);

class SampleProfile {
public:
  // Adds `count` samples of an address whose inline frames are `frames` (innermost first). An empty
  // frame list (no debug information) is ignored and counted in unattributed().
  void add(const std::vector<Frame>& frames, uint64_t count);
  // Sets every top-level function's head samples (the estimate described above).
  void estimate_head_samples();
  // The text format, functions by decreasing total (ties by name), so the output is deterministic.
  std::string text() const;

  const std::map<std::string, FunctionSamples>& functions() const { return functions_; }
  uint64_t attributed() const { return attributed_; }
  uint64_t unattributed() const { return unattributed_; }

private:
  std::map<std::string, FunctionSamples> functions_;
  uint64_t attributed_ = 0;
  uint64_t unattributed_ = 0;
};

}  // namespace hone::pgo::sample
