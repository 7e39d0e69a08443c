// Folding `perf script` output into weighted call stacks, and the per-function totals read off them.
//
// A folded stack is the flame graph's unit: the frames of one sample from the root (the process
// name) to the leaf, joined by ';', with the summed sample weight (the event's period: nanoseconds
// for cpu-clock, cycles for cycles) of every sample that had exactly that stack. Frame names follow
// the flame graph tools' conventions so the folded file is interchangeable with theirs: kernel frames
// end in "_[k]", inlined ones in "_[i]", and a frame without a symbol is "[module]".
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace hone::profile {

struct StackWeight {
  std::uint64_t weight = 0;   // summed period
  std::uint64_t samples = 0;  // number of samples
};

struct FoldedProfile {
  std::map<std::string, StackWeight> stacks;   // "comm;outer;...;leaf" -> weight (ordered: stable output)
  std::map<std::string, std::string> modules;  // frame name -> the module(s) it came from, ", "-separated
  std::uint64_t samples = 0;
  std::uint64_t total_weight = 0;
  std::vector<std::string> events;  // event names seen, in first-seen order ("cpu-clock", "cycles", ...)
};

// Reads `perf script` output: each sample is a header line (comm, pid[/tid], optional time, period
// and event) followed by one indented line per frame, leaf first ("addr symbol (module)"); or, when
// there is no call chain, one line with the frame after the event. Returns false, with a message
// naming the line, when the text is not perf script output.
bool fold_perf_script(std::istream& in, FoldedProfile& profile, std::string& error);

struct FunctionTime {
  std::string name;
  std::string module;
  std::uint64_t self = 0;   // weight of samples in which it was the leaf
  std::uint64_t total = 0;  // weight of samples in which it was anywhere on the stack (once each)
};

// Every function (frame name) with its self and total weight, sorted by `by_self` ? self : total,
// largest first. The process-name root frames are not functions and are left out.
std::vector<FunctionTime> function_times(const FoldedProfile& profile, bool by_self);

// The folded stacks as text, one "stack weight" line each (the format flamegraph.pl reads).
std::string folded_text(const FoldedProfile& profile);

}  // namespace hone::profile
