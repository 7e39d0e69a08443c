// The layout section of `hone report`: every record `hone layout --format json` reported, in a table
// sortable by bytes saved, and each one drawn to scale by cache line, as it is and in the suggested
// order, padding in red. Records are drawn largest saving first, so the ones worth fixing lead.
#include "driver/report/layout_section.h"

#include <algorithm>

#include "driver/report/inputs.h"
#include "driver/report/sections.h"

namespace hone::report {
namespace {

constexpr std::string_view k_writer = "the output of 'hone layout --format json'";
// Records drawn, largest saving first. Each drawing is a few KB of SVG; past a few hundred the page
// would take seconds to open (measured: 5,000 drawn records, 23 MB, 2.1 s in Chromium), and the records
// after the first 200 by saving are the ones least worth a look. The table lists every record.
constexpr std::size_t k_max_drawn_records = 200;

std::uint64_t align_to(std::uint64_t value, std::uint64_t alignment) {
  return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}

std::string size_text(std::uint64_t bits) {
  return bits % 8 == 0 ? std::to_string(bits / 8) + (bits == 8 ? " byte" : " bytes") : std::to_string(bits) + " bits";
}

std::string member_tooltip(const LayoutMember& member, std::uint64_t offset_bits) {
  std::string where = "offset " + std::to_string(offset_bits / 8);
  if (offset_bits % 8 != 0) where += ":" + std::to_string(offset_bits % 8);
  std::string name = member.name.empty() ? "(unnamed " + member.kind + ")" : member.name;
  return name + (member.type.empty() ? "" : ": " + member.type) + ", " + where + ", " + size_text(member.size_bits);
}

Block member_block(const LayoutMember& member, std::uint64_t offset_bits) {
  return {Block::Kind::item, member.name.empty() ? member.type : member.name, member_tooltip(member, offset_bits),
          offset_bits, member.size_bits};
}

Block hole_block(std::uint64_t offset_bits, std::uint64_t size_bits, bool tail) {
  return {tail ? Block::Kind::tail : Block::Kind::hole, "",
          std::string(tail ? "tail padding: " : "hole: ") + size_text(size_bits), offset_bits, size_bits};
}

LayoutRecord read_record(const Fields& fields, const nlohmann::json& finding, const std::string& where) {
  LayoutRecord record;
  record.check = fields.text(finding, "check", where);
  record.message = fields.text(finding, "message", where);
  record.file = fields.text(finding, "file", where);
  record.line = static_cast<long>(fields.count(finding, "line", where));
  const nlohmann::json& data = fields.object(finding, "data", where);
  std::string at = where + ".data";
  record.name = fields.text(data, "record", at);
  record.kind = fields.text_or(data, "kind", at, "struct");
  record.size = fields.count(data, "size", at);
  record.padding = fields.count_or(data, "padding", at, 0);
  record.cachelines = fields.count_or(data, "cachelines", at, 0);
  const nlohmann::json& items = fields.array(data, "items", at);
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item_at = Fields::at(at + ".items", i);
    LayoutMember member;
    member.kind = fields.text(items[i], "kind", item_at);
    member.name = fields.text_or(items[i], "name", item_at, "");
    member.type = fields.text_or(items[i], "type", item_at, "");
    member.offset_bits = fields.count(items[i], "offset_bits", item_at);
    member.size_bits = fields.count(items[i], "size_bits", item_at);
    member.align = fields.count_or(items[i], "align", item_at, 1);
    member.flexible_array = fields.flag_or(items[i], "flexible_array", item_at, false);
    member.bit_field = fields.flag_or(items[i], "bit_field", item_at, false);
    record.members.push_back(std::move(member));
  }
  const nlohmann::json& holes = fields.array(data, "holes", at);
  for (std::size_t i = 0; i < holes.size(); ++i) {
    std::string hole_at = Fields::at(at + ".holes", i);
    record.holes.push_back({fields.count(holes[i], "offset_bits", hole_at),
                            fields.count(holes[i], "size_bits", hole_at),
                            fields.flag_or(holes[i], "tail", hole_at, false)});
  }
  if (data.contains("suggestion")) {
    const nlohmann::json& suggestion = fields.object(data, "suggestion", at);
    std::string s_at = at + ".suggestion";
    LayoutSuggestion parsed;
    const nlohmann::json& order = fields.array(suggestion, "order", s_at);
    for (std::size_t i = 0; i < order.size(); ++i)
      parsed.order.push_back(fields.element_text(order[i], Fields::at(s_at + ".order", i)));
    parsed.new_size = fields.count(suggestion, "new_size", s_at);
    parsed.saved = fields.count_or(suggestion, "saved", s_at, record.size - std::min(record.size, parsed.new_size));
    parsed.new_cachelines = fields.count_or(suggestion, "new_cachelines", s_at, 0);
    parsed.proven_optimal = fields.flag_or(suggestion, "proven_optimal", s_at, false);
    parsed.safe = fields.flag_or(suggestion, "safe", s_at, false);
    parsed.unwise_reason = fields.text_or(suggestion, "unwise_reason", s_at, "");
    record.suggestion = std::move(parsed);
  }
  return record;
}

std::uint64_t saved_bytes(const LayoutRecord& record) {
  return record.suggestion ? record.suggestion->saved : 0;
}

std::string location(const LayoutRecord& record) {
  return record.file + ":" + std::to_string(record.line);
}

std::string record_table(const std::vector<LayoutRecord>& records) {
  std::string out =
      filter_bar("layout-table", "<input type=\"search\" data-key=\"text\" placeholder=\"filter records\">");
  out += "<table id=\"layout-table\" class=\"sortable\" data-page=\"" + std::to_string(k_table_page_rows) +
         "\"><thead><tr><th>record</th><th>location</th>"
         "<th class=\"num\">size</th><th class=\"num\">padding</th><th class=\"num\">saved</th>"
         "<th class=\"num\">cache lines</th><th>suggested order</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < records.size(); ++i) {
    const LayoutRecord& r = records[i];
    std::string saved = std::to_string(saved_bytes(r));
    std::string lines = std::to_string(r.cachelines);
    std::string order = "(keep)";
    if (r.suggestion) {
      lines += " \xE2\x86\x92 " + std::to_string(r.suggestion->new_cachelines);
      order.clear();
      for (const std::string& name : r.suggestion->order) order += (order.empty() ? "" : ", ") + name;
    }
    std::string name = escape(r.kind + " " + r.name);
    if (i < k_max_drawn_records) name = "<a href=\"#record-" + std::to_string(i) + "\">" + name + "</a>";
    out += "<tr" + std::string(hidden_past_page(i)) + "><td>" + name + "</td><td>" + escape(location(r)) +
           "</td><td class=\"num\" data-value=\"" + std::to_string(r.size) + "\">" + std::to_string(r.size) +
           "</td><td class=\"num\" data-value=\"" + std::to_string(r.padding) + "\">" + std::to_string(r.padding) +
           "</td><td class=\"num\" data-value=\"" + saved + "\">" + saved + "</td><td class=\"num\">" + escape(lines) +
           "</td><td class=\"mono\">" + escape(order) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string record_drawing(const LayoutRecord& record, std::size_t index, std::uint64_t cacheline) {
  std::string out =
      "<div class=\"record\" id=\"record-" + std::to_string(index) + "\"><h3>" +
      escape(record.kind + " " + record.name) + " <span class=\"note\">" + escape(location(record)) +
      "</span></h3><p>" + escape(record.message) + "</p><div class=\"pair\"><div><div class=\"note\">as " +
      "declared: " + std::to_string(record.size) + " bytes, " + std::to_string(record.padding) +
      " bytes of padding</div>" + cacheline_diagram(blocks_before(record), record.size, cacheline) + "</div>";
  if (std::optional<std::vector<Block>> after = blocks_after(record)) {
    const LayoutSuggestion& s = *record.suggestion;
    out += "<div><div class=\"note\">suggested order: " + std::to_string(s.new_size) + " bytes (" +
           std::to_string(s.saved) + " saved" + (s.proven_optimal ? ", minimum size" : ", not proven minimal") +
           (s.safe ? "" : ", order kept by the analyzer: " + escape(s.unwise_reason)) + ")</div>" +
           cacheline_diagram(*after, s.new_size, cacheline) + "</div>";
  }
  return out + "</div></div>\n";
}

}  // namespace

std::vector<Block> blocks_before(const LayoutRecord& record) {
  std::vector<Block> blocks;
  for (const LayoutMember& member : record.members) blocks.push_back(member_block(member, member.offset_bits));
  for (const LayoutHole& hole : record.holes) blocks.push_back(hole_block(hole.offset_bits, hole.size_bits, hole.tail));
  return blocks;
}

std::optional<std::vector<Block>> blocks_after(const LayoutRecord& record) {
  if (!record.suggestion) return std::nullopt;
  std::vector<Block> blocks;
  std::vector<bool> used(record.members.size(), false);
  std::uint64_t end = 0;  // bytes
  auto place = [&](const LayoutMember& member, std::uint64_t offset) {
    if (offset > end) blocks.push_back(hole_block(end * 8, (offset - end) * 8, false));
    blocks.push_back(member_block(member, offset * 8));
    end = std::max(end, offset + member.size_bits / 8);
  };
  for (std::size_t i = 0; i < record.members.size(); ++i) {
    if (record.members[i].kind == "field") continue;
    used[i] = true;
    place(record.members[i], record.members[i].offset_bits / 8);
  }
  for (const std::string& name : record.suggestion->order) {
    std::size_t i = 0;
    while (i < record.members.size() && (used[i] || record.members[i].kind != "field" ||
                                         record.members[i].name != name || record.members[i].flexible_array))
      ++i;
    if (i == record.members.size() || record.members[i].bit_field) return std::nullopt;
    used[i] = true;
    place(record.members[i], align_to(end, record.members[i].align));
  }
  for (std::size_t i = 0; i < record.members.size(); ++i) {
    if (!record.members[i].flexible_array || used[i]) continue;
    used[i] = true;
    place(record.members[i], align_to(end, record.members[i].align));
  }
  // Every member placed, within the analyzer's size: else this is not the order it computed.
  if (std::find(used.begin(), used.end(), false) != used.end() || end > record.suggestion->new_size)
    return std::nullopt;
  if (record.suggestion->new_size > end)
    blocks.push_back(hole_block(end * 8, (record.suggestion->new_size - end) * 8, true));
  return blocks;
}

Section layout_section(const std::string& layout_json, std::uint64_t cacheline) {
  nlohmann::json document = read_json_file(layout_json);
  Fields fields(layout_json, k_writer);
  if (fields.text_or(document, "tool", "", "hone layout") != "hone layout")
    throw InputError(fields.path() + ": written by '" + document["tool"].get<std::string>() + "', not 'hone layout' (" +
                     "expected " + std::string(k_writer) + ")");
  const nlohmann::json& findings = fields.array(document, "findings", "");
  std::vector<LayoutRecord> records;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    std::string where = Fields::at("findings", i);
    if (!findings[i].contains("data")) continue;  // a note without a record (e.g. a --fix refusal)
    records.push_back(read_record(fields, findings[i], where));
  }
  // Largest saving first, then most padding, ties in the analyzer's order (sorted by position: libstdc++
  // 12's std::stable_sort uses the deprecated std::get_temporary_buffer, an error for clang 19).
  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const LayoutRecord& x = records[a];
    const LayoutRecord& y = records[b];
    if (saved_bytes(x) != saved_bytes(y)) return saved_bytes(x) > saved_bytes(y);
    return x.padding != y.padding ? x.padding > y.padding : a < b;
  });
  std::vector<LayoutRecord> sorted;
  sorted.reserve(records.size());
  for (std::size_t index : order) sorted.push_back(std::move(records[index]));
  records = std::move(sorted);
  std::uint64_t total_saved = 0;
  for (const LayoutRecord& record : records) total_saved += saved_bytes(record);
  std::string body = "<p>" + std::to_string(records.size()) + (records.size() == 1 ? " record" : " records") +
                     "; the suggested orders save " + std::to_string(total_saved) +
                     " bytes in total (per instance of each record). Drawn to scale, " + std::to_string(cacheline) +
                     "-byte cache lines, 8 px per byte; <span class=\"bad\">red</span> " +
                     "is padding. Hover a block for its member, type, offset and size.</p>\n";
  body += record_table(records);
  for (std::size_t i = 0; i < records.size() && i < k_max_drawn_records; ++i)
    body += record_drawing(records[i], i, cacheline);
  if (records.size() > k_max_drawn_records)
    body += "<p class=\"note\">The " + std::to_string(records.size() - k_max_drawn_records) +
            " records with the smallest savings are in the table only (the page draws the first " +
            std::to_string(k_max_drawn_records) + ").</p>\n";
  return {"layout", "Struct layout (hone layout)", body};
}

}  // namespace hone::report
