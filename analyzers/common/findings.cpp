// Dedupe and the text/JSON/SARIF emitters for hone analyzer findings (see findings.h).
//
// SARIF follows the 2.1.0 schema's minimal valid shape that GitHub code scanning accepts: one run,
// tool.driver with name/version/rules, results with ruleId/level/message/locations (artifactLocation
// uri relative to the SRCROOT base URI (the working directory, in originalUriBaseIds) or an absolute
// file:// URI, region startLine/startColumn), relatedLocations for notes, `fixes` where the analyzer
// has edits, the one-line message with any multi-line detail in a property, and an invocation that
// says whether the run was complete.
#include "findings.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>

#include <algorithm>
#include <tuple>

namespace hone::analyze {

void FindingSet::add(Finding finding) {
  std::lock_guard lock(mutex_);
  if (!finding.dedupe_key.empty()) {
    auto where = std::lower_bound(seen_keys_sorted_.begin(), seen_keys_sorted_.end(), finding.dedupe_key);
    if (where != seen_keys_sorted_.end() && *where == finding.dedupe_key) return;
    seen_keys_sorted_.insert(where, finding.dedupe_key);
  }
  findings_.push_back(std::move(finding));
}

std::vector<Finding> FindingSet::sorted() const {
  std::lock_guard lock(mutex_);
  std::vector<Finding> result;
  result.reserve(findings_.size());
  for (const Finding& finding : findings_) {
    Finding copy;
    copy.check = finding.check;
    copy.severity = finding.severity;
    copy.file = finding.file;
    copy.line = finding.line;
    copy.column = finding.column;
    copy.message = finding.message;
    copy.notes = finding.notes;
    copy.detail = finding.detail;
    copy.payload = llvm::json::Object(finding.payload);
    copy.dedupe_key = finding.dedupe_key;
    copy.fixes = finding.fixes;
    result.push_back(std::move(copy));
  }
  return sorted_findings(std::move(result));
}

std::vector<Finding> sorted_findings(std::vector<Finding> findings) {
  // Insertion order breaks ties; std::sort on an index instead of std::stable_sort, which clang 19
  // rejects with libstdc++ 12 (deprecated get_temporary_buffer).
  std::vector<size_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Finding& a = findings[x];
    const Finding& b = findings[y];
    return std::tie(a.file, a.line, a.column, a.check, x) < std::tie(b.file, b.line, b.column, b.check, y);
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (size_t index : order) sorted.push_back(std::move(findings[index]));
  return sorted;
}

size_t FindingSet::size() const {
  std::lock_guard lock(mutex_);
  return findings_.size();
}

bool parse_output_format(llvm::StringRef text, OutputFormat& format) {
  if (text == "text")
    format = OutputFormat::Text;
  else if (text == "json")
    format = OutputFormat::Json;
  else if (text == "sarif")
    format = OutputFormat::Sarif;
  else
    return false;
  return true;
}

static const char* severity_word(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}

// The colours clang uses for its own diagnostics, so hone's lines look like the compiler's on a
// terminal: the place bold, the severity word coloured (warning magenta, error red, note cyan), the
// message bold except a note's; the same escape sequences in the same order as clang's TextDiagnostic.
static llvm::raw_ostream::Colors severity_color(Severity severity) {
  switch (severity) {
    case Severity::Note: return llvm::raw_ostream::CYAN;
    case Severity::Warning: return llvm::raw_ostream::MAGENTA;
    case Severity::Error: return llvm::raw_ostream::RED;
  }
  return llvm::raw_ostream::MAGENTA;
}

// One `file:line:col: severity: message` line (colours only when the stream has them enabled).
static void emit_line(llvm::raw_ostream& out, const std::string& file, unsigned line, unsigned column,
                      Severity severity, const std::string& message, const std::string& check) {
  out.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
  out << file << ':' << line << ':' << column << ": ";
  out.resetColor();
  out.changeColor(severity_color(severity), true);
  out << severity_word(severity) << ": ";
  out.resetColor();
  if (severity != Severity::Note) out.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
  out << message;
  if (!check.empty()) out << " [" << check << "]";
  out.resetColor();
  out << '\n';
}

void emit_text(llvm::raw_ostream& out, const std::vector<Finding>& findings) {
  for (const Finding& finding : findings) {
    emit_line(out, finding.file, finding.line, finding.column, finding.severity, finding.message, finding.check);
    for (const FindingNote& note : finding.notes)
      emit_line(out, note.file, note.line, note.column, Severity::Note, note.message, "");
    if (!finding.detail.empty()) {
      out << finding.detail;
      if (!llvm::StringRef(finding.detail).ends_with("\n")) out << '\n';
    }
  }
}

static llvm::json::Object location_json(const std::string& file, unsigned line, unsigned column) {
  return llvm::json::Object{{"file", file}, {"line", line}, {"column", column}};
}

static llvm::json::Value status_json(const RunStatus& status) {
  llvm::json::Array failed;
  for (const std::string& file : status.failed_files) failed.push_back(file);
  return llvm::json::Object{{"translation_units", status.tus_total},
                            {"failed", std::move(failed)},
                            {"complete", status.failed_files.empty()}};
}

void emit_json(llvm::raw_ostream& out, const ToolInfo& tool, const std::vector<Finding>& findings,
               const RunStatus& status) {
  llvm::json::Array items;
  for (const Finding& finding : findings) {
    llvm::json::Array notes;
    for (const FindingNote& note : finding.notes) {
      llvm::json::Object object = location_json(note.file, note.line, note.column);
      object["message"] = note.message;
      notes.push_back(std::move(object));
    }
    llvm::json::Object object = location_json(finding.file, finding.line, finding.column);
    object["check"] = finding.check;
    object["severity"] = severity_word(finding.severity);
    object["message"] = finding.message;
    object["notes"] = std::move(notes);
    object["data"] = llvm::json::Object(finding.payload);
    items.push_back(std::move(object));
  }
  llvm::json::Object document{
      {"tool", tool.name}, {"version", tool.version}, {"status", status_json(status)}, {"findings", std::move(items)}};
  for (const auto& property : status.properties) document[property.first] = property.second;
  out << llvm::formatv("{0:2}", llvm::json::Value(std::move(document))) << '\n';
}

static std::string file_uri(llvm::StringRef path) {
  std::string uri = "file://";
  for (char c : path) {
    if (llvm::isAlnum(c) || llvm::StringRef("/-_.~").contains(c)) {
      uri += c;
    } else {
      uri += '%';
      uri += llvm::hexdigit((static_cast<unsigned char>(c) >> 4) & 0xF);
      uri += llvm::hexdigit(static_cast<unsigned char>(c) & 0xF);
    }
  }
  return uri;
}

// Files under the working directory are named relative to it, through the base URI SRCROOT (declared
// in the run's originalUriBaseIds), so a log made in one checkout reads the same in another; others
// keep an absolute file:// URI.
static llvm::json::Object artifact_location(const std::string& file) {
  llvm::SmallString<256> root;
  if (!llvm::sys::fs::current_path(root)) {
    std::string prefix = std::string(root) + "/";
    if (llvm::StringRef(file).starts_with(prefix)) {
      std::string relative = file_uri(file.substr(prefix.size())).substr(std::string("file://").size());
      return llvm::json::Object{{"uri", relative}, {"uriBaseId", "SRCROOT"}};
    }
  }
  return llvm::json::Object{{"uri", file_uri(file)}};
}

static llvm::json::Object sarif_location(const std::string& file, unsigned line, unsigned column,
                                         const std::string* message) {
  llvm::json::Object region{{"startLine", std::max(line, 1u)}, {"startColumn", std::max(column, 1u)}};
  llvm::json::Object physical{{"artifactLocation", artifact_location(file)}, {"region", std::move(region)}};
  llvm::json::Object location{{"physicalLocation", std::move(physical)}};
  if (message) location["message"] = llvm::json::Object{{"text", *message}};
  return location;
}

static const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}

// SARIF fixes: per fix, one artifactChange per file, each replacement a byte range (charOffset/charLength
// into the file as it was analysed) and the text that replaces it.
static llvm::json::Array sarif_fixes(const std::vector<FindingFix>& fixes) {
  llvm::json::Array array;
  for (const FindingFix& fix : fixes) {
    std::vector<std::string> files;
    for (const FindingEdit& edit : fix.edits)
      if (std::find(files.begin(), files.end(), edit.file) == files.end()) files.push_back(edit.file);
    llvm::json::Array changes;
    for (const std::string& file : files) {
      llvm::json::Array replacements;
      for (const FindingEdit& edit : fix.edits)
        if (edit.file == file)
          replacements.push_back(llvm::json::Object{
              {"deletedRegion", llvm::json::Object{{"charOffset", edit.offset}, {"charLength", edit.length}}},
              {"insertedContent", llvm::json::Object{{"text", edit.text}}}});
      changes.push_back(
          llvm::json::Object{{"artifactLocation", artifact_location(file)}, {"replacements", std::move(replacements)}});
    }
    array.push_back(llvm::json::Object{{"description", llvm::json::Object{{"text", fix.description}}},
                                       {"artifactChanges", std::move(changes)}});
  }
  return array;
}

void emit_sarif(llvm::raw_ostream& out, const ToolInfo& tool, const std::vector<Finding>& findings,
                const RunStatus& status) {
  llvm::json::Array rules;
  for (const auto& [id, description] : tool.rules)
    rules.push_back(llvm::json::Object{{"id", id}, {"shortDescription", llvm::json::Object{{"text", description}}}});
  llvm::json::Array results;
  for (const Finding& finding : findings) {
    llvm::json::Array related;
    unsigned note_id = 0;
    for (const FindingNote& note : finding.notes) {
      llvm::json::Object location = sarif_location(note.file, note.line, note.column, &note.message);
      location["id"] = note_id++;
      related.push_back(std::move(location));
    }
    llvm::json::Object properties(finding.payload);
    if (!finding.detail.empty()) properties[tool.detail_property] = finding.detail;
    llvm::json::Object result{
        {"ruleId", finding.check},
        {"level", sarif_level(finding.severity)},
        {"message", llvm::json::Object{{"text", finding.message}}},
        {"locations", llvm::json::Array{sarif_location(finding.file, finding.line, finding.column, nullptr)}},
        {"properties", std::move(properties)}};
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    if (!finding.fixes.empty()) result["fixes"] = sarif_fixes(finding.fixes);
    results.push_back(std::move(result));
  }
  llvm::json::Array notifications;
  for (const std::string& file : status.failed_files)
    notifications.push_back(llvm::json::Object{
        {"level", "error"}, {"message", llvm::json::Object{{"text", "translation unit did not parse: " + file}}}});
  llvm::json::Object driver{{"name", tool.name}, {"version", tool.version}, {"rules", std::move(rules)}};
  if (!tool.information_uri.empty())  // optional in SARIF 2.1.0, and must then be an absolute URI
    driver["informationUri"] = tool.information_uri;
  llvm::SmallString<256> root;
  std::string root_uri = llvm::sys::fs::current_path(root) ? "file:///" : file_uri(std::string(root) + "/");
  llvm::json::Object run{
      {"tool", llvm::json::Object{{"driver", std::move(driver)}}},
      {"originalUriBaseIds", llvm::json::Object{{"SRCROOT", llvm::json::Object{{"uri", root_uri}}}}},
      {"invocations", llvm::json::Array{llvm::json::Object{{"executionSuccessful", status.failed_files.empty()},
                                                           {"toolExecutionNotifications", std::move(notifications)}}}},
      {"results", std::move(results)}};
  if (!status.properties.empty()) run["properties"] = llvm::json::Object(status.properties);
  llvm::json::Value document = llvm::json::Object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                                  {"version", "2.1.0"},
                                                  {"runs", llvm::json::Array{std::move(run)}}};
  out << llvm::formatv("{0:2}", document) << '\n';
}

void emit(OutputFormat format, llvm::raw_ostream& out, const ToolInfo& tool, const std::vector<Finding>& findings,
          const RunStatus& status) {
  switch (format) {
    case OutputFormat::Text: emit_text(out, findings); return;
    case OutputFormat::Json: emit_json(out, tool, findings, status); return;
    case OutputFormat::Sarif: emit_sarif(out, tool, findings, status); return;
  }
}

}  // namespace hone::analyze
