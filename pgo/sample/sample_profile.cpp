// Building and writing the sample profile of sample_profile.h. Samples are added along the inline
// chain from the outermost frame inwards: every function on the way gets the count in its total, the
// call-site record of each inlined call selects the next level, and the innermost level gets the count
// on the line that was sampled.
#include "pgo/sample/sample_profile.h"

#include <algorithm>

namespace hone::pgo::sample {

namespace {

std::string location_text(const LineLocation& location) {
  std::string text = std::to_string(location.offset);
  if (location.discriminator != 0) text += "." + std::to_string(location.discriminator);
  return text;
}

void write_body(const FunctionSamples& function, int depth, std::string& out) {
  const std::string indent(static_cast<size_t>(depth), ' ');
  // Body records and call sites in line order, as the compiler's own writer lists them.
  for (const auto& [location, count] : function.body)
    out += indent + location_text(location) + ": " + std::to_string(count) + "\n";
  for (const auto& [location, callees] : function.inlined)
    for (const auto& [name, callee] : callees) {
      out += indent + location_text(location) + ": " + name + ":" + std::to_string(callee.total) + "\n";
      write_body(callee, depth + 1, out);
    }
}

}  // namespace

LineLocation line_location(uint32_t line, uint32_t start_line, uint32_t discriminator) {
  // As the compiler does (FunctionSamples::getOffset): the difference in 16 bits, wrapping when the
  // line lies above the function's first line (code from a macro or an included file).
  return {(line - start_line) & 0xffffu, discriminator};
}

void SampleProfile::add(const std::vector<Frame>& frames, uint64_t count) {
  if (frames.empty() || count == 0) {
    unattributed_ += count;
    return;
  }
  attributed_ += count;
  const Frame& outer = frames.back();
  FunctionSamples* level = &functions_[outer.function];
  level->name = outer.function;
  for (size_t i = frames.size() - 1; i > 0; --i) {
    level->total += count;
    const Frame& caller = frames[i];
    const Frame& callee = frames[i - 1];
    FunctionSamples& next =
        level->inlined[line_location(caller.line, caller.start_line, caller.discriminator)][callee.function];
    next.name = callee.function;
    level = &next;
  }
  level->total += count;
  const Frame& inner = frames.front();
  level->body[line_location(inner.line, inner.start_line, inner.discriminator)] += count;
}

void SampleProfile::estimate_head_samples() {
  for (auto& [name, function] : functions_) {
    // The lowest line offset with samples of the function's own code; the inlined calls' totals only
    // when the function has no own samples at all (a wrapper whose body is all inlined code).
    function.head = 0;
    if (!function.body.empty()) {
      function.head = function.body.begin()->second;
    } else if (!function.inlined.empty()) {
      for (const auto& [callee_name, callee] : function.inlined.begin()->second)
        function.head = std::max(function.head, callee.body.empty() ? uint64_t{0} : callee.body.begin()->second);
    }
  }
}

std::string SampleProfile::text() const {
  std::vector<const FunctionSamples*> order;
  for (const auto& [name, function] : functions_) order.push_back(&function);
  // Hottest first, then by name: std::sort with a total order, not std::stable_sort, whose libstdc++ 12
  // implementation uses the deprecated std::get_temporary_buffer (an error for clang 19 with -Werror).
  std::sort(order.begin(), order.end(), [](const FunctionSamples* a, const FunctionSamples* b) {
    return a->total != b->total ? a->total > b->total : a->name < b->name;
  });
  std::string out;
  for (const FunctionSamples* function : order) {
    out += function->name + ":" + std::to_string(function->total) + ":" + std::to_string(function->head) + "\n";
    write_body(*function, 1, out);
  }
  return out;
}

}  // namespace hone::pgo::sample
