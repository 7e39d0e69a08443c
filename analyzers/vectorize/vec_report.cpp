// The `hone vec` report (see vec_report.h): each reported loop becomes one finding at the loop's first
// token, with notes for the compiler's own remarks (at the instruction they point at), the hint, the
// --try-fixes results and hone's heuristics; its payload carries the same in JSON/SARIF.
//
// The tool's version is the CMake project version (HONE_VERSION). SARIF's informationUri must be an
// absolute URI and hone has no public home page, so none is given (as in `hone layout`).
#include "vec_report.h"

#include "unit_records.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Demangle/Demangle.h>

#include <algorithm>
#include <set>

#ifndef HONE_VERSION
#error "HONE_VERSION (the CMake project version) must be defined for the tool version in JSON and SARIF"
#endif

namespace hone::vec {
namespace {

std::string width_text(unsigned width, bool scalable, unsigned interleave) {
  return "width " + std::string(scalable ? "vscale x " : "") + std::to_string(width) + ", interleave " +
         std::to_string(interleave);
}

llvm::json::Object place_json(const SourcePos& where) {
  return llvm::json::Object{{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

std::string in_function(const LoopResult& result) {
  return result.loop.function.empty() ? "" : " in '" + result.loop.function + "'";
}

std::string hotness_text(const LoopResult& result) {
  return result.hotness ? " (hotness " + std::to_string(*result.hotness) + ")" : "";
}

void note_at_loop(analyze::Finding& finding, const LoopResult& result, std::string message) {
  const LoopSite& site = result.loop.site;
  finding.notes.push_back({site.file, site.line, site.column, std::move(message)});
}

// The finding's place and the payload every loop has.
analyze::Finding loop_finding_base(const LoopResult& result) {
  const LoopInfo& loop = result.loop;
  analyze::Finding finding;
  finding.file = loop.site.file;
  finding.line = loop.site.line;
  finding.column = loop.site.column;
  llvm::json::Object& payload = finding.payload;
  payload = llvm::json::Object{{"kind", loop.kind},
                               {"function", loop.function},
                               {"end_line", loop.site.end_line},
                               {"end_column", loop.site.end_column}};
  std::set<std::string> mangled;
  for (const LoopVerdict& verdict : result.verdicts) mangled.insert(verdict.function);
  llvm::json::Array functions;
  for (const std::string& name : mangled)
    functions.push_back(llvm::json::Object{{"mangled", name}, {"demangled", llvm::demangle(name)}});
  payload["compiled_functions"] = std::move(functions);
  payload["copies"] = static_cast<int64_t>(result.verdicts.size());
  payload["vectorized_copies"] = static_cast<int64_t>(result.vectorized_copies);
  if (result.hotness) payload["hotness"] = static_cast<int64_t>(*result.hotness);
  return finding;
}

void describe_vectorized(const LoopResult& result, analyze::Finding& finding) {
  const LoopVerdict& first = result.verdicts.front();
  finding.check = "hone-vec-vectorized";
  finding.severity = analyze::Severity::Note;
  finding.message = "loop vectorized (" + width_text(first.width, first.scalable, first.interleave) + ")" +
                    in_function(result) + hotness_text(result);
  finding.payload["status"] = "vectorized";
  finding.payload["width"] = static_cast<int64_t>(first.width);
  finding.payload["scalable"] = first.scalable;
  finding.payload["interleave"] = static_cast<int64_t>(first.interleave);
}

void describe_without_verdict(const LoopResult& result, analyze::Finding& finding) {
  const bool outer = result.status == LoopStatus::Outer;
  finding.check = "hone-vec-no-verdict";
  finding.severity = analyze::Severity::Note;
  finding.message = outer ? "outer loop" + in_function(result) + ": only innermost loops are vectorized"
                          : "no vectorizer verdict for this loop" + in_function(result) +
                                ": it was fully unrolled, removed, or replaced by a library call before the "
                                "vectorizer ran, or its code is never emitted";
  finding.payload["status"] = outer ? "outer" : "no-verdict";
}

// The compiler's remarks about the missed copy (each text once), its conflicting access, the other
// reasons and how many copies did vectorize.
void add_compiler_notes(const LoopResult& result, const LoopVerdict& missed, analyze::Finding& finding) {
  const LoopSite& site = result.loop.site;
  llvm::json::Array raw;
  std::set<std::string> said;
  for (const LoopVerdict::RawRemark& remark : missed.raw) {
    llvm::json::Object item = place_json(remark.where);
    item["text"] = remark.text;
    raw.push_back(std::move(item));
    // The closing "loop not vectorized" adds nothing to the analysis remarks before it.
    if (remark.text == "loop not vectorized" || !said.insert(remark.text).second) continue;
    bool located = !remark.where.file.empty();
    finding.notes.push_back({located ? remark.where.file : site.file, located ? remark.where.line : site.line,
                             located ? remark.where.column : site.column, "compiler: " + one_line(remark.text)});
  }
  finding.payload["raw"] = std::move(raw);
  if (result.reason == Reason::Dependence && missed.conflict) {
    finding.notes.push_back(
        {missed.conflict->file, missed.conflict->line, missed.conflict->column, "the conflicting access"});
    finding.payload["conflict"] = place_json(*missed.conflict);
  }
  // After a call it cannot widen, the vectorizer also says "instruction cannot be vectorized" about
  // that same call: not a second reason.
  for (size_t i = 1; i < missed.reasons.size(); ++i)
    if (missed.reasons[i] != result.reason &&
        !(result.reason == Reason::Call && missed.reasons[i] == Reason::UnsupportedInstruction))
      note_at_loop(finding, result, std::string("also: ") + reason_description(missed.reasons[i]));
  if (result.vectorized_copies > 0)
    note_at_loop(finding, result,
                 "vectorized in " + std::to_string(result.vectorized_copies) + " of " +
                     std::to_string(result.verdicts.size()) + " compiled copies (inlined or instantiated)");
}

llvm::json::Object fix_json(const FixOutcome& outcome) {
  const Fix& fix = outcome.fix;
  llvm::json::Array flags;
  for (const std::string& flag : fix.flags) flags.push_back(flag);
  llvm::json::Array edits;
  for (const SourceEdit& edit : fix.edits)
    edits.push_back(
        llvm::json::Object{{"file", edit.file}, {"line", edit.line}, {"column", edit.column}, {"insert", edit.text}});
  llvm::json::Object item{{"change", fix.description},
                          {"flags", std::move(flags)},
                          {"edits", std::move(edits)},
                          {"verified", outcome.verified}};
  if (outcome.verified) {
    item["width"] = static_cast<int64_t>(outcome.width);
    item["interleave"] = static_cast<int64_t>(outcome.interleave);
  } else {
    item["result"] = outcome.still;
  }
  return item;
}

// The fixes: with --try-fixes, each one checked and its result; otherwise the changes, not verified.
void add_fix_results(const Options& options, const LoopResult& result, analyze::Finding& finding) {
  llvm::json::Array fixes;
  if (!options.try_fixes) {
    for (const Fix& fix : result.advice.fixes)
      fixes.push_back(llvm::json::Object{{"change", fix.description}, {"verified", nullptr}});
    finding.payload["fixes"] = std::move(fixes);
    return;
  }
  for (const FixOutcome& outcome : result.fixes_tried) {
    const std::string& change = outcome.fix.description;
    if (outcome.verified)
      note_at_loop(finding, result,
                   "verified: with " + change + " the loop vectorizes (" +
                       width_text(outcome.width, outcome.scalable, outcome.interleave) + ")");
    else
      note_at_loop(
          finding, result,
          "not verified: with " + change + " the loop is " +
              (llvm::StringRef(outcome.still).starts_with("still") ? outcome.still : "not checked: " + outcome.still));
    fixes.push_back(fix_json(outcome));
  }
  if (result.advice.fixes.empty()) note_at_loop(finding, result, "no automatic fix to verify for this reason");
  finding.payload["fixes"] = std::move(fixes);
}

void describe_missed(const Options& options, const LoopResult& result, analyze::Finding& finding) {
  const LoopVerdict& missed = *result.missed_verdict();
  finding.check = std::string("hone-vec-") + reason_name(result.reason);
  finding.severity = analyze::Severity::Warning;
  finding.message = std::string("loop not vectorized: ") + reason_description(result.reason) + in_function(result) +
                    hotness_text(result);
  llvm::json::Object& payload = finding.payload;
  payload["status"] = "missed";
  payload["reason"] = reason_name(result.reason);
  llvm::json::Array reasons;
  for (Reason other : missed.reasons) reasons.push_back(reason_name(other));
  payload["reasons"] = std::move(reasons);
  if (missed.math_errno) payload["math_errno"] = true;
  add_compiler_notes(result, missed, finding);
  note_at_loop(finding, result, "hint: " + result.advice.hint);
  payload["hint"] = result.advice.hint;
  add_fix_results(options, result, finding);
  llvm::json::Array heuristic_array;
  for (const std::string& text : heuristics(result.loop)) {
    note_at_loop(finding, result, "heuristic: " + text);
    heuristic_array.push_back(text);
  }
  payload["heuristics"] = std::move(heuristic_array);
}

analyze::Finding loop_finding(const Options& options, const LoopResult& result) {
  analyze::Finding finding = loop_finding_base(result);
  if (result.status == LoopStatus::Missed) {
    describe_missed(options, result, finding);
    return finding;
  }
  if (result.status == LoopStatus::Vectorized)
    describe_vectorized(result, finding);
  else
    describe_without_verdict(result, finding);
  finding.payload["heuristics"] = llvm::json::Array{};
  return finding;
}

int64_t hotness_of(const analyze::Finding& finding) {
  if (std::optional<int64_t> value = finding.payload.getInteger("hotness")) return *value;
  return -1;
}

// The hottest missed loop first: that is the one worth fixing. Ties keep the file order (std::sort on
// the position, not std::stable_sort, which libstdc++ 12 implements with the deprecated
// std::get_temporary_buffer that clang 19 warns about).
std::vector<analyze::Finding> ranked_by_hotness(std::vector<analyze::Finding> sorted) {
  std::vector<size_t> order(sorted.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return hotness_of(sorted[a]) != hotness_of(sorted[b]) ? hotness_of(sorted[a]) > hotness_of(sorted[b]) : a < b;
  });
  std::vector<analyze::Finding> ranked;
  for (size_t index : order) ranked.push_back(std::move(sorted[index]));
  return ranked;
}

std::string summary_text(const Summary& summary, unsigned units) {
  std::string text = "hone vec: " + std::to_string(summary.loops) + " loop" + (summary.loops == 1 ? "" : "s") + " in " +
                     std::to_string(units) + " translation unit" + (units == 1 ? "" : "s") + ": " +
                     std::to_string(summary.vectorized) + " vectorized, " + std::to_string(summary.missed) +
                     " not vectorized";
  if (!summary.by_reason.empty()) {
    text += " (";
    bool first = true;
    for (const auto& [reason, count] : summary.by_reason) {
      text += (first ? "" : ", ") + std::to_string(count) + " " + reason_name(reason);
      first = false;
    }
    text += ")";
  }
  text += ", " + std::to_string(summary.outer) + " outer, " + std::to_string(summary.no_verdict) + " without a verdict";
  return text;
}

llvm::json::Object summary_json(const Summary& summary) {
  llvm::json::Object by_reason;
  for (const auto& [reason, count] : summary.by_reason) by_reason[reason_name(reason)] = static_cast<int64_t>(count);
  return llvm::json::Object{
      {"loops", static_cast<int64_t>(summary.loops)},   {"vectorized", static_cast<int64_t>(summary.vectorized)},
      {"missed", static_cast<int64_t>(summary.missed)}, {"missed_by_reason", std::move(by_reason)},
      {"outer", static_cast<int64_t>(summary.outer)},   {"no_verdict", static_cast<int64_t>(summary.no_verdict)}};
}

analyze::ToolInfo tool_info() {
  analyze::ToolInfo tool{"hone vec", HONE_VERSION, "", {}};
  for (Reason reason : k_all_reasons)
    tool.rules.emplace_back(std::string("hone-vec-") + reason_name(reason),
                            std::string("loop not vectorized: ") + reason_description(reason));
  tool.rules.emplace_back("hone-vec-vectorized", "loop vectorized (reported with --all)");
  tool.rules.emplace_back("hone-vec-no-verdict", "loop without a vectorizer verdict (reported with --all)");
  return tool;
}

}  // namespace

Summary summarize(const std::vector<UnitResult>& units) {
  Summary summary;
  for (const UnitResult& unit : units) {
    for (const LoopResult& result : unit.loops) {
      ++summary.loops;
      switch (result.status) {
        case LoopStatus::Vectorized: ++summary.vectorized; break;
        case LoopStatus::Missed:
          ++summary.missed;
          ++summary.by_reason[result.reason];
          break;
        case LoopStatus::Outer: ++summary.outer; break;
        case LoopStatus::NoVerdict: ++summary.no_verdict; break;
      }
    }
  }
  return summary;
}

std::vector<analyze::Finding> loop_findings(const Options& options, const std::vector<UnitResult>& units) {
  std::vector<analyze::Finding> findings;
  for (const UnitResult& unit : units)
    for (const LoopResult& result : unit.loops)
      if (is_reported(options, result)) findings.push_back(loop_finding(options, result));
  findings = analyze::sorted_findings(std::move(findings));
  return options.profile.empty() ? std::move(findings) : ranked_by_hotness(std::move(findings));
}

analyze::RunStatus run_status(const std::vector<UnitResult>& units) {
  analyze::RunStatus status;
  status.tus_total = static_cast<unsigned>(units.size());
  for (const UnitResult& unit : units)
    if (unit.failed) status.failed_files.push_back(unit.file);
  std::sort(status.failed_files.begin(), status.failed_files.end());
  return status;
}

void write_report(llvm::raw_ostream& out, const Options& options, const std::vector<analyze::Finding>& findings,
                  const Summary& summary, analyze::RunStatus status) {
  if (options.format == analyze::OutputFormat::Text) {
    analyze::emit_text(out, findings);
    out << summary_text(summary, status.tus_total) << '\n';
    return;
  }
  status.properties["summary"] = summary_json(summary);
  analyze::emit(options.format, out, tool_info(), findings, status);
}

bool fails_on(const Options& options, const std::vector<analyze::Finding>& findings) {
  if (!options.fail_on) return false;
  for (const analyze::Finding& finding : findings) {
    const llvm::json::Object& payload = finding.payload;
    if (payload.getString("status") != "missed") continue;
    Reason reason;
    if (options.fail_on_reasons.empty() ||
        (parse_reason(payload.getString("reason").value_or("").str(), reason) && options.fail_on_reasons.count(reason)))
      return true;
  }
  return false;
}

}  // namespace hone::vec
