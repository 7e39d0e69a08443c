// Reads the optimization records clang writes with -fsave-optimization-record (YAML or bitstream) and
// hands every remark to a callback as a plain value, so `hone vec` never touches LLVM's remark types.
//
// Real projects produce remark files of hundreds of megabytes. The YAML reader therefore streams: it
// reads the file in blocks, cuts it at document boundaries and parses one batch of documents at a time,
// so memory stays bounded by the largest document, not by the file. A malformed document is reported
// with its file:line and reading continues with the next one: one bad record must not hide the rest of a
// translation unit's remarks. A record that is cut short (its last remark not closed by `...`, or a
// binary record that breaks off) is different: the remarks after the cut are missing, so the file as a
// whole is an error and the TU must be reported as not analyzed rather than with wrong verdicts.
//
// Producing bitstream records on Linux: clang 19 crashes (MCELFStreamer::changeSection) when asked for
// -fsave-optimization-record=bitstream with -c or -S, because ELF has no remarks section; with
// `-mllvm -remarks-section=false` it writes a file whose string table is missing, which no reader can
// use. Ask clang for YAML (the default); `llvm-remarkutil yaml2bitstream` converts to a standalone
// bitstream file, which this reader reads.
#pragma once

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hone::vec {

// The record's YAML tag (`!Passed`, `!Missed`, `!Analysis`, `!AnalysisFPCommute`, `!AnalysisAliasing`,
// `!Failure`) or the bitstream equivalent.
enum class RemarkKind { Passed, Missed, Analysis, AnalysisFPCommute, AnalysisAliasing, Failure, Other };

// One `Args` entry: a key (`String`, `VectorizationFactor`, `Callee`, ...), its value, and the source
// location the compiler attached to it (for example the conflicting access of a dependence).
struct RemarkArg {
  std::string key, value;
  std::string file;  // empty: the argument has no DebugLoc
  unsigned line = 0, column = 0;
};

struct Remark {
  RemarkKind kind = RemarkKind::Other;
  std::string pass, name, function;  // function is the mangled name as in the record
  std::string file;                  // empty file: no DebugLoc
  unsigned line = 0, column = 0;
  std::optional<uint64_t> hotness;  // present when compiled with a profile and -fdiagnostics-show-hotness
  std::vector<RemarkArg> args;
  std::string message() const;  // the arg values concatenated, as the compiler prints it
};

// What reading one file produced. `errors` entries read `file:line: what`, or `file: what` for a
// binary (bitstream) record, which has no lines.
struct RemarkFileSummary {
  size_t remarks = 0;
  std::vector<std::string> errors;
};

// Streams every remark of a YAML or bitstream optimization record (format detected from the content).
// YAML is read document by document, never the whole file at once. A malformed document is recorded in
// `errors` and reading continues with the next one. Returns an llvm::Error when the file cannot be read,
// or when it is cut short (the last YAML remark has no closing `...`; a bitstream or metadata-container
// record breaks off), naming the file and line; the remarks handed out before the error must then be
// discarded. An empty file is no error: a TU that emits no code has no remarks.
llvm::Expected<RemarkFileSummary> read_remark_file(const std::string& path,
                                                   llvm::function_ref<void(Remark&&)> on_remark);

// How YAML documents are parsed. Fast (what the two-argument form uses) reads the layout LLVM's YAML
// writer produces directly and hands every document it does not recognise, malformed ones included,
// to LLVM's parser, which also words the errors. LlvmOnly sends every document through LLVM's parser:
// about 3x slower, and the reference the fast path is tested against.
enum class YamlParsing { Fast, LlvmOnly };
llvm::Expected<RemarkFileSummary> read_remark_file(const std::string& path,
                                                   llvm::function_ref<void(Remark&&)> on_remark, YamlParsing parsing);

// The lower-case tag name of a kind ("passed", "missed", "analysis-fp-commute", ...), for output.
const char* remark_kind_name(RemarkKind kind);

}  // namespace hone::vec
