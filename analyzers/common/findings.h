// The findings model shared by every hone analyzer, and its three emitters.
//
// An analyzer turns each TU into Findings (a located message plus a machine-readable payload). The
// same record or loop is often seen by many TUs, so FindingSet dedupes by a key the analyzer chooses
// (e.g. qualified name + location + template arguments). Emitters then write the set as
// compiler-style text (`file:line:col: warning: ... [hone-padding]`, so editors and FileCheck's
// [[@LINE]] work), JSON (one object per finding, payload included) or SARIF 2.1.0 (what code-scanning
// UIs read to show findings inline). Output is sorted by file/line/column so it is stable across -j.
#pragma once

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <mutex>
#include <string>
#include <vector>

namespace hone::analyze {

enum class Severity { Note, Warning, Error };

// One extra located line printed under a finding (e.g. "hole of 7 bytes here").
struct FindingNote {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  std::string message;
};

// One replacement of a fix: `length` bytes at byte `offset` of `file` become `text`.
struct FindingEdit {
  std::string file;  // absolute path
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
};

// Edits that resolve a finding (SARIF `fixes`), against the files as they were analysed.
struct FindingFix {
  std::string description;
  std::vector<FindingEdit> edits;
};

struct Finding {
  std::string check;  // rule id, e.g. "hone-padding"; used as SARIF ruleId and in [..] in text
  Severity severity = Severity::Warning;
  std::string file;     // absolute path
  unsigned line = 0;    // 1-based
  unsigned column = 0;  // 1-based
  std::string message;  // one line, no trailing period
  std::vector<FindingNote> notes;
  std::string detail;             // free-form multi-line text printed after the finding in text output
  llvm::json::Object payload;     // analyzer-specific data, emitted as "data" in JSON and SARIF properties
  std::string dedupe_key;         // findings with equal non-empty keys are reported once
  std::vector<FindingFix> fixes;  // SARIF only
};

// Thread-safe collection of findings from all TUs, deduplicated by Finding::dedupe_key.
class FindingSet {
public:
  void add(Finding finding);
  // Sorted by file, line, column, check; stable for equal keys.
  std::vector<Finding> sorted() const;
  size_t size() const;

private:
  mutable std::mutex mutex_;
  std::vector<Finding> findings_;
  std::vector<std::string> seen_keys_sorted_;
};

enum class OutputFormat { Text, Json, Sarif };

// Parses "text" | "json" | "sarif"; returns false for anything else.
bool parse_output_format(llvm::StringRef text, OutputFormat& format);

// Tool identity written into JSON/SARIF.
struct ToolInfo {
  std::string name;             // e.g. "hone layout"
  std::string version;          // e.g. "0.1.0"
  std::string information_uri;  // absolute URI, or empty to omit it
  // Rule ids with one-line descriptions, listed in SARIF's tool.driver.rules.
  std::vector<std::pair<std::string, std::string>> rules;
  // SARIF keeps result messages to one line; a finding's multi-line detail goes into the result's
  // properties under this name.
  std::string detail_property = "detail";
};

// Summary of the run, written into JSON and as a SARIF invocation.
struct RunStatus {
  unsigned tus_total = 0;
  std::vector<std::string> failed_files;  // TUs that did not parse
  // Analyzer-specific facts about the whole run (e.g. hone vec's loop counts under "summary"): extra
  // top-level keys of the JSON document, and SARIF's runs[0].properties. Empty: nothing is written.
  llvm::json::Object properties;
};

// `findings` sorted by file, line, column, check; insertion order breaks ties.
std::vector<Finding> sorted_findings(std::vector<Finding> findings);

// Compiler-style lines; coloured like clang's when `out` has colours enabled (raw_ostream::enable_colors,
// set from --color by the analyzer's main), plain otherwise.
void emit_text(llvm::raw_ostream& out, const std::vector<Finding>& findings);
void emit_json(llvm::raw_ostream& out, const ToolInfo& tool, const std::vector<Finding>& findings,
               const RunStatus& status);
void emit_sarif(llvm::raw_ostream& out, const ToolInfo& tool, const std::vector<Finding>& findings,
                const RunStatus& status);
void emit(OutputFormat format, llvm::raw_ostream& out, const ToolInfo& tool, const std::vector<Finding>& findings,
          const RunStatus& status);

}  // namespace hone::analyze
