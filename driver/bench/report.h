// Rendering a comparison: an aligned terminal table (coloured only when asked or on a TTY),
// Markdown for pull-request comments, or JSON for scripts.
#pragma once

#include <string>

#include "driver/bench/compare.h"

namespace hone::bench {

enum class ReportFormat { text, markdown, json };

struct ReportContext {
  const ResultFile* base = nullptr;
  const ResultFile* current = nullptr;
  double alpha = 0.05;
  bool colour = false;
};

std::string render_report(const CompareResult& result, const ReportContext& context, ReportFormat format);

// "12.3 us": a duration in nanoseconds with a unit that keeps 3-4 significant digits.
std::string format_duration(double nanoseconds);

}  // namespace hone::bench
