// The charts of `hone report`, drawn as inline SVG text (no script, no library): an interval chart
// (point estimate with confidence whiskers against a reference line), a bar chart, a strip chart of
// two samples, and a record drawn to scale by cache line. Each function returns one <svg> element;
// labels are escaped here, so callers pass raw input strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hone::report {

// How a result reads: drawn green, red or grey.
enum class Tone { good, bad, neutral };

// "good", "bad", "neutral": the CSS class of a tone.
const char* tone_class(Tone tone);

// One row of an interval chart: `value` with the interval [low, high].
struct Interval {
  std::string label;
  double value = 1.0;
  double low = 1.0;
  double high = 1.0;
  Tone tone = Tone::neutral;
};

// Rows on one horizontal axis with a dashed line at `reference` (1.00x for speedups); ticks read
// "<number><unit>".
std::string interval_chart(const std::vector<Interval>& rows, double reference, const std::string& unit);

struct Bar {
  std::string label;
  double value = 0;
  std::string value_text;  // printed after the bar
  std::string tooltip;
};

std::string bar_chart(const std::vector<Bar>& bars);

// Two samples (e.g. benchmark repetitions in ns) as dots on one axis, each with its median marked.
std::string strip_chart(const std::vector<double>& base, const std::vector<double>& current, Tone tone);

// A piece of a record: a member, a base, the vtable pointer, or padding.
struct Block {
  enum class Kind { item, hole, tail };
  Kind kind = Kind::item;
  std::string label;    // drawn inside when it fits
  std::string tooltip;  // the full description
  std::uint64_t offset_bits = 0;
  std::uint64_t size_bits = 0;
};

// The record as rows of `cacheline` bytes, to scale (8 px per byte), blocks split where they cross a
// line; at most `max_lines` rows are drawn, the rest is counted in a last line of text.
std::string cacheline_diagram(const std::vector<Block>& blocks, std::uint64_t size_bytes, std::uint64_t cacheline,
                              std::uint64_t max_lines = 32);

}  // namespace hone::report
