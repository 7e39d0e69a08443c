// Escaping, number text and the page shell of `hone report` (see html.h).
//
// The stylesheet and script below are the page's only code. Sections that can be long (one diagram per
// record, one excerpt per source file) are marked `content-visibility: auto`, so the browser lays out
// and paints only what is on screen: that is what keeps a page with thousands of findings opening in
// well under a second (docs/report.md has the measurement).
#include "driver/report/html.h"

#include <cmath>
#include <cstdio>

#include "support/markup.h"

namespace hone::report {
namespace {

constexpr const char* k_style = R"CSS(
:root { color-scheme: light; --ink: #1d2327; --muted: #5f6b73; --rule: #d9dee2; --good: #1a7f37;
  --bad: #c62828; --neutral: #6b7780; --accent: #0b61a4; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1200px; padding: 16px 24px 64px; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px;
  border-bottom: 1px solid var(--rule); padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .note { color: var(--muted); font-size: 12px; }
nav a { margin-right: 14px; color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \25B2"; } th[aria-sort=descending]::after { content: " \25BC"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-weight: 600; white-space: nowrap; }
.good { color: var(--good); } .bad { color: var(--bad); } .neutral { color: var(--neutral); }
.filters { display: flex; gap: 10px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.filters select, .filters input { font: inherit; padding: 2px 4px; }
svg { display: block; } svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
.chart { margin: 8px 0 16px; overflow-x: auto; }
.record { border: 1px solid var(--rule); border-radius: 4px; padding: 8px 12px; margin: 10px 0;
  content-visibility: auto; contain-intrinsic-size: auto 240px; }
.record .pair { display: flex; gap: 24px; flex-wrap: wrap; }
.legend span { display: inline-block; margin-right: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
.source { border: 1px solid var(--rule); margin: 10px 0; content-visibility: auto;
  contain-intrinsic-size: auto 300px; }
.source h3 { margin: 0; padding: 4px 8px; background: #f3f5f7; font-size: 13px; }
.win { display: flex; }
.win pre { margin: 0; padding: 2px 0; font-size: 12px; line-height: 1.5; }
.win .gutter { width: 56px; flex: none; text-align: right; padding-right: 8px; color: var(--muted);
  border-right: 1px solid var(--rule); }
.win .code { padding-left: 8px; overflow-x: auto; flex: 1; }
.loop { border-radius: 2px; } .loop.missed { background: #fdecea; } .loop.vectorized { background: #e6f4ea; }
.loop.other { background: #eef0f2; } .loop .loop { box-shadow: inset 3px 0 0 rgba(0,0,0,0.15); }
.badge { font-family: system-ui, sans-serif; font-size: 11px; color: var(--muted); }
:target { outline: 2px solid var(--accent); }
.gap { color: var(--muted); padding-left: 40px; font-size: 11px; line-height: 1; }
.flame iframe { width: 100%; height: 640px; border: 1px solid var(--rule); }
details > summary { cursor: pointer; color: var(--accent); }
)CSS";

// Sorting (click a header; numbers sort by the cell's data-value) and filtering (the controls of a
// .filters bar name a row attribute, or "text" for a substring of the row). A table with data-page="N"
// shows at most N matching rows until "show all" is pressed: the browser then lays out only those, which
// is what keeps a table of thousands of findings quick to open (the report marks the rows past N hidden
// already, so the first paint does not wait for this script). Rows are moved and hidden, never rebuilt,
// so the HTML the report wrote stays the single source of what is shown.
constexpr const char* k_script = R"JS(
(function () {
  'use strict';
  function cellValue(row, column, numeric) {
    var cell = row.cells[column];
    var raw = cell ? cell.getAttribute('data-value') : null;
    if (raw === null) raw = cell ? cell.textContent : '';
    if (!numeric) return raw.toLowerCase();
    var number = parseFloat(raw);
    return isNaN(number) ? -Infinity : number;
  }
  function filterTable(table) {
    var bar = document.querySelector('.filters[data-table="' + table.id + '"]');
    var controls = bar ? bar.querySelectorAll('select, input') : [];
    var wanted = Array.prototype.map.call(controls, function (control) {
      return [control.getAttribute('data-key'), control.value.toLowerCase()];
    });
    var page = table.hasAttribute('data-all') ? Infinity : parseInt(table.getAttribute('data-page') || 'Infinity', 10);
    var rows = table.tBodies[0].rows;
    var matching = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var match = wanted.every(function (want) {
        if (!want[1]) return true;
        if (want[0] === 'text') return row.textContent.toLowerCase().indexOf(want[1]) >= 0;
        return (' ' + (row.getAttribute('data-' + want[0]) || '') + ' ').indexOf(' ' + want[1] + ' ') >= 0;
      });
      if (match) matching += 1;
      var hide = !match || matching > page;
      if (row.hidden !== hide) row.hidden = hide;
    });
    var count = bar && bar.querySelector('.count');
    var more = bar && bar.querySelector('.more');
    var shown = Math.min(matching, page);
    if (count) count.textContent = (shown < matching ? 'first ' + shown + ' of ' : '') + matching +
        (matching === rows.length ? '' : ' matching of ' + rows.length) + ' shown';
    if (more) more.hidden = shown >= matching;
  }
  document.querySelectorAll('table.sortable th').forEach(function (header) {
    header.addEventListener('click', function () {
      var table = header.closest('table');
      var body = table.tBodies[0];
      var column = header.cellIndex;
      var numeric = header.classList.contains('num');
      var descending = header.getAttribute('aria-sort') !== 'descending';
      var keyed = Array.prototype.map.call(body.rows, function (row, index) {
        return { row: row, key: cellValue(row, column, numeric), index: index };
      });
      keyed.sort(function (a, b) {
        if (a.key === b.key) return a.index - b.index;
        var less = a.key < b.key ? -1 : 1;
        return descending ? -less : less;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (entry) { fragment.appendChild(entry.row); });
      body.appendChild(fragment);
      table.querySelectorAll('th').forEach(function (other) { other.removeAttribute('aria-sort'); });
      header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      filterTable(table);
    });
  });
  document.querySelectorAll('.filters').forEach(function (bar) {
    var table = document.getElementById(bar.getAttribute('data-table'));
    if (!table) return;
    bar.querySelectorAll('select, input').forEach(function (control) {
      control.addEventListener('input', function () { filterTable(table); });
    });
    var more = bar.querySelector('.more');
    if (more) more.addEventListener('click', function () { table.setAttribute('data-all', ''); filterTable(table); });
    filterTable(table);
  });
  // A link to a row that is paged out shows every row first.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    var target = link && document.getElementById(link.getAttribute('href').slice(1));
    var table = target && target.closest && target.closest('table[data-page]');
    if (table && target.hidden) { table.setAttribute('data-all', ''); filterTable(table); target.hidden = false; }
  });
})();
)JS";

}  // namespace

std::string escape(std::string_view text) {
  return support::escape_markup(text);
}

std::string fixed(double value, int digits) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, value);
  return buffer;
}

std::string seconds_text(double seconds) {
  if (!std::isfinite(seconds)) return "n/a";
  const char* units[] = {"s", "ms", "us", "ns"};
  double value = seconds;
  int unit = 0;
  while (unit < 3 && value != 0 && std::fabs(value) < 1.0) {
    value *= 1000.0;
    ++unit;
  }
  char buffer[64];
  int digits = std::fabs(value) >= 100 ? 0 : std::fabs(value) >= 10 ? 1 : 2;
  std::snprintf(buffer, sizeof(buffer), "%.*f %s", digits, value, units[unit]);
  return buffer;
}

std::string filter_bar(const std::string& table_id, const std::string& controls) {
  return "<div class=\"filters\" data-table=\"" + escape(table_id) + "\">" + controls +
         " <span class=\"count note\"></span> <button type=\"button\" class=\"more\" hidden>show all</button></div>\n";
}

std::string render_page(std::string_view title, const std::vector<std::string>& inputs,
                        const std::vector<Section>& sections) {
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No network: the policy forbids every fetch; only the inline style, the inline script and the
  // flame graph's data: frame may load.
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "script-src 'unsafe-inline'; img-src data:; frame-src data:\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"generator\" content=\"hone " HONE_VERSION "\">\n";
  page += "<title>" + escape(title) + "</title>\n<style>" + k_style + "</style>\n</head>\n<body>\n";
  page += "<header>\n<h1>" + escape(title) + "</h1>\n<p class=\"meta\">hone " HONE_VERSION " &middot; from ";
  for (std::size_t i = 0; i < inputs.size(); ++i) page += (i ? ", " : "") + escape(inputs[i]);
  page += "</p>\n<nav>";
  for (const Section& section : sections)
    page += "<a href=\"#" + escape(section.id) + "\">" + escape(section.title) + "</a>";
  page += "</nav>\n</header>\n<main>\n";
  for (const Section& section : sections) {
    page += "<section id=\"" + escape(section.id) + "\">\n<h2>" + escape(section.title) + "</h2>\n";
    page += section.body;
    page += "</section>\n";
  }
  page += "</main>\n<script>";
  page += k_script;
  page += "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace hone::report
