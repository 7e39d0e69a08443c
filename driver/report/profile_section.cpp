// The flame graph section of `hone report`: hone profile's SVG, embedded whole as a data: URL in an
// <iframe sandbox="allow-scripts allow-modals"> (modals for its search prompt). The SVG brings its own script (hover,
// zoom, search); in a sandboxed frame of its own origin that script keeps working and can touch nothing of the page
// around it, and the page's own ids and styles cannot clash with the graph's. Base64 keeps the SVG's bytes exact.
#include <cctype>
#include <string>
#include <string_view>

#include "driver/report/inputs.h"
#include "driver/report/sections.h"

namespace hone::report {
namespace {

std::string base64(std::string_view bytes) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned value = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                     static_cast<unsigned char>(bytes[i + 2]);
    out += k_alphabet[value >> 18 & 63];
    out += k_alphabet[value >> 12 & 63];
    out += k_alphabet[value >> 6 & 63];
    out += k_alphabet[value & 63];
  }
  if (i < bytes.size()) {
    unsigned value = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) value |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += k_alphabet[value >> 18 & 63];
    out += k_alphabet[value >> 12 & 63];
    out += i + 1 < bytes.size() ? k_alphabet[value >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

Section profile_section(const std::string& svg_path) {
  std::string svg = read_input(svg_path);
  // An SVG document starts with an XML declaration, a comment or a doctype before <svg; anything else
  // is the wrong file (the report, the folded stacks, perf.data).
  std::size_t root = svg.find("<svg");
  if (root == std::string::npos || root > 4096 || svg.find_first_not_of(" \t\r\n") != svg.find('<'))
    throw InputError((svg_path == "-" ? std::string("<stdin>") : svg_path) +
                     ": not an SVG document (expected the flame graph written by 'hone profile -o FILE.svg')");
  // The frame is as tall as the graph (its root's height attribute), so the page scrolls, not the frame.
  std::string height = "640";
  std::size_t tag_end = svg.find('>', root);
  std::size_t attribute = svg.find(" height=\"", root);
  if (attribute != std::string::npos && attribute < tag_end) {
    std::size_t digits = attribute + 9;
    std::size_t length = 0;
    while (digits + length < svg.size() && length < 6 && std::isdigit(static_cast<unsigned char>(svg[digits + length])))
      ++length;
    if (length > 0) height = std::to_string(std::stoul(svg.substr(digits, length)) + 8);
  }
  std::string body = "<p>hone profile's flame graph: hover a frame for its share, click to zoom, search with its "
                     "Search button; it is interactive here as in the SVG file.</p>\n<div class=\"flame\">"
                     "<iframe title=\"flame graph\" sandbox=\"allow-scripts allow-modals\" style=\"height: " +
                     height + "px\" src=\"data:image/svg+xml;base64," + base64(svg) + "\"></iframe></div>\n";
  return {"profile", "Flame graph (hone profile)", body};
}

}  // namespace hone::report
