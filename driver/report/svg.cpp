// Inline SVG charts (see svg.h). Geometry is computed here in plain numbers and written with one or two
// decimals; every label goes through escape(), which is also valid XML escaping. Colours of record
// members are a hash of the member's name, so the same field keeps its colour in the before and after
// drawings of a record; padding is always the same red. No element carries an id (gradients or patterns
// would need one, and ids would clash between the many SVGs of one page).
#include "driver/report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "driver/report/html.h"

namespace hone::report {
namespace {

constexpr double k_label_width = 220;
constexpr double k_plot_width = 460;
constexpr double k_value_width = 170;
constexpr double k_row_height = 22;
constexpr double k_axis_height = 24;

std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

const char* tone_colour(Tone tone) {
  switch (tone) {
    case Tone::good: return "#1a7f37";
    case Tone::bad: return "#c62828";
    case Tone::neutral: break;
  }
  return "#6b7780";
}

// A linear map from [low, high] to [left, left + width].
struct Scale {
  double low = 0;
  double high = 1;
  double left = 0;
  double width = 1;
  double x(double value) const { return left + (value - low) / (high - low) * width; }
};

// Widens [low, high] a little and to a span that is never zero.
Scale padded_scale(double low, double high, double left, double width) {
  if (!(high > low)) {
    double centre = std::isfinite(low) ? low : 0;
    low = centre - (centre == 0 ? 1 : std::fabs(centre) * 0.05);
    high = centre + (centre == 0 ? 1 : std::fabs(centre) * 0.05);
  }
  double margin = (high - low) * 0.06;
  // Times and ratios are never negative: an axis that starts below zero would only mislead.
  return {low >= 0 ? std::max(0.0, low - margin) : low - margin, high + margin, left, width};
}

// Five ticks across the scale, labelled with `digits` decimals.
std::string axis(const Scale& scale, double y, const std::string& unit, int digits) {
  std::string out = "<line x1=\"" + num(scale.left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(scale.left + scale.width) +
                    "\" y2=\"" + num(y) + "\" stroke=\"#9aa5ad\"/>";
  for (int i = 0; i <= 4; ++i) {
    double value = scale.low + (scale.high - scale.low) * i / 4.0;
    double x = scale.x(value);
    out += "<line x1=\"" + num(x) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x) + "\" y2=\"" + num(y + 4) +
           "\" stroke=\"#9aa5ad\"/><text x=\"" + num(x) + "\" y=\"" + num(y + 16) + "\" text-anchor=\"middle\">" +
           escape(fixed(value, digits) + unit) + "</text>";
  }
  return out;
}

// Digits that tell five ticks over this span apart.
int digits_for(double span) {
  if (span >= 50) return 0;
  if (span >= 5) return 1;
  if (span >= 0.5) return 2;
  return 3;
}

std::string svg_open(double width, double height, const std::string& label) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" role=\"img\" aria-label=\"" + escape(label) + "\">";
}

// FNV-1a of the name picks one of twelve pastels that are easy to tell apart (a hue wheel would put
// neighbouring members in near-identical greens): stable across runs and drawings.
const char* colour_of(const std::string& name) {
  static constexpr const char* k_palette[] = {"#9ecae9", "#a1d99b", "#fdd0a2", "#c6b5e0", "#f7c6dc", "#b8e0d2",
                                              "#e6d59a", "#c9d3dd", "#f2b8a2", "#b5cf6b", "#9fd3e0", "#dcb5a0"};
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : name) hash = (hash ^ c) * 16777619u;
  return k_palette[hash % std::size(k_palette)];
}

// A label cut to what fits in `width` pixels at ~6.2 px per glyph, or "" when not even 2 glyphs fit.
std::string fitted(const std::string& label, double width) {
  auto glyphs = static_cast<std::size_t>(std::max(0.0, (width - 4) / 6.2));
  if (glyphs < 2) return "";
  if (label.size() <= glyphs) return label;
  return label.substr(0, glyphs - 1) + "\xE2\x80\xA6";  // an ellipsis
}

}  // namespace

const char* tone_class(Tone tone) {
  switch (tone) {
    case Tone::good: return "good";
    case Tone::bad: return "bad";
    case Tone::neutral: break;
  }
  return "neutral";
}

std::string interval_chart(const std::vector<Interval>& rows, double reference, const std::string& unit) {
  double low = reference;
  double high = reference;
  for (const Interval& row : rows) {
    for (double v : {row.value, row.low, row.high}) {
      if (!std::isfinite(v)) continue;
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  Scale scale = padded_scale(low, high, k_label_width, k_plot_width);
  double height = static_cast<double>(rows.size()) * k_row_height + k_axis_height + 8;
  std::string out = svg_open(k_label_width + k_plot_width + k_value_width, height, "interval chart");
  double plot_bottom = static_cast<double>(rows.size()) * k_row_height + 4;
  out += "<line x1=\"" + num(scale.x(reference)) + "\" y1=\"0\" x2=\"" + num(scale.x(reference)) + "\" y2=\"" +
         num(plot_bottom) + "\" stroke=\"#5f6b73\" stroke-dasharray=\"4 3\"/>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Interval& row = rows[i];
    double y = static_cast<double>(i) * k_row_height + k_row_height / 2 + 2;
    const char* colour = tone_colour(row.tone);
    out += "<g class=\"row\"><title>" +
           escape(row.label + ": " + fixed(row.value, 3) + unit + " [" + fixed(row.low, 3) + unit + ", " +
                  fixed(row.high, 3) + unit + "]") +
           "</title>";
    out += "<text x=\"" + num(k_label_width - 8) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
           escape(fitted(row.label, k_label_width - 8)) + "</text>";
    if (std::isfinite(row.low) && std::isfinite(row.high)) {
      out += "<line x1=\"" + num(scale.x(row.low)) + "\" y1=\"" + num(y) + "\" x2=\"" + num(scale.x(row.high)) +
             "\" y2=\"" + num(y) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>";
      for (double end : {row.low, row.high})
        out += "<line x1=\"" + num(scale.x(end)) + "\" y1=\"" + num(y - 5) + "\" x2=\"" + num(scale.x(end)) +
               "\" y2=\"" + num(y + 5) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"/>";
    }
    if (std::isfinite(row.value))
      out += "<circle cx=\"" + num(scale.x(row.value)) + "\" cy=\"" + num(y) + "\" r=\"4.5\" fill=\"" + colour + "\"/>";
    out += "<text x=\"" + num(k_label_width + k_plot_width + 10) + "\" y=\"" + num(y + 4) + "\">" +
           escape(fixed(row.value, 2) + unit + " [" + fixed(row.low, 2) + ", " + fixed(row.high, 2) + "]") +
           "</text></g>";
  }
  out += axis(scale, plot_bottom + 2, unit, digits_for(scale.high - scale.low));
  return out + "</svg>";
}

std::string bar_chart(const std::vector<Bar>& bars) {
  double largest = 0;
  for (const Bar& bar : bars)
    if (std::isfinite(bar.value)) largest = std::max(largest, bar.value);
  if (largest <= 0) largest = 1;
  double height = static_cast<double>(bars.size()) * k_row_height + 4;
  std::string out = svg_open(k_label_width + k_plot_width + k_value_width, height, "bar chart");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = bars[i];
    double y = static_cast<double>(i) * k_row_height + 2;
    double width = std::isfinite(bar.value) ? std::max(1.0, bar.value / largest * k_plot_width) : 0;
    out += "<g class=\"bar\"><title>" + escape(bar.tooltip.empty() ? bar.label : bar.tooltip) + "</title>";
    out += "<text x=\"" + num(k_label_width - 8) + "\" y=\"" + num(y + 14) + "\" text-anchor=\"end\">" +
           escape(fitted(bar.label, k_label_width - 8)) + "</text>";
    out += "<rect x=\"" + num(k_label_width) + "\" y=\"" + num(y + 3) + "\" width=\"" + num(width) + "\" height=\"" +
           num(k_row_height - 8) + "\" fill=\"#0b61a4\" opacity=\"0.8\"/>";
    out += "<text x=\"" + num(k_label_width + width + 6) + "\" y=\"" + num(y + 14) + "\">" + escape(bar.value_text) +
           "</text></g>";
  }
  return out + "</svg>";
}

std::string strip_chart(const std::vector<double>& base, const std::vector<double>& current, Tone tone) {
  double low = INFINITY;
  double high = -INFINITY;
  for (const auto* sample : {&base, &current})
    for (double v : *sample)
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
  if (!std::isfinite(low)) low = high = 0;
  // One unit for the whole axis, chosen by the largest value.
  double divisor = 1;
  std::string unit = " ns";
  if (high >= 1e9) {
    divisor = 1e9;
    unit = " s";
  } else if (high >= 1e6) {
    divisor = 1e6;
    unit = " ms";
  } else if (high >= 1e3) {
    divisor = 1e3;
    unit = " us";
  }
  constexpr double k_left = 44;
  constexpr double k_width = 380;
  Scale scale = padded_scale(low / divisor, high / divisor, k_left, k_width);
  std::string out = svg_open(k_left + k_width + 30, 2 * 20 + k_axis_height + 6, "distribution");
  const std::vector<double>* samples[] = {&base, &current};
  const char* names[] = {"base", "new"};
  const char* colours[] = {"#6b7780", tone_colour(tone)};
  for (int row = 0; row < 2; ++row) {
    double y = row * 20 + 12;
    out += "<text x=\"" + num(k_left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" + names[row] + "</text>";
    std::vector<double> sorted;
    for (double v : *samples[row])
      if (std::isfinite(v)) sorted.push_back(v / divisor);
    std::sort(sorted.begin(), sorted.end());
    for (double v : sorted)
      out += "<circle cx=\"" + num(scale.x(v)) + "\" cy=\"" + num(y) + "\" r=\"3\" fill=\"" + colours[row] +
             "\" fill-opacity=\"0.55\"/>";
    if (!sorted.empty()) {
      std::size_t n = sorted.size();
      double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      out += "<line class=\"median\" x1=\"" + num(scale.x(median)) + "\" y1=\"" + num(y - 8) + "\" x2=\"" +
             num(scale.x(median)) + "\" y2=\"" + num(y + 8) + "\" stroke=\"" + colours[row] +
             "\" stroke-width=\"2.5\"/>";
    }
  }
  out += axis(scale, 2 * 20 + 4, unit, digits_for(scale.high - scale.low));
  return out + "</svg>";
}

std::string cacheline_diagram(const std::vector<Block>& blocks, std::uint64_t size_bytes, std::uint64_t cacheline,
                              std::uint64_t max_lines) {
  constexpr double k_left = 64;
  constexpr double k_px_per_bit = 1.0;  // 8 px per byte: a 64-byte line is 512 px wide
  constexpr double k_line_height = 26;
  if (cacheline == 0) cacheline = 64;
  std::uint64_t line_bits = cacheline * 8;
  std::uint64_t lines = std::max<std::uint64_t>(1, (size_bytes + cacheline - 1) / cacheline);
  std::uint64_t drawn = std::min(lines, max_lines);
  double width = k_left + static_cast<double>(line_bits) * k_px_per_bit + 8;
  double height = static_cast<double>(drawn) * k_line_height + (drawn < lines ? 18 : 4);
  std::string out = svg_open(width, height, "record layout by cache line");
  for (std::uint64_t line = 0; line < drawn; ++line) {
    double y = static_cast<double>(line) * k_line_height + 2;
    out += "<text x=\"" + num(k_left - 6) + "\" y=\"" + num(y + 15) + "\" text-anchor=\"end\">+" +
           std::to_string(line * cacheline) + "</text>";
    // The line's outline; the part past the end of the record stays empty.
    out += "<rect x=\"" + num(k_left) + "\" y=\"" + num(y) + "\" width=\"" + num(static_cast<double>(line_bits)) +
           "\" height=\"" + num(k_line_height - 4) + "\" fill=\"none\" stroke=\"#c3cbd1\"/>";
  }
  for (const Block& block : blocks) {
    std::uint64_t begin = block.offset_bits;
    std::uint64_t end = block.offset_bits + block.size_bits;
    bool padding = block.kind != Block::Kind::item;
    std::string fill = padding ? "#e5533d" : colour_of(block.label);
    bool labelled = false;
    while (begin < end) {
      std::uint64_t line = begin / line_bits;
      if (line >= drawn) break;
      std::uint64_t piece_end = std::min(end, (line + 1) * line_bits);
      double x = k_left + static_cast<double>(begin - line * line_bits) * k_px_per_bit;
      double w = std::max(1.0, static_cast<double>(piece_end - begin) * k_px_per_bit);
      double y = static_cast<double>(line) * k_line_height + 2;
      out += std::string("<g class=\"") + (padding ? "hole" : "item") + "\"><title>" + escape(block.tooltip) +
             "</title><rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
             num(k_line_height - 4) + "\" fill=\"" + fill + "\" stroke=\"#ffffff\" stroke-width=\"0.5\"" +
             (padding ? " fill-opacity=\"0.85\"" : "") + "/>";
      std::string text = labelled ? "" : fitted(padding ? "pad" : block.label, w);
      if (!text.empty()) {
        out += "<text x=\"" + num(x + 3) + "\" y=\"" + num(y + 15) + "\"" + (padding ? " fill=\"#ffffff\"" : "") + ">" +
               escape(text) + "</text>";
        labelled = true;
      }
      out += "</g>";
      begin = piece_end;
    }
  }
  if (drawn < lines)
    out += "<text x=\"" + num(k_left) + "\" y=\"" + num(static_cast<double>(drawn) * k_line_height + 12) + "\">" +
           std::to_string(lines - drawn) + " more cache lines not drawn</text>";
  return out + "</svg>";
}

}  // namespace hone::report
