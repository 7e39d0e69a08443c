// The flame graph SVG (see flame_graph.h): tree building, layout, colours and the embedded script.
//
// Each frame is a <g class="f"> holding a <title> (the frame name on its first line, then its
// figures: browsers show it as the tooltip and the script reads the name from it), a <rect> and a
// <text> cut to the width with "..". The unzoomed geometry lives in data-x / data-w (pixels) and
// data-d (depth), which is all the script needs to zoom, restore and measure search matches.
// Colours are a hash of the frame name, so one function has one colour everywhere and across runs:
// warm hues for user code, orange for kernel frames ("_[k]"), aqua for inlined ones ("_[i]"), grey
// for the "all" and process roots.
#include "driver/profile/flame_graph.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "support/markup.h"

namespace hone::profile {
namespace {

constexpr double k_frame_height = 16.0;
constexpr double k_padding = 10.0;
constexpr double k_top = 60.0;     // title, subtitle and the controls
constexpr double k_bottom = 34.0;  // details and "Matched" line
constexpr double k_min_width = 0.1;
constexpr double k_font_width = 0.59 * 12.0;  // average glyph width of 12 px Verdana

struct Node {
  std::string name;
  std::uint64_t weight = 0;
  std::uint64_t samples = 0;
  std::map<std::string, std::unique_ptr<Node>> children;
};

std::unique_ptr<Node> build_tree(const FoldedProfile& profile) {
  auto root = std::make_unique<Node>();
  root->name = "all";
  for (const auto& [stack, weight] : profile.stacks) {
    Node* node = root.get();
    node->weight += weight.weight;
    node->samples += weight.samples;
    std::size_t start = 0;
    while (start <= stack.size()) {
      std::size_t end = stack.find(';', start);
      if (end == std::string::npos) end = stack.size();
      const std::string frame = stack.substr(start, end - start);
      std::unique_ptr<Node>& child = node->children[frame];
      if (!child) {
        child = std::make_unique<Node>();
        child->name = frame;
      }
      node = child.get();
      node->weight += weight.weight;
      node->samples += weight.samples;
      start = end + 1;
    }
  }
  return root;
}

std::uint32_t fnv1a(std::string_view text) {
  std::uint32_t hash = 2166136261u;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string colour(std::string_view name, int depth) {
  const std::uint32_t hash = fnv1a(name);
  const double a = static_cast<double>(hash & 0xff) / 255.0;
  const double b = static_cast<double>((hash >> 8) & 0xff) / 255.0;
  const double c = static_cast<double>((hash >> 16) & 0xff) / 255.0;
  int red = 0, green = 0, blue = 0;
  if (depth <= 1) {  // "all" and the process names
    red = green = blue = 190 + static_cast<int>(30 * a);
  } else if (ends_with(name, "_[k]")) {
    red = 225 + static_cast<int>(30 * a), green = 130 + static_cast<int>(60 * b), blue = 40 + static_cast<int>(30 * c);
  } else if (ends_with(name, "_[i]")) {
    red = 80 + static_cast<int>(40 * a), green = 190 + static_cast<int>(40 * b), blue = 190 + static_cast<int>(40 * c);
  } else if (!name.empty() && name.front() == '[') {  // no symbol: only the module is known
    red = 215 + static_cast<int>(40 * a), green = 110 + static_cast<int>(60 * b), blue = 110 + static_cast<int>(40 * c);
  } else {
    red = 205 + static_cast<int>(50 * a), green = static_cast<int>(230 * b), blue = static_cast<int>(55 * c);
  }
  char text[32];
  std::snprintf(text, sizeof text, "rgb(%d,%d,%d)", red, green, blue);
  return text;
}

std::string with_thousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string format_time_ns(double ns) {
  char text[32];
  if (ns >= 1e9) {
    std::snprintf(text, sizeof text, "%.2f s", ns / 1e9);
  } else if (ns >= 1e6) {
    std::snprintf(text, sizeof text, "%.1f ms", ns / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.0f us", ns / 1e3);
  }
  return text;
}

std::string fitted_label(std::string_view name, double width) {
  const int chars = static_cast<int>((width - 6.0) / k_font_width);
  if (chars < 3) return {};
  if (static_cast<int>(name.size()) <= chars) return std::string(name);
  return std::string(name.substr(0, static_cast<std::size_t>(chars - 2))) + "..";
}

struct Layout {
  const FlameGraphOptions& options;
  double scale;         // pixels per unit of weight
  double base_y;        // y of the root frame
  std::uint64_t total;  // root weight
  std::string out;
  int max_depth = 0;

  void emit(const Node& node, double x, int depth) {
    const double width = static_cast<double>(node.weight) * scale;
    if (width < k_min_width) return;
    max_depth = std::max(max_depth, depth);
    const double y = base_y - depth * k_frame_height;
    const double share = total == 0 ? 0.0 : 100.0 * static_cast<double>(node.weight) / static_cast<double>(total);
    char numbers[160];
    out += "<g class=\"f\" data-x=\"";
    std::snprintf(numbers, sizeof numbers, "%.2f\" data-w=\"%.2f\" data-d=\"%d\"><title>", x, width, depth);
    out += numbers;
    out += support::escape_markup(node.name);
    out += "\n";
    out += with_thousands(node.samples);
    out += node.samples == 1 ? " sample" : " samples";
    if (options.weight_unit == "ns") {
      out += ", ";
      out += format_time_ns(static_cast<double>(node.weight));
    }
    std::snprintf(numbers, sizeof numbers,
                  ", %.2f%%</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" ", share, x, y, width,
                  k_frame_height - 1.0);
    out += numbers;
    out += "rx=\"2\" ry=\"2\" fill=\"" + colour(node.name, depth) + "\"/>";
    std::snprintf(numbers, sizeof numbers, "<text x=\"%.2f\" y=\"%.1f\">", x + 3.0, y + 11.5);
    out += numbers;
    out += support::escape_markup(fitted_label(node.name, width));
    out += "</text></g>\n";
    double child_x = x;
    for (const auto& [name, child] : node.children) {
      emit(*child, child_x, depth + 1);
      child_x += static_cast<double>(child->weight) * scale;
    }
  }
};

int tree_depth(const Node& node, double scale) {
  int deepest = 0;
  for (const auto& [name, child] : node.children) {
    if (static_cast<double>(child->weight) * scale >= k_min_width)
      deepest = std::max(deepest, 1 + tree_depth(*child, scale));
  }
  return deepest;
}

constexpr const char* k_script = R"JS(
var svg, frames, details, matched, unzoom_button, search_button, searching = false;
var full_width = 0, left = 0;
function init(evt) {
  svg = document.documentElement;
  frames = document.getElementById("frames").getElementsByTagName("g");
  details = document.getElementById("details");
  matched = document.getElementById("matched");
  unzoom_button = document.getElementById("unzoom");
  search_button = document.getElementById("search");
  left = parseFloat(frames[0].getAttribute("data-x"));
  full_width = parseFloat(frames[0].getAttribute("data-w"));
  for (var i = 0; i < frames.length; i++) {
    frames[i].addEventListener("mouseover", function () { details.textContent = frame_name(this) + " (" + frame_figures(this) + ")"; });
    frames[i].addEventListener("mouseout", function () { details.textContent = " "; });
    frames[i].addEventListener("click", function () { zoom(this); });
  }
  unzoom_button.addEventListener("click", unzoom);
  search_button.addEventListener("click", function () { if (searching) reset_search(); else search_prompt(); });
  window.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.keyCode === 70)) { e.preventDefault(); search_prompt(); }
    else if (e.key === "Escape") { reset_search(); unzoom(); }
  });
}
function frame_title(g) { return g.getElementsByTagName("title")[0].textContent; }
function frame_name(g) { return frame_title(g).split("\n")[0]; }
function frame_figures(g) { return frame_title(g).split("\n")[1]; }
function number(g, name) { return parseFloat(g.getAttribute(name)); }
function place(g, x, w) {
  var rect = g.getElementsByTagName("rect")[0], text = g.getElementsByTagName("text")[0];
  rect.setAttribute("x", x.toFixed(2));
  rect.setAttribute("width", w.toFixed(2));
  text.setAttribute("x", (x + 3).toFixed(2));
  var name = frame_name(g), chars = Math.floor((w - 6) / 7.08);
  text.textContent = chars < 3 ? "" : (name.length <= chars ? name : name.substring(0, chars - 2) + "..");
}
function zoom(target) {
  var tx = number(target, "data-x"), tw = number(target, "data-w"), td = number(target, "data-d");
  if (td === 0) { unzoom(); return; }
  var scale = full_width / tw, eps = 0.001;
  for (var i = 0; i < frames.length; i++) {
    var g = frames[i], x = number(g, "data-x"), w = number(g, "data-w"), d = number(g, "data-d");
    g.classList.remove("hidden");
    g.classList.remove("parent");
    if (d < td && x <= tx + eps && x + w >= tx + tw - eps) {
      g.classList.add("parent");
      place(g, left, full_width);
    } else if (d >= td && x >= tx - eps && x + w <= tx + tw + eps) {
      place(g, left + (x - tx) * scale, w * scale);
    } else {
      g.classList.add("hidden");
    }
  }
  unzoom_button.classList.remove("hidden");
}
function unzoom() {
  for (var i = 0; i < frames.length; i++) {
    var g = frames[i];
    g.classList.remove("hidden");
    g.classList.remove("parent");
    place(g, number(g, "data-x"), number(g, "data-w"));
  }
  unzoom_button.classList.add("hidden");
}
function search_prompt() {
  var term = prompt("Search for a function (regular expression):", "");
  if (term) search(term);
}
function search(term) {
  var re;
  try { re = new RegExp(term); } catch (e) { alert("Not a regular expression: " + e.message); return; }
  reset_search();
  var spans = [];
  for (var i = 0; i < frames.length; i++) {
    var g = frames[i], rect = g.getElementsByTagName("rect")[0];
    if (!re.test(frame_name(g))) continue;
    rect.setAttribute("data-fill", rect.getAttribute("fill"));
    rect.setAttribute("fill", "rgb(230,0,230)");
    spans.push([number(g, "data-x"), number(g, "data-x") + number(g, "data-w")]);
  }
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var covered = 0, end = -1;
  for (var j = 0; j < spans.length; j++) {
    if (spans[j][1] <= end) continue;
    covered += spans[j][1] - Math.max(spans[j][0], end);
    end = spans[j][1];
  }
  searching = true;
  search_button.textContent = "Reset Search";
  matched.textContent = "Matched: " + (100 * covered / full_width).toFixed(1) + "% (" + term + ")";
}
function reset_search() {
  for (var i = 0; i < frames.length; i++) {
    var rect = frames[i].getElementsByTagName("rect")[0], fill = rect.getAttribute("data-fill");
    if (fill) { rect.setAttribute("fill", fill); rect.removeAttribute("data-fill"); }
  }
  searching = false;
  search_button.textContent = "Search";
  matched.textContent = " ";
}
)JS";

}  // namespace

std::string render_flame_graph(const FoldedProfile& profile, const FlameGraphOptions& options) {
  const std::unique_ptr<Node> root = build_tree(profile);
  const double usable = options.width - 2 * k_padding;
  const double scale = root->weight == 0 ? 0.0 : usable / static_cast<double>(root->weight);
  const int depth = tree_depth(*root, scale);
  const double height = k_top + (depth + 1) * k_frame_height + k_bottom;
  const double width = options.width;

  Layout layout{options, scale, k_top + depth * k_frame_height, root->weight, {}};
  layout.emit(*root, k_padding, 0);

  std::string svg;
  svg.reserve(layout.out.size() + 8192);
  char buffer[512];
  svg += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
  std::snprintf(buffer, sizeof buffer,
                "<svg version=\"1.1\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" onload=\"init(evt)\" "
                "xmlns=\"http://www.w3.org/2000/svg\">\n",
                width, height, width, height);
  svg += buffer;
  svg += "<!-- Flame graph rendered by hone profile. Hover for details, click a frame to zoom, "
         "Search (or Ctrl-F) to highlight. -->\n";
  svg += "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
         "<stop stop-color=\"#eeeeee\" offset=\"5%\"/><stop stop-color=\"#eeeeb0\" offset=\"95%\"/>"
         "</linearGradient></defs>\n";
  svg += "<style type=\"text/css\">\n"
         "text { font-family: Verdana, sans-serif; font-size: 12px; fill: rgb(0,0,0); }\n"
         "#title { text-anchor: middle; font-size: 17px; }\n"
         "#subtitle { text-anchor: middle; fill: rgb(90,90,90); }\n"
         "#search, #matched { text-anchor: end; }\n"
         "#search, #unzoom { cursor: pointer; fill: rgb(40,40,160); }\n"
         ".f { cursor: pointer; }\n"
         ".f:hover rect { stroke: rgb(0,0,0); stroke-width: 0.5; }\n"
         ".parent { opacity: 0.5; }\n"
         ".hidden { display: none; }\n"
         "</style>\n";
  svg += "<script type=\"text/ecmascript\"><![CDATA[";
  svg += k_script;
  svg += "]]></script>\n";
  std::snprintf(buffer, sizeof buffer,
                "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"url(#background)\"/>\n", width, height);
  svg += buffer;
  std::snprintf(buffer, sizeof buffer, "<text id=\"title\" x=\"%.1f\" y=\"24\">", width / 2);
  svg += buffer;
  svg += support::escape_markup(options.title) + "</text>\n";
  std::snprintf(buffer, sizeof buffer, "<text id=\"subtitle\" x=\"%.1f\" y=\"44\">", width / 2);
  svg += buffer;
  svg += support::escape_markup(options.subtitle) + "</text>\n";
  std::snprintf(buffer, sizeof buffer,
                "<text id=\"unzoom\" class=\"hidden\" x=\"%.1f\" y=\"24\">Reset Zoom</text>\n"
                "<text id=\"search\" x=\"%.1f\" y=\"24\">Search</text>\n"
                "<text id=\"details\" x=\"%.1f\" y=\"%.1f\"> </text>\n"
                "<text id=\"matched\" x=\"%.1f\" y=\"%.1f\"> </text>\n",
                k_padding, width - k_padding, k_padding, height - 12, width - k_padding, height - 12);
  svg += buffer;
  svg += "<g id=\"frames\">\n";
  svg += layout.out;
  svg += "</g>\n</svg>\n";
  return svg;
}

}  // namespace hone::profile
