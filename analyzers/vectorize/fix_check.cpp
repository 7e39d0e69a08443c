// --try-fixes (see fix_check.h): one record compile of a changed copy per fix, then the loop's verdict
// in that record.
//
// A fix whose copy does not compile, or whose loop has no verdict in the new record, is "not verified"
// with the reason in words; a loop with several compiled copies (inlined, instantiated) is verified
// only when every copy vectorizes.
#include "fix_check.h"

#include "fix_timing.h"
#include "unit_records.h"
#include "verdict.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <set>
#include <utility>

namespace hone::vec {
namespace {

std::string first_error_line(const std::string& log) {
  llvm::SmallVector<llvm::StringRef, 16> lines;
  llvm::StringRef(log).split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (line.contains("error:")) return line.trim().str();
  return lines.empty() ? std::string() : lines.front().trim().str();
}

// A remark's text without the "loop not vectorized: " every analysis starts with; empty for the bare
// closing "loop not vectorized" (and "... (Force=true)"), which says nothing about why.
std::string reason_words(const std::string& text) {
  llvm::StringRef words(text);
  if (!words.consume_front("loop not vectorized: ") && words.starts_with("loop not vectorized")) return "";
  return one_line(words.str());
}

}  // namespace

bool overlay_flags(const std::vector<SourceEdit>& edits, const std::string& append_to, const std::string& appendix,
                   const std::string& scratch, std::vector<std::string>& flags, std::string& error) {
  std::set<std::string> edited_files;
  for (const SourceEdit& edit : edits) edited_files.insert(edit.file);
  if (!appendix.empty()) edited_files.insert(append_to);
  std::vector<std::pair<std::string, std::string>> overlay;
  unsigned counter = 0;
  for (const std::string& file : edited_files) {
    std::string text;
    if (!read_text(file, text) || !apply_edits(file, edits, text)) {
      error = "the change could not be applied to a copy of '" + file + "'";
      return false;
    }
    if (file == append_to) text += appendix;
    std::string copy = scratch + "/" + std::to_string(counter++) + "-" + llvm::sys::path::filename(file).str();
    if (!write_text(copy, text)) {
      error = "cannot write the scratch copy '" + copy + "'";
      return false;
    }
    overlay.emplace_back(file, copy);
  }
  if (overlay.empty()) return true;
  std::string overlay_file = scratch + "/overlay.json";
  if (!write_overlay(overlay_file, overlay, error)) return false;
  flags.push_back("-ivfsoverlay");
  flags.push_back(overlay_file);
  return true;
}

namespace {

// Compiles the changed copy into `record`; returns false with the reason in outcome.still.
bool compile_copy(const FixTarget& target, const std::vector<std::string>& extra, const std::string& scratch,
                  const std::string& record, FixOutcome& outcome) {
  ChildProcess child =
      start_process(record_command(target.setup, record, extra), target.setup.directory, scratch + "/compile.log");
  int status = wait_process(child, target.timeout_seconds);
  if (child.timed_out) {
    outcome.still =
        "the changed copy did not compile within --timeout " + std::to_string(target.timeout_seconds) + " s";
    return false;
  }
  if (status != 0) {
    std::string log;
    read_text(child.log_file, log);
    outcome.still =
        "the changed copy did not compile: " + (child.start_error.empty() ? first_error_line(log) : child.start_error);
    return false;
  }
  return true;
}

// The loop's verdicts in the changed copy's remarks, found at the loop's original place.
void judge_copy(const FixTarget& target, const Fix& fix, const std::vector<Remark>& remarks, CanonicalPaths& paths,
                FixOutcome& outcome) {
  // Edits are compared in canonical paths, like the remarks.
  std::vector<SourceEdit> edits = fix.edits;
  for (SourceEdit& edit : edits) edit.file = paths.of(edit.file);
  bool seen = false, all_vectorized = true;
  for (const LoopVerdict& verdict : build_verdicts(remarks)) {
    if (verdict.loop.file != target.site_file) continue;
    unsigned column = verdict.loop.column;
    map_to_original(edits, verdict.loop.file, verdict.loop.line, column);
    if (verdict.loop.line != target.site.line || column != target.site.column) continue;
    seen = true;
    if (verdict.vectorized) {
      outcome.width = verdict.width;
      outcome.interleave = verdict.interleave;
      outcome.scalable = verdict.scalable;
    } else {
      all_vectorized = false;
      if (outcome.still.empty()) {
        std::string text;
        for (const LoopVerdict::RawRemark& raw : verdict.raw)
          if (std::string reason = reason_words(raw.text); !reason.empty()) text += (text.empty() ? "" : "; ") + reason;
        outcome.still = "still not vectorized: " + (text.empty() ? std::string("loop not vectorized") : text);
      }
    }
  }
  outcome.vectorizes = seen && all_vectorized;
  if (!seen) outcome.still = "the loop has no vectorizer verdict in the changed copy";
  if (outcome.vectorizes) outcome.still.clear();
  outcome.label = label_fix(target, fix, outcome.vectorizes, seen);
  outcome.verified = outcome.label == FixLabel::Verified;
}

// Recompiles the TU with `fix` applied in a scratch copy and checks the loop.
FixOutcome check_fix(const FixTarget& target, const Fix& fix, const std::string& scratch, std::string& diagnostics) {
  FixOutcome outcome;
  outcome.fix = fix;
  llvm::sys::fs::create_directories(scratch);
  std::vector<std::string> extra = fix.flags;
  if (std::string error; !overlay_flags(fix.edits, "", "", scratch, extra, error)) {
    outcome.still = error;
    return outcome;
  }
  std::string record = scratch + "/record.yaml";
  if (!compile_copy(target, extra, scratch, record, outcome)) return outcome;
  CanonicalPaths paths;
  std::vector<Remark> remarks;
  std::string error;
  if (!read_unit_record(target.setup, target.known_files, record, paths, remarks, diagnostics, error)) {
    outcome.still = "its optimization record could not be read: " + error;
    return outcome;
  }
  judge_copy(target, fix, remarks, paths, outcome);
  return outcome;
}

}  // namespace

const char* fix_label_name(FixLabel label) {
  switch (label) {
    case FixLabel::Verified: return "verified";
    case FixLabel::CallSitesMayOverlap: return "call-sites-may-overlap";
    case FixLabel::CallersUnchecked: return "callers-unchecked";
    case FixLabel::CostModelLoss: return "cost-model-predicted-loss";
    case FixLabel::MeasuredNotFaster: return "measured-not-faster";
    case FixLabel::NotVectorized: return "not-vectorized";
    case FixLabel::NotChecked: return "not-checked";
  }
  return "not-checked";
}

FixLabel label_fix(const FixTarget& target, const Fix& fix, bool vectorizes, bool checked) {
  if (!vectorizes) return checked ? FixLabel::NotVectorized : FixLabel::NotChecked;
  if (fix.asserts_no_overlap) {
    CallSafety safety = target.call_sites ? target.call_sites->safety : CallSafety::NotCalled;
    if (safety == CallSafety::MayOverlap) return FixLabel::CallSitesMayOverlap;
    if (safety != CallSafety::AllDistinct) return FixLabel::CallersUnchecked;
  }
  if (fix.forces_vectorization && target.cost_model_rejected) return FixLabel::CostModelLoss;
  return FixLabel::Verified;
}

FixLabel label_after_timing(FixLabel label, const FixTiming& timing) {
  if (!timing.measured || (label != FixLabel::Verified && label != FixLabel::CostModelLoss)) return label;
  // Faster in every round: the speed is measured, not predicted. Otherwise it is not a fix to keep.
  return timing.low >= k_timing_faster ? FixLabel::Verified : FixLabel::MeasuredNotFaster;
}

std::vector<FixOutcome> check_fixes(const FixTarget& target, const std::vector<Fix>& fixes, std::string& diagnostics) {
  std::vector<FixOutcome> outcomes;
  for (const Fix& fix : fixes) {
    std::string scratch = target.scratch_prefix + "-" + std::to_string(outcomes.size());
    outcomes.push_back(check_fix(target, fix, scratch, diagnostics));
    FixOutcome& outcome = outcomes.back();
    const bool keeps_label = outcome.label == FixLabel::Verified || outcome.label == FixLabel::CostModelLoss;
    const bool time = target.time_fixes && outcome.vectorizes && fix.forces_vectorization && keeps_label;
    const bool compare = target.time_fixes && outcome.vectorizes && (fix.reorders_fp || fix.assumes_finite);
    if (time || compare) {
      FixMeasurement measurement = measure_fix(target, fix, scratch, time, compare);
      outcome.timing = std::move(measurement.timing);
      outcome.result_change = std::move(measurement.result_change);
      outcome.label = label_after_timing(outcome.label, outcome.timing);
      outcome.verified = outcome.label == FixLabel::Verified;
    }
    // A record of a large TU runs to megabytes: free the space before the next compile.
    llvm::sys::fs::remove_directories(scratch);
    if (outcomes.back().verified) break;
  }
  return outcomes;
}

}  // namespace hone::vec
