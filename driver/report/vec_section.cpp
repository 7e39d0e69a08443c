// The vectorization section of `hone report`: the loops of `hone vec --format json` in one table
// (location, function, verdict, reason, hotness, hint, the fix `--try-fixes` verified), sortable by any
// column and filterable by verdict, reason and text; then the source of each file around its loops, each
// loop's lines marked by verdict (red missed, green vectorized, grey outer or without a verdict) and
// linked both ways with its table row. Only the loops and a few lines around them are shown, so a large
// project's page stays the size of its findings, not of its sources.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "driver/report/inputs.h"
#include "driver/report/sections.h"
#include "driver/report/svg.h"

namespace hone::report {
namespace {

constexpr std::string_view k_writer = "the output of 'hone vec --format json'";
constexpr long k_context_lines = 2;
constexpr std::size_t k_max_source_bytes = 16 << 20;  // larger files are not excerpted

struct Fix {
  std::string change;
  bool verified = false;
  std::uint64_t width = 0;
  std::uint64_t interleave = 0;
};

struct Loop {
  std::string file;
  long line = 0;
  long end_line = 0;
  std::string status;  // missed, vectorized, outer, no-verdict
  std::string reason;  // missed loops only
  std::string function;
  std::string message;
  std::string hint;
  std::optional<std::uint64_t> hotness;
  std::vector<Fix> fixes;
};

Loop read_loop(const Fields& fields, const nlohmann::json& finding, const std::string& where) {
  Loop loop;
  loop.file = fields.text(finding, "file", where);
  loop.line = static_cast<long>(fields.count(finding, "line", where));
  loop.message = fields.text(finding, "message", where);
  const nlohmann::json& data = fields.object(finding, "data", where);
  std::string at = where + ".data";
  loop.status = fields.text(data, "status", at);
  loop.end_line = static_cast<long>(fields.count_or(data, "end_line", at, static_cast<std::uint64_t>(loop.line)));
  loop.end_line = std::max(loop.end_line, loop.line);
  loop.reason = fields.text_or(data, "reason", at, "");
  loop.function = fields.text_or(data, "function", at, "");
  loop.hint = fields.text_or(data, "hint", at, "");
  if (data.contains("hotness")) loop.hotness = fields.count(data, "hotness", at);
  if (data.contains("fixes")) {
    const nlohmann::json& fixes = fields.array(data, "fixes", at);
    for (std::size_t i = 0; i < fixes.size(); ++i) {
      std::string fix_at = Fields::at(at + ".fixes", i);
      loop.fixes.push_back(
          {fields.text(fixes[i], "change", fix_at), fields.flag_or(fixes[i], "verified", fix_at, false),
           fields.count_or(fixes[i], "width", fix_at, 0), fields.count_or(fixes[i], "interleave", fix_at, 0)});
    }
  }
  return loop;
}

Tone tone_of(const std::string& status) {
  if (status == "missed") return Tone::bad;
  if (status == "vectorized") return Tone::good;
  return Tone::neutral;
}

// The CSS suffix of a loop's source lines: missed, vectorized or other.
const char* mark_of(const std::string& status) {
  if (status == "missed") return "missed";
  if (status == "vectorized") return "vectorized";
  return "other";
}

std::string fix_text(const Loop& loop) {
  std::string out;
  for (const Fix& fix : loop.fixes) {
    if (!out.empty()) out += "<br>";
    if (fix.verified)
      out += "<span class=\"good\">verified:</span> " + escape(fix.change) + " (width " + std::to_string(fix.width) +
             ", interleave " + std::to_string(fix.interleave) + ")";
    else
      out += "<span class=\"neutral\">not verified:</span> " + escape(fix.change);
  }
  return out;
}

std::string options_of(const std::set<std::string>& values, const std::string& all) {
  std::string out = "<option value=\"\">" + escape(all) + "</option>";
  for (const std::string& value : values) out += "<option>" + escape(value) + "</option>";
  return out;
}

std::string source_anchor(std::size_t file_index, long line) {
  return "src-" + std::to_string(file_index) + "-" + std::to_string(line);
}

std::string loop_table(const std::vector<Loop>& loops, const std::map<std::string, std::size_t>& file_index) {
  std::set<std::string> statuses;
  std::set<std::string> reasons;
  for (const Loop& loop : loops) {
    statuses.insert(loop.status);
    if (!loop.reason.empty()) reasons.insert(loop.reason);
  }
  std::string out = filter_bar(
      "vec-table", "<label>verdict <select data-key=\"status\">" + options_of(statuses, "all") +
                       "</select></label><label>reason <select data-key=\"reason\">" + options_of(reasons, "all") +
                       "</select></label><input type=\"search\" data-key=\"text\" "
                       "placeholder=\"filter by text\">");
  out += "<table id=\"vec-table\" class=\"sortable\" data-page=\"" + std::to_string(k_table_page_rows) +
         "\"><thead><tr><th>location</th><th>function</th><th>verdict</th>"
         "<th>reason</th><th class=\"num\">hotness</th><th>hint</th><th>fix</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < loops.size(); ++i) {
    const Loop& loop = loops[i];
    std::string place = loop.file + ":" + std::to_string(loop.line);
    std::string hotness = loop.hotness ? std::to_string(*loop.hotness) : "";
    out += "<tr" + std::string(hidden_past_page(i)) + " id=\"loop-" + std::to_string(i) + "\" data-status=\"" +
           escape(loop.status) + "\" data-reason=\"" + escape(loop.reason) + "\"><td class=\"mono\" data-value=\"" +
           escape(place) + "\"><a href=\"#" + source_anchor(file_index.at(loop.file), loop.line) + "\">" +
           escape(place) + "</a></td><td class=\"mono\">" + escape(loop.function) + "</td><td class=\"verdict " +
           tone_class(tone_of(loop.status)) + "\">" + escape(loop.status) + "</td><td>" + escape(loop.reason) +
           "</td><td class=\"num\" data-value=\"" + (loop.hotness ? hotness : "-1") + "\">" +
           (loop.hotness ? hotness : "&ndash;") + "</td><td>" + escape(loop.hint) + "</td><td>" + fix_text(loop) +
           "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

struct OpenLoop {
  std::size_t id;
  long end_line;
};

// The code of one window: each loop an inline span from its first token's line to its last line (nested
// loops nest; a loop reaching past the one around it is cut at that one's end), its badge after its first
// line. Two <pre> per window and one span per loop keep the page small: a line is text, not elements.
void window_code(long first, long last, const std::vector<std::string>& lines, const std::vector<std::size_t>& starting,
                 const std::vector<Loop>& loops, std::size_t file_index, std::string& gutter, std::string& code) {
  std::vector<OpenLoop> open;
  std::size_t next = 0;
  for (long l = first; l <= last; ++l) {
    while (next < starting.size() && loops[starting[next]].line < l) ++next;
    std::string badges;
    bool starts_here = false;
    for (; next < starting.size() && loops[starting[next]].line == l; ++next) {
      const Loop& loop = loops[starting[next]];
      long end = std::min(loop.end_line, last);
      if (!open.empty()) end = std::min(end, open.back().end_line);
      code += "<span class=\"loop " + std::string(mark_of(loop.status)) + "\" id=\"" + source_anchor(file_index, l) +
              (starts_here ? "-" + std::to_string(starting[next]) : "") + "\">";
      badges += " <a class=\"badge\" href=\"#loop-" + std::to_string(starting[next]) + "\">" +
                escape(loop.status + (loop.reason.empty() ? "" : ": " + loop.reason)) + "</a>";
      open.push_back({starting[next], end});
      starts_here = true;
    }
    gutter += starts_here ? "<b class=\"" + std::string(tone_class(tone_of(loops[starting[next - 1]].status))) + "\">" +
                                std::to_string(l) + "</b>\n"
                          : std::to_string(l) + "\n";
    code += escape(lines[static_cast<std::size_t>(l - 1)]) + badges;
    while (!open.empty() && open.back().end_line <= l) {
      code += "</span>";
      open.pop_back();
    }
    code += "\n";
  }
}

// One file's excerpt: the loops' lines and k_context_lines around them, gaps marked.
std::string source_excerpt(const std::string& file, std::size_t index, std::vector<std::size_t> loop_ids,
                           const std::vector<Loop>& loops) {
  std::string out =
      "<div class=\"source\" id=\"file-" + std::to_string(index) + "\"><h3 class=\"mono\">" + escape(file) + "</h3>\n";
  std::string text;
  try {
    text = read_text_file(file);
  } catch (const InputError&) {
    return out + "<p class=\"note\">source not readable here; the table above still has its loops</p></div>\n";
  }
  if (text.size() > k_max_source_bytes) return out + "<p class=\"note\">source too large to excerpt</p></div>\n";
  std::vector<std::string> lines = split_lines(text);
  const long count = static_cast<long>(lines.size());
  // Loops by first line, outer (longer) first; those past the end of the file (it changed) are dropped.
  std::erase_if(loop_ids, [&](std::size_t id) { return loops[id].line > count; });
  std::sort(loop_ids.begin(), loop_ids.end(), [&](std::size_t a, std::size_t b) {
    return loops[a].line != loops[b].line ? loops[a].line < loops[b].line : loops[a].end_line > loops[b].end_line;
  });
  // Windows: each loop with its context, overlapping ones merged.
  std::vector<std::pair<long, long>> windows;
  for (std::size_t id : loop_ids) {
    long first = std::max(1L, loops[id].line - k_context_lines);
    long last = std::min(count, loops[id].end_line + k_context_lines);
    if (!windows.empty() && first <= windows.back().second + 1)
      windows.back().second = std::max(windows.back().second, last);
    else
      windows.emplace_back(first, last);
  }
  for (std::size_t w = 0; w < windows.size(); ++w) {
    std::string gutter;
    std::string code;
    window_code(windows[w].first, windows[w].second, lines, loop_ids, loops, index, gutter, code);
    if (w > 0) out += "<div class=\"gap\">&#8942;</div>\n";
    out +=
        "<div class=\"win\"><pre class=\"gutter\">" + gutter + "</pre><pre class=\"code\">" + code + "</pre></div>\n";
  }
  return out + "</div>\n";
}

}  // namespace

Section vec_section(const std::string& vec_json) {
  nlohmann::json document = read_json_file(vec_json);
  Fields fields(vec_json, k_writer);
  std::string tool = fields.text_or(document, "tool", "", "hone vec");
  if (tool != "hone vec")
    throw InputError(fields.path() + ": written by '" + tool + "', not 'hone vec' (expected " + std::string(k_writer) +
                     ")");
  const nlohmann::json& findings = fields.array(document, "findings", "");
  std::vector<Loop> loops;
  for (std::size_t i = 0; i < findings.size(); ++i)
    loops.push_back(read_loop(fields, findings[i], Fields::at("findings", i)));
  // Files in order of first appearance, each with its loops.
  std::map<std::string, std::size_t> file_index;
  std::vector<std::string> files;
  std::vector<std::vector<std::size_t>> loops_of_file;
  for (std::size_t i = 0; i < loops.size(); ++i) {
    auto [entry, added] = file_index.emplace(loops[i].file, files.size());
    if (added) {
      files.push_back(loops[i].file);
      loops_of_file.emplace_back();
    }
    loops_of_file[entry->second].push_back(i);
  }
  std::map<std::string, std::size_t> by_status;
  for (const Loop& loop : loops) ++by_status[loop.status];
  std::string body = "<p>" + std::to_string(loops.size()) + (loops.size() == 1 ? " loop in " : " loops in ") +
                     std::to_string(files.size()) + (files.size() == 1 ? " file" : " files");
  for (const auto& [status, n] : by_status) body += ", " + std::to_string(n) + " " + escape(status);
  body += ". Click a column to sort (hotness: with <code>hone vec --profile</code>), a location to see the loop in "
          "its source.</p>\n";
  body += loop_table(loops, file_index);
  body += "<h3>Sources</h3>\n";
  for (std::size_t f = 0; f < files.size(); ++f) body += source_excerpt(files[f], f, loops_of_file[f], loops);
  return {"vec", "Vectorization (hone vec)", body};
}

}  // namespace hone::report
