// Remarks → per-loop verdicts and reason categories (see verdict.h).
//
// The text table below is ordered: the first row whose pattern occurs in a remark decides its
// category, so the specific wordings ("library call cannot be vectorized") come before the generic
// ones ("instruction cannot be vectorized"). Patterns are short fragments of LLVM 19's messages,
// matched case-insensitively.
#include "verdict.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <map>

namespace hone::vec {

const char* reason_name(Reason reason) {
  switch (reason) {
    case Reason::FpReassociation: return "fp-reassociation";
    case Reason::FpMinMax: return "fp-min-max";
    case Reason::LoopIdiom: return "loop-idiom";
    case Reason::Aliasing: return "aliasing";
    case Reason::TripCount: return "trip-count";
    case Reason::Call: return "call";
    case Reason::ControlFlow: return "control-flow";
    case Reason::Dependence: return "dependence";
    case Reason::ValueOutsideLoop: return "value-outside-loop";
    case Reason::UnsupportedInstruction: return "unsupported-instruction";
    case Reason::Disabled: return "disabled";
    case Reason::NotProfitable: return "not-profitable";
    case Reason::Other: return "other";
  }
  return "other";
}

const char* reason_description(Reason reason) {
  switch (reason) {
    case Reason::FpReassociation: return "floating-point reduction needs reassociation";
    case Reason::FpMinMax: return "floating-point min/max reduction needs -ffinite-math-only -fno-signed-zeros";
    case Reason::LoopIdiom: return "an inner loop became a memcpy/memset call";
    case Reason::Aliasing: return "pointers may alias";
    case Reason::TripCount: return "unknown trip count";
    case Reason::Call: return "call that cannot be vectorized";
    case Reason::ControlFlow: return "control flow";
    case Reason::Dependence: return "loop-carried memory dependence";
    case Reason::ValueOutsideLoop: return "value used outside the loop";
    case Reason::UnsupportedInstruction: return "unsupported instruction";
    case Reason::Disabled: return "vectorization disabled";
    case Reason::NotProfitable: return "not profitable";
    case Reason::Other: return "other";
  }
  return "other";
}

bool parse_reason(const std::string& name, Reason& reason) {
  for (Reason candidate : k_all_reasons) {
    if (name == reason_name(candidate)) {
      reason = candidate;
      return true;
    }
  }
  return false;
}

namespace {

struct TextRule {
  const char* fragment;
  Reason reason;
};

// First match wins (see the file comment).
constexpr TextRule k_text_rules[] = {
    {"reorder floating-point", Reason::FpReassociation},
    {"floating-point operations", Reason::FpReassociation},
    {"cannot identify array bounds", Reason::Aliasing},
    {"reorder memory operations", Reason::Aliasing},
    {"memory checks", Reason::Aliasing},
    {"runtime pointer checks", Reason::Aliasing},
    {"memory dependencies at runtime", Reason::Aliasing},
    {"unsafe dependent memory operations", Reason::Dependence},
    {"dependence", Reason::Dependence},
    {"number of loop iterations", Reason::TripCount},
    {"uncountable loop", Reason::TripCount},
    {"induction variable", Reason::TripCount},
    {"trip count", Reason::TripCount},
    {"library call cannot be vectorized", Reason::Call},
    {"call instruction cannot be vectorized", Reason::Call},
    {"switch statement", Reason::ControlFlow},
    {"control flow", Reason::ControlFlow},
    {"early exit", Reason::ControlFlow},
    {"used outside the loop", Reason::ValueOutsideLoop},
    {"explicitly disabled", Reason::Disabled},
    {"not beneficial", Reason::NotProfitable},
    {"not profitable", Reason::NotProfitable},
    {"loop invariant address", Reason::UnsupportedInstruction},
    {"atomic ordering", Reason::UnsupportedInstruction},
    {"volatile", Reason::UnsupportedInstruction},
    {"instruction cannot be vectorized", Reason::UnsupportedInstruction},
    {"unsupported", Reason::UnsupportedInstruction},
    {"cannot be vectorized", Reason::UnsupportedInstruction},
};

bool is_vectorizer_remark(const Remark& remark) {
  // Some producers leave Pass empty; the names the vectorizer uses are distinctive enough.
  return remark.pass == "loop-vectorize" || (remark.pass.empty() && remark.name.find("Vectoriz") != std::string::npos);
}

// "loop not vectorized: X" → "X"; the prefix carries no information once grouped.
std::string reason_text(const Remark& remark) {
  std::string message = remark.message();
  llvm::StringRef text = llvm::StringRef(message).trim();
  text.consume_front("loop not vectorized: ");
  return text.str();
}

bool parse_unsigned(llvm::StringRef text, unsigned& value) {
  text = text.trim();
  return !text.getAsInteger(10, value);
}

void read_passed(const Remark& remark, LoopVerdict& verdict) {
  for (const RemarkArg& arg : remark.args) {
    llvm::StringRef value(arg.value);
    if (arg.key == "VectorizationFactor") {
      if (value.consume_front("vscale x ")) verdict.scalable = true;
      parse_unsigned(value, verdict.width);
    } else if (arg.key == "InterleaveCount") {
      parse_unsigned(value, verdict.interleave);
    }
  }
}

// Missed reasons in order of specificity: a generic "instruction cannot be vectorized" or "not
// profitable" goes after any concrete cause reported for the same loop. A value used after the loop
// goes after the loop-shape and memory causes: with an unknown trip count, for example, the "value"
// is usually the exit condition's, and fixing the count fixes both.
int specificity_rank(Reason reason) {
  switch (reason) {
    case Reason::ValueOutsideLoop: return 1;
    case Reason::UnsupportedInstruction: return 2;
    case Reason::NotProfitable: return 3;
    case Reason::Other: return 4;
    default: return 0;
  }
}

struct PendingLoop {
  std::vector<const Remark*> analyses;
};

LoopVerdict close_loop(const Remark& closing, const std::vector<const Remark*>& analyses) {
  LoopVerdict verdict;
  verdict.loop = {closing.file, closing.line, closing.column};
  verdict.function = closing.function;
  verdict.hotness = closing.hotness;
  for (const Remark* analysis : analyses) {
    verdict.raw.push_back({{analysis->file, analysis->line, analysis->column}, analysis->message()});
    if (!verdict.hotness) verdict.hotness = analysis->hotness;
  }
  verdict.raw.push_back({verdict.loop, closing.message()});

  if (closing.kind == RemarkKind::Passed && closing.name == "Vectorized") {
    verdict.vectorized = true;
    read_passed(closing, verdict);
    return verdict;
  }
  if (closing.kind == RemarkKind::Passed)  // "Interleaved": unrolled but kept scalar (width 1)
    read_passed(closing, verdict);

  std::vector<Reason> found;
  auto note = [&](const Remark& remark) {
    std::optional<Reason> reason = classify_remark(remark);
    if (!reason) return;
    if (std::find(found.begin(), found.end(), *reason) == found.end()) found.push_back(*reason);
    if (*reason == Reason::Call && reason_text(remark).find("-fno-math-errno") != std::string::npos)
      verdict.math_errno = true;
  };
  for (const Remark* analysis : analyses) {
    note(*analysis);
    // Line 0 is the compiler's "no source line" (code it made itself): not a place to point at.
    if (!verdict.culprit && !analysis->file.empty() && analysis->line != 0)
      verdict.culprit = SourcePos{analysis->file, analysis->line, analysis->column};
    if (!verdict.conflict) {
      for (const RemarkArg& arg : analysis->args) {
        if (!arg.file.empty() && arg.line != 0) {
          verdict.conflict = SourcePos{arg.file, arg.line, arg.column};
          break;
        }
      }
    }
  }
  note(closing);
  if (closing.kind == RemarkKind::Passed && found.empty()) found.push_back(Reason::NotProfitable);
  if (found.empty()) found.push_back(Reason::Other);
  // By specificity, keeping record order among equals (a handful of entries: insertion order).
  for (int rank = 0; rank <= 4; ++rank)
    for (Reason reason : found)
      if (specificity_rank(reason) == rank) verdict.reasons.push_back(reason);
  return verdict;
}

// LLVM 19 closes a loop it neither vectorizes nor interleaves with two Missed remarks at the loop:
// "vectorization is not beneficial" (or why it was not vectorized) and then the interleaving half,
// whose names all start with "Interleaving" (InterleavingNotBeneficial, ...AndDisabled,
// InterleavingAvoided, InterleavingBeneficialButDisabled). Only that second half belongs to the verdict
// before it; any other closing remark at the same place is another copy of the loop that the
// optimizer made (unswitched, versioned) and gets a verdict of its own.
bool completes_previous(const Remark& remark, const LoopVerdict& previous, bool previous_closed_missed) {
  return previous_closed_missed && remark.kind == RemarkKind::Missed &&
         llvm::StringRef(remark.name).starts_with("Interleaving") &&
         previous.loop == SourcePos{remark.file, remark.line, remark.column};
}

}  // namespace

std::optional<Reason> classify_remark(const Remark& remark) {
  if (remark.kind == RemarkKind::AnalysisFPCommute) return Reason::FpReassociation;
  if (remark.kind == RemarkKind::AnalysisAliasing) return Reason::Aliasing;
  if (remark.name == "CantReorderFPOps") return Reason::FpReassociation;
  if (remark.name == "CantReorderMemOps" || remark.name == "CantIdentifyArrayBounds") return Reason::Aliasing;
  if (remark.name == "UnsafeDep") return Reason::Dependence;
  std::string text = llvm::StringRef(reason_text(remark)).lower();
  if (text == "loop not vectorized" || text.empty()) return std::nullopt;
  for (const TextRule& rule : k_text_rules) {
    if (text.find(rule.fragment) != std::string::npos) return rule.reason;
  }
  return Reason::Other;
}

std::vector<LoopVerdict> build_verdicts(const std::vector<Remark>& remarks) {
  std::vector<LoopVerdict> verdicts;
  std::map<std::string, PendingLoop> pending;  // by function
  struct LastVerdict {
    size_t index;        // into verdicts
    bool closed_missed;  // closed by a Missed remark (not Passed)
  };
  std::map<std::string, LastVerdict> last_verdict;  // by function
  for (const Remark& remark : remarks) {
    if (!is_vectorizer_remark(remark)) continue;
    PendingLoop& loop = pending[remark.function];
    bool closing =
        remark.kind == RemarkKind::Missed || remark.kind == RemarkKind::Passed || remark.kind == RemarkKind::Failure;
    if (!closing) {
      loop.analyses.push_back(&remark);
      continue;
    }
    auto last = last_verdict.find(remark.function);
    if (loop.analyses.empty() && last != last_verdict.end() &&
        completes_previous(remark, verdicts[last->second.index], last->second.closed_missed)) {
      LoopVerdict& previous = verdicts[last->second.index];
      previous.raw.push_back({previous.loop, remark.message()});
      last->second.closed_missed = false;  // a pair has two halves
      continue;
    }
    verdicts.push_back(close_loop(remark, loop.analyses));
    last_verdict[remark.function] = {verdicts.size() - 1, remark.kind == RemarkKind::Missed};
    loop.analyses.clear();
  }
  return verdicts;
}

}  // namespace hone::vec
