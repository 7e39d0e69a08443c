// The text summary `hone profile` prints: what was sampled, then the top functions by self time and
// by total time, with their share of all samples (and the time itself when the event counts time).
#pragma once

#include "driver/profile/stack_folding.h"

#include <string>

namespace hone::profile {

struct SummaryOptions {
  std::size_t top = 15;
  bool weight_is_ns = false;  // cpu-clock / task-clock: the period is nanoseconds of CPU time
};

std::string format_summary(const FoldedProfile& profile, const SummaryOptions& options);

}  // namespace hone::profile
