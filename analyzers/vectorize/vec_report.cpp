// The `hone vec` report (see vec_report.h): each reported loop becomes one finding at the loop's first
// token, with notes for the compiler's own remarks (at the instruction they point at), the hint, the
// --try-fixes results and hone's heuristics; its payload carries the same in JSON/SARIF.
//
// The tool's version is the CMake project version (HONE_VERSION). SARIF's informationUri must be an
// absolute URI and hone has no public home page, so none is given (as in `hone layout`).
#include "vec_report.h"

#include "fix_timing.h"
#include "unit_records.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Demangle/Demangle.h>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
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
  llvm::json::Array copies;
  for (const LoopVerdict& verdict : result.verdicts) {
    llvm::json::Object copy{{"function", llvm::demangle(verdict.function)}, {"vectorized", verdict.vectorized}};
    if (verdict.hotness) copy["hotness"] = static_cast<int64_t>(*verdict.hotness);
    copies.push_back(std::move(copy));
  }
  payload["copy_verdicts"] = std::move(copies);
  if (!result.innerless_copies.empty())
    payload["innerless_copies"] = static_cast<int64_t>(result.innerless_copies.size());
  if (result.hotness) payload["hotness"] = static_cast<int64_t>(*result.hotness);
  if (result.all_copies_hotness) payload["all_copies_hotness"] = static_cast<int64_t>(*result.all_copies_hotness);
  return finding;
}

// Where a loop's copies came from: one per function it was inlined or instantiated into, and more
// than one in a function when the optimizer duplicated it there (unswitching a condition out of it,
// or versioning it on a run-time check).
std::string copies_origin(const LoopResult& result) {
  std::set<std::string> functions;
  for (const LoopVerdict& verdict : result.verdicts) functions.insert(verdict.function);
  if (functions.size() == result.verdicts.size())
    return "inlined or instantiated into " + std::to_string(functions.size()) + " functions";
  if (functions.size() == 1)
    return "copies the optimizer made in '" + llvm::demangle(*functions.begin()) + "' (unswitched or versioned)";
  return "in " + std::to_string(functions.size()) +
         " functions (inlined or instantiated), and copied by the optimizer within a function (unswitched or "
         "versioned)";
}

// "vectorized in 1 of 2 copies (...)", with the hotness of each side when there is a profile.
std::string copies_note(const LoopResult& result) {
  std::string text = "vectorized in " + std::to_string(result.vectorized_copies) + " of " +
                     std::to_string(result.verdicts.size()) + " compiled copies (" + copies_origin(result) + ")";
  if (result.hotness && result.all_copies_hotness)
    text += "; hotness " + std::to_string(*result.hotness) + " in the copies not vectorized, " +
            std::to_string(*result.all_copies_hotness - *result.hotness) + " in the vectorized ones";
  return text;
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
  finding.message = outer ? "outer loop" + in_function(result) + ": only innermost loops are vectorized" +
                                (result.innerless_copies.empty()
                                     ? ""
                                     : " (the optimizer also made a copy of it without its inner loop, for when "
                                       "that loop does not run; its verdict is not reported)")
                          : "no vectorizer verdict for this loop" + in_function(result) +
                                ": it was fully unrolled, removed, or replaced by a library call before the "
                                "vectorizer ran, or its code is never emitted";
  finding.payload["status"] = outer ? "outer" : "no-verdict";
}

// LLVM names the conflicting access of a dependence relative to a folder the user is not told
// ("accessed at kernels.c:22:12"); the record's argument for it was resolved to an absolute path.
std::string absolute_conflict(std::string text, const std::optional<SourcePos>& conflict) {
  const std::string marker = "accessed at ";
  size_t start = text.find(marker);
  if (!conflict || start == std::string::npos) return text;
  start += marker.size();
  size_t end = text.find_first_of(" \n", start);
  if (end == std::string::npos) end = text.size();
  text.replace(start, end - start,
               conflict->file + ":" + std::to_string(conflict->line) + ":" + std::to_string(conflict->column));
  return text;
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
    // A remark without a source line (no DebugLoc, or line 0) is shown at the loop and says so: never
    // as file:0:0, which editors and SARIF viewers cannot place.
    bool located = !remark.where.file.empty() && remark.where.line != 0;
    finding.notes.push_back({located ? remark.where.file : site.file, located ? remark.where.line : site.line,
                             located ? remark.where.column : site.column,
                             "compiler: " + absolute_conflict(one_line(remark.text), missed.conflict) +
                                 (located ? "" : " (the record gives no source line: shown at the loop)")});
  }
  finding.payload["raw"] = std::move(raw);
  if (missed.attached_by_function) {
    note_at_loop(finding, result,
                 "the compiler's verdict has no location in the record; it is attached to the only loop of '" +
                     result.loop.function + "'");
    finding.payload["attached_by_function"] = true;
  }
  if (result.reason == Reason::Dependence && missed.conflict) {
    finding.notes.push_back(
        {missed.conflict->file, missed.conflict->line, missed.conflict->column, "the conflicting access"});
    finding.payload["conflict"] = place_json(*missed.conflict);
  }
  // After a call it cannot widen, the vectorizer also says "instruction cannot be vectorized" about
  // that same call: not a second reason.
  for (size_t i = 1; i < missed.reasons.size(); ++i)
    if (missed.reasons[i] != result.reason &&
        !(result.reason == Reason::Call && missed.reasons[i] == Reason::UnsupportedInstruction) &&
        !(result.reason == Reason::LoopIdiom &&
          (missed.reasons[i] == Reason::Call || missed.reasons[i] == Reason::UnsupportedInstruction)))
      note_at_loop(finding, result, std::string("also: ") + reason_description(missed.reasons[i]));
  if (result.vectorized_copies > 0)
    note_at_loop(finding, result, copies_note(result));
  else if (result.verdicts.size() > 1 && result.hotness)
    note_at_loop(finding, result,
                 "hotness summed over " + std::to_string(result.verdicts.size()) + " compiled copies (" +
                     copies_origin(result) + ")");
}

llvm::json::Object call_sites_json(const LoopResult& result) {
  const CallSiteCheck& check = *result.call_sites;
  const char* safety = check.safety == CallSafety::AllDistinct    ? "distinct"
                       : check.safety == CallSafety::MayOverlap   ? "may-overlap"
                       : check.safety == CallSafety::AddressTaken ? "address-taken"
                                                                  : "not-called";
  llvm::json::Array problems;
  for (const CallSiteProblem& problem : check.problems)
    problems.push_back(llvm::json::Object{
        {"file", problem.file}, {"line", problem.line}, {"column", problem.column}, {"why", problem.why}});
  return llvm::json::Object{{"safety", safety},
                            {"calls", static_cast<int64_t>(check.calls)},
                            {"problems", std::move(problems)},
                            {"summary", call_site_summary(result.loop, check)}};
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
                          {"label", fix_label_name(outcome.label)},
                          {"verified", outcome.verified},
                          {"vectorizes", outcome.vectorizes},
                          {"forces_vectorization", fix.forces_vectorization},
                          {"reorders_fp", fix.reorders_fp},
                          {"assumes_finite", fix.assumes_finite}};
  if (outcome.vectorizes) {
    item["width"] = static_cast<int64_t>(outcome.width);
    item["interleave"] = static_cast<int64_t>(outcome.interleave);
  } else {
    item["result"] = outcome.still;
  }
  const FixTiming& timing = outcome.timing;
  if (timing.measured)
    item["timing"] = llvm::json::Object{{"measured", true},
                                        {"speedup", timing.speedup},
                                        {"low", timing.low},
                                        {"high", timing.high},
                                        {"ns_per_call_as_is", timing.scalar_ns},
                                        {"rounds", static_cast<int64_t>(k_timing_rounds)},
                                        {"elements", static_cast<int64_t>(k_timing_elements)}};
  else if (!timing.not_measured.empty())
    item["timing"] = llvm::json::Object{{"measured", false}, {"why", timing.not_measured}};
  const FixResultChange& change = outcome.result_change;
  if (change.measured)
    item["result_change"] = llvm::json::Object{{"measured", true},
                                               {"max_relative", change.max_relative},
                                               {"where", change.where},
                                               {"values", static_cast<int64_t>(change.values)}};
  else if (!change.not_measured.empty())
    item["result_change"] = llvm::json::Object{{"measured", false}, {"why", change.not_measured}};
  return item;
}

std::string ratio_text(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", ratio);
  return text;
}

// "1.85x as fast as the loop as it is (1.80x-1.91x in 5 rounds of hone's generated benchmark of the
// function, arrays of 4096 small values, ...)": what the generated benchmark measured, on what.
std::string timing_text(const FixTiming& timing) {
  return ratio_text(timing.speedup) + " as fast as the loop as it is (" + ratio_text(timing.low) + "-" +
         ratio_text(timing.high) + " in " + std::to_string(k_timing_rounds) +
         " rounds of hone's generated benchmark of the function, arrays of " + std::to_string(k_timing_elements) +
         " small values, not the program's own data)";
}

// What else a fix that vectorizes changes, said after "the loop vectorizes (...)".
std::string fix_caveats(const FixOutcome& outcome) {
  std::string text;
  const FixResultChange& change = outcome.result_change;
  if ((outcome.fix.reorders_fp || outcome.fix.assumes_finite) && change.measured) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1e", change.max_relative);
    text += change.max_relative == 0
                ? "; on hone's generated input (arrays of " + std::to_string(k_timing_elements) +
                      " values between 1 and 2.7) the results were identical (" + std::to_string(change.values) +
                      " values compared)" + (outcome.fix.reorders_fp ? "; other data may round differently" : "")
                : "; on hone's generated input (arrays of " + std::to_string(k_timing_elements) +
                      " values between 1 and 2.7) the results changed by up to " + size + " relative (" + change.where +
                      ", of " + std::to_string(change.values) + " values compared)";
  } else if (outcome.fix.reorders_fp) {
    // The reason is given once, with the speed, when it is the same.
    const bool said_below = !outcome.timing.measured && outcome.timing.not_measured == change.not_measured;
    text += "; the floating-point result changes by rounding (the size of the change was not measured" +
            (change.not_measured.empty() || said_below ? std::string() : ": " + change.not_measured) + ")";
  }
  if (outcome.fix.assumes_finite) text += "; correct only if no value is a NaN or an infinity";
  if (outcome.fix.forces_vectorization && outcome.label == FixLabel::Verified) {
    if (outcome.timing.measured)
      text += "; measured " + timing_text(outcome.timing);
    else
      text += "; the pragma also overrides the cost model, and the speed was not measured" +
              (outcome.timing.not_measured.empty() ? std::string() : " (" + outcome.timing.not_measured + ")");
  }
  return text;
}

// One line per checked fix, its label first.
std::string fix_note(const LoopResult& result, const FixOutcome& outcome) {
  const std::string with = "with " + outcome.fix.description;
  const std::string vectorizes =
      " the loop vectorizes (" + width_text(outcome.width, outcome.scalable, outcome.interleave) + ")";
  const std::string callers =
      result.call_sites && outcome.fix.asserts_no_overlap ? call_site_summary(result.loop, *result.call_sites) : "";
  switch (outcome.label) {
    case FixLabel::Verified:
      return "verified: " + with + vectorizes + (callers.empty() ? "" : "; " + callers) + fix_caveats(outcome);
    case FixLabel::CallSitesMayOverlap:
      return "vectorizes, but " + callers + ": " + with + vectorizes +
             ", but '__restrict' would be a false promise for those calls and could change the results";
    case FixLabel::CallersUnchecked:
      return "unchecked: " + callers + ": " + with + vectorizes +
             "; declare them '__restrict' only if no caller passes overlapping arrays";
    case FixLabel::CostModelLoss:
      return "vectorizes; the cost model predicted a loss: " + with + vectorizes +
             " only because the pragma overrides LLVM's cost model, which rated it slower than the scalar loop; "
             "not measured" +
             (outcome.timing.not_measured.empty() ? std::string() : " (" + outcome.timing.not_measured + ")") +
             ": time it before keeping it" + fix_caveats(outcome);
    case FixLabel::MeasuredNotFaster:
      return std::string(outcome.timing.high < 1.0 ? "vectorizes, but measured slower: "
                                                   : "vectorizes, but not measurably faster: ") +
             with + vectorizes + ", but it ran " + timing_text(outcome.timing) +
             (outcome.timing.high < 1.0 ? ": keep the loop as it is" : ": not worth keeping unless your data differ") +
             fix_caveats(outcome);
    case FixLabel::NotVectorized: return "not verified: " + with + " the loop is " + outcome.still;
    case FixLabel::NotChecked: return "not verified: " + with + " the loop is not checked: " + outcome.still;
  }
  return "";
}

// The fixes: with --try-fixes, each one checked and its result; otherwise the changes, not verified.
void add_fix_results(const Options& options, const LoopResult& result, analyze::Finding& finding) {
  llvm::json::Array fixes;
  if (result.call_sites) {
    finding.payload["call_sites"] = call_sites_json(result);
    if (!options.try_fixes)
      note_at_loop(finding, result, "callers: " + call_site_summary(result.loop, *result.call_sites));
  }
  if (!options.try_fixes) {
    for (const Fix& fix : result.advice.fixes)
      fixes.push_back(llvm::json::Object{{"change", fix.description}, {"verified", nullptr}});
    finding.payload["fixes"] = std::move(fixes);
    return;
  }
  for (const FixOutcome& outcome : result.fixes_tried) {
    note_at_loop(finding, result, fix_note(result, outcome));
    fixes.push_back(fix_json(outcome));
  }
  if (result.advice.fixes.empty()) note_at_loop(finding, result, "no automatic fix to verify for this reason");
  finding.payload["fixes"] = std::move(fixes);
}

void describe_missed(const Options& options, const LoopResult& result, analyze::Finding& finding) {
  const LoopVerdict& missed = *result.missed_verdict();
  finding.check = std::string("hone-vec-") + reason_name(result.reason);
  finding.severity = analyze::Severity::Warning;
  // A loop vectorized in some copies only: the finding is about the copies that run scalar.
  const size_t scalar_copies = result.verdicts.size() - result.vectorized_copies;
  const std::string status = result.vectorized_copies == 0
                                 ? std::string("loop not vectorized: ")
                                 : "loop vectorized in " + std::to_string(result.vectorized_copies) + " of " +
                                       std::to_string(result.verdicts.size()) + " copies, not in the other" +
                                       (scalar_copies == 1 ? std::string() : " " + std::to_string(scalar_copies)) +
                                       ": ";
  finding.message = status + reason_description(result.reason) + in_function(result) + hotness_text(result);
  llvm::json::Object& payload = finding.payload;
  payload["status"] = "missed";
  if (!result.loop.never_vectorizable.empty()) payload["never_vectorizable"] = result.loop.never_vectorizable;
  if (result.loop.dependence) {
    payload["dependence_kind"] = result.loop.dependence->kind;
    if (result.loop.dependence->kind != "read-after-store")
      payload["dependence_distance"] = result.loop.dependence->distance;
  }
  if (result.loop.scalar_shape) payload["scalar_shape"] = result.loop.scalar_shape->kind;
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
  if (summary.never_vectorizable > 0)
    text += ", " + std::to_string(summary.never_vectorizable) + " of them never vectorizable (shown with --all)";
  text += ", " + std::to_string(summary.outer) + " outer, " + std::to_string(summary.no_verdict) + " without a verdict";
  return text;
}

llvm::json::Object summary_json(const Summary& summary) {
  llvm::json::Object by_reason;
  for (const auto& [reason, count] : summary.by_reason) by_reason[reason_name(reason)] = static_cast<int64_t>(count);
  return llvm::json::Object{{"loops", static_cast<int64_t>(summary.loops)},
                            {"vectorized", static_cast<int64_t>(summary.vectorized)},
                            {"missed", static_cast<int64_t>(summary.missed)},
                            {"missed_by_reason", std::move(by_reason)},
                            {"outer", static_cast<int64_t>(summary.outer)},
                            {"no_verdict", static_cast<int64_t>(summary.no_verdict)},
                            {"never_vectorizable", static_cast<int64_t>(summary.never_vectorizable)}};
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
          if (!result.loop.never_vectorizable.empty()) ++summary.never_vectorizable;
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

namespace {

// The first line `compiler --version` prints ("Ubuntu clang version 19.1.7 ..."), or why there is none.
std::string compiler_version(const std::string& compiler, const std::string& scratch) {
  const std::string log = scratch + "/version-" + std::to_string(std::hash<std::string>{}(compiler)) + ".txt";
  ChildProcess child = start_process({compiler, "--version"}, "/", log);
  const int status = wait_process(child, 30);
  std::string text;
  read_text(log, text);
  llvm::sys::fs::remove(log);
  if (status != 0) return "unknown (" + compiler + " --version failed)";
  return llvm::StringRef(text).split('\n').first.trim().str();
}

}  // namespace

llvm::json::Array compiles_json(const std::vector<UnitResult>& units, const std::string& scratch) {
  std::map<std::string, std::string> versions;
  llvm::json::Array compiles;
  for (const UnitResult& unit : units) {
    if (unit.setup.compiler.empty()) continue;
    auto [known, inserted] = versions.emplace(unit.setup.compiler, "");
    if (inserted) known->second = compiler_version(unit.setup.compiler, scratch);
    llvm::json::Array flags;
    for (const std::string& flag : unit.setup.flags) flags.push_back(flag);
    llvm::SmallString<256> directory(unit.setup.directory);
    llvm::sys::fs::make_absolute(directory);
    llvm::sys::path::remove_dots(directory, /*remove_dot_dot=*/true);
    compiles.push_back(llvm::json::Object{{"file", unit.setup.file},
                                          {"directory", std::string(directory)},
                                          {"compiler", unit.setup.compiler},
                                          {"compiler_version", known->second},
                                          {"flags", std::move(flags)}});
  }
  return compiles;
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
