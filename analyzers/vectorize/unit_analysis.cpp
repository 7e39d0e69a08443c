// One translation unit of `hone vec`, from its compile command to its loops with verdicts (see
// unit_analysis.h).
//
// The record compile is a child process, so its cost overlaps the in-process parse; the parse skips
// the bodies of functions in files that are not reported, which is most of what it would cost on top
// of the compile. A loop's compiled copies (inlined, instantiated, or unswitched/versioned by the
// optimizer) are combined into one status: missed when any copy is, with the summed hotness of the
// copies that run scalar. A copy of an outer loop made without its inner loop is set aside.
#include "unit_analysis.h"

#include "loop_match.h"
#include "unit_parse.h"
#include "unit_records.h"
#include "unit_worker.h"

#include <llvm/Demangle/Demangle.h>
#include <llvm/Support/FileSystem.h>

#include <algorithm>
#include <fstream>
#include <set>

namespace hone::vec {
namespace {

// Marks the TU as not analyzed: the compiler's `output`, then one line that says what happened.
void fail_unit(UnitResult& unit, const std::string& output, const std::string& what,
               const std::string& advice = "fix the errors above, or check its flags in the compilation database") {
  unit.failed = true;
  unit.diagnostics += output;
  if (!output.empty() && output.back() != '\n') unit.diagnostics += '\n';
  unit.diagnostics +=
      "hone: error: '" + unit.file + "' " + what + "; its loops are not in the report (" + advice + ")\n";
}

void note_setup_warnings(UnitResult& unit) {
  for (const std::string& warning : unit.setup.warnings)
    unit.diagnostics += "hone: warning: " + unit.file + ": " + warning + "\n";
  if (unit.setup.low_optimization)
    unit.diagnostics += "hone: warning: " + unit.file +
                        ": compiled at -O0/-O1/-Og, where clang does not vectorize loops; analyze the release "
                        "build (e.g. -p build-release)\n";
}

// Waits for the record compile; false (the TU failed) when it did not finish cleanly.
bool await_record_compile(const Options& options, ChildProcess& child, UnitResult& unit) {
  int status = wait_process(child, options.timeout_seconds);
  if (!child.start_error.empty()) {
    fail_unit(unit, "", "could not be compiled: " + child.start_error);
    return false;
  }
  if (child.timed_out) {
    fail_unit(unit, "",
              "was still compiling after --timeout " + std::to_string(options.timeout_seconds) + " s and was stopped",
              "raise --timeout, 0 for no limit, or leave the file out");
    return false;
  }
  if (status != 0) {
    std::string log;
    read_text(child.log_file, log);
    fail_unit(unit, log, "did not compile (exit " + std::to_string(status) + ")");
    return false;
  }
  return true;
}

// The record a wrapped build wrote for this TU; false (the TU failed) when there is none.
bool find_build_record(const Options& options, const clang::tooling::CompileCommand& command, std::string& record,
                       UnitResult& unit) {
  record = wrapper_record_path(command, options.remarks_dir);
  if (llvm::sys::fs::exists(record)) return true;
  fail_unit(unit, "", "has no optimization record in --remarks-dir (looked for '" + record + "')",
            "build it through hone with HONE_REMARKS_DIR set to that folder and clang as the compiler, or "
            "leave out --remarks-dir to let hone vec compile it");
  return false;
}

// True when `command` generates no code itself: LTO (code is generated at link time; ThinLTO's compile
// also leaves vectorizing to the link and writes an empty record) or -emit-llvm. HONE_LTO adds -flto
// without it reaching the database, so the object is asked too: LLVM bitcode (raw, or in its wrapper)
// is an LTO object.
bool defers_code_generation(const clang::tooling::CompileCommand& command) {
  bool deferred = false;
  std::string output = command.Output;
  for (size_t i = 0; i < command.CommandLine.size(); ++i) {
    llvm::StringRef arg(command.CommandLine[i]);
    if (arg == "-flto" || arg.starts_with("-flto=") || arg == "-emit-llvm") deferred = true;
    if (arg == "-fno-lto") deferred = false;
    if (command.Output.empty() && arg == "-o" && i + 1 < command.CommandLine.size())
      output = command.CommandLine[i + 1];
  }
  if (deferred || output.empty()) return deferred;
  char magic[4] = {};
  std::ifstream object(absolute_in(command.Directory, output), std::ios::binary);
  object.read(magic, sizeof magic);
  llvm::StringRef read(magic, static_cast<size_t>(object.gcount()));
  return read == llvm::StringRef("BC\xC0\xDE", 4) || read == llvm::StringRef("\xDE\xC0\x17\x0B", 4);
}

// A record from the build that is empty (0 bytes: its writer was killed, or the disk was full) although
// the TU compiles a function and has loops: the unit fails instead of giving every loop "no verdict".
// A ThinLTO compile's record is empty by right: a warning. True when the unit failed.
bool lost_build_record(const clang::tooling::CompileCommand& command, const std::string& record,
                       const ParsedUnit& parsed, UnitResult& unit) {
  uint64_t size = 0;
  if (llvm::sys::fs::file_size(record, size) || size != 0) return false;
  if (defers_code_generation(command)) {
    unit.diagnostics += "hone: warning: " + unit.file +
                        ": its record from the build is empty: compiled with LTO (or -emit-llvm), it is vectorized at "
                        "link time; leave out --remarks-dir to let hone vec compile it without LTO\n";
    return false;
  }
  if (!parsed.emits_code) return false;
  CanonicalPaths paths;
  const std::string main_file = paths.of(unit.setup.file);
  if (std::none_of(parsed.loops.begin(), parsed.loops.end(),
                   [&](const LoopInfo& loop) { return paths.of(loop.site.file) == main_file; }))
    return false;
  fail_unit(unit, "", "has an empty optimization record ('" + record + "') although it generates code and has loops",
            "its compile was cut short, e.g. killed or on a full disk: rebuild it through hone, or leave out "
            "--remarks-dir");
  return true;
}

// The reason the compiler's words stand for, once hone's reading of the source is added. LLVM says
// "value that could not be identified as reduction is used outside the loop" for an array recurrence
// it turned into a scalar one (a[i] = a[i-1] + ...: nothing is used after the loop), for the other
// shapes of body_shapes.h, for a float
// running max and for a conditional float sum; and "call instruction cannot be vectorized" for the
// memcpy/memset that an inner loop became. `idiom_line`: the line of an inner loop without a verdict
// that holds the culprit call.
Reason refined_reason(const LoopInfo& loop, const LoopVerdict& missed, Reason reason,
                      std::optional<unsigned> idiom_line) {
  // A packing counter indexes the store, so LLVM cannot bound it ("cannot identify array bounds").
  if (reason == Reason::Aliasing && loop.scalar_shape && loop.scalar_shape->kind == "pack") return Reason::Dependence;
  // Stores on different paths merged into one through a chosen pointer: the cause is the branch.
  if (reason == Reason::Aliasing && !loop.conditional_stores.empty() && loop.pointer_params.empty())
    return Reason::ControlFlow;
  // A counted loop whose next iteration reads what this one stored under a condition: the optimizer
  // carries the value across iterations through the branches, and the loop it leaves cannot be counted.
  if (reason == Reason::TripCount && loop.kind == "for" && loop.dependence && loop.dependence->conditional &&
      loop.dependence->distance > 0)
    return Reason::Dependence;
  const bool dependence_or_value = reason == Reason::ValueOutsideLoop || reason == Reason::Dependence;
  if (dependence_or_value && loop.dependence) return Reason::Dependence;
  // A scan, a packing counter and a wrap-around scalar carry a value from one iteration to the next:
  // a dependence, whatever LLVM's words. An arg max and a last index keep LLVM's reason: the index is
  // used after the loop and is no reduction LLVM knows.
  const bool used_after_loop =
      loop.scalar_shape && (loop.scalar_shape->kind == "arg-min-max" || loop.scalar_shape->kind == "last-index");
  if (dependence_or_value && loop.scalar_shape && !used_after_loop) return Reason::Dependence;
  if (reason == Reason::ValueOutsideLoop && loop.scalar_shape) return reason;
  if (reason == Reason::ValueOutsideLoop && !loop.fp_min_max.empty()) return Reason::FpMinMax;
  if (reason == Reason::ValueOutsideLoop && !loop.fp_conditional_sum.empty()) return Reason::FpReassociation;
  bool call_reason = std::find(missed.reasons.begin(), missed.reasons.end(), Reason::Call) != missed.reasons.end();
  if (call_reason && idiom_line) return Reason::LoopIdiom;
  return reason;
}

// The copy whose reason and hint are reported: with a profile the hottest copy that was not
// vectorized (a cold -Os copy's remark must not speak for the loop that matters), else the first.
std::optional<size_t> reported_copy(const std::vector<LoopVerdict>& verdicts) {
  std::optional<size_t> chosen;
  for (size_t i = 0; i < verdicts.size(); ++i) {
    if (verdicts[i].vectorized) continue;
    if (!chosen || verdicts[i].hotness.value_or(0) > verdicts[*chosen].hotness.value_or(0)) chosen = i;
  }
  return chosen;
}

// The summed hotness of the copies `counted` accepts; nullopt when none of them has one.
template <typename Predicate>
std::optional<uint64_t> summed_hotness(const std::vector<LoopVerdict>& verdicts, Predicate counted) {
  std::optional<uint64_t> sum;
  for (const LoopVerdict& verdict : verdicts)
    if (verdict.hotness && counted(verdict)) sum = sum.value_or(0) + *verdict.hotness;
  return sum;
}

// Combines a loop's verdicts into its status, reason and hint.
LoopResult settle_loop(const CompileSetup& setup, LoopInfo loop, std::string site_file,
                       std::vector<LoopVerdict> verdicts, std::vector<LoopVerdict> innerless,
                       std::optional<unsigned> idiom_line) {
  LoopResult result;
  for (const LoopVerdict& verdict : verdicts)
    if (verdict.vectorized) ++result.vectorized_copies;
  result.missed = reported_copy(verdicts);
  result.all_copies_hotness = summed_hotness(verdicts, [](const LoopVerdict&) { return true; });
  result.hotness = result.missed ? summed_hotness(verdicts, [](const LoopVerdict& v) { return !v.vectorized; })
                                 : result.all_copies_hotness;
  result.innerless_copies = std::move(innerless);
  result.status = verdicts.empty() ? (loop.has_inner_loop ? LoopStatus::Outer : LoopStatus::NoVerdict)
                  : result.missed  ? LoopStatus::Missed
                                   : LoopStatus::Vectorized;
  result.loop = std::move(loop);
  result.site_file = std::move(site_file);
  result.verdicts = std::move(verdicts);
  if (const LoopVerdict* missed = result.missed_verdict()) {
    result.reason = refined_reason(result.loop, *missed, missed->reasons.front(), idiom_line);
    if (result.reason == Reason::LoopIdiom) result.loop.replaced_inner_loop_line = *idiom_line;
    // A bare "loop not vectorized" on a loop the user or the flags turned off.
    if (result.loop.pragma_disabled || (result.reason == Reason::Other && setup.no_vectorize_flag))
      result.reason = Reason::Disabled;
    AdviceContext context{setup.no_vectorize_flag, setup.math_errno_off};
    result.advice = advise(&result.loop, *missed, result.reason, context);
  }
  return result;
}

// For each loop: the line of an inner loop that has no verdict of its own and holds a call the
// vectorizer complained about, where the source has no call: the memcpy/memset loop-idiom
// recognition put there in place of the inner loop.
std::vector<std::optional<unsigned>> idiom_lines(const std::vector<LoopSite>& sites, const std::vector<LoopInfo>& loops,
                                                 const std::vector<std::vector<LoopVerdict>>& per_loop) {
  std::vector<std::optional<unsigned>> lines(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) {
    for (const LoopVerdict& verdict : per_loop[i]) {
      for (const LoopVerdict::RawRemark& raw : verdict.raw) {
        if (verdict.vectorized || raw.text.find("call instruction cannot be vectorized") == std::string::npos) continue;
        std::optional<size_t> inner = match_loop(sites, raw.where.file, raw.where.line, raw.where.column);
        if (!inner || *inner == i || !per_loop[*inner].empty()) continue;
        const std::vector<CallSite>& calls = loops[*inner].calls;
        if (std::none_of(calls.begin(), calls.end(), [&](const CallSite& call) { return call.line == raw.where.line; }))
          lines[i] = sites[*inner].line;
      }
    }
  }
  return lines;
}

// Whether loop `inner` lies inside loop `outer` (same file; ranges nest, they never cross).
bool nested_in(const LoopSite& inner, const LoopSite& outer) {
  auto before_or_at = [](unsigned line_a, unsigned column_a, unsigned line_b, unsigned column_b) {
    return line_a < line_b || (line_a == line_b && column_a <= column_b);
  };
  return inner.file == outer.file && !(inner.line == outer.line && inner.column == outer.column) &&
         before_or_at(outer.line, outer.column, inner.line, inner.column) &&
         before_or_at(inner.end_line, inner.end_column, outer.end_line, outer.end_column);
}

// The vectorizer only sees innermost loops, so an outer loop of the source gets a verdict only from a
// copy in which its inner loops are gone. When an inner loop still has a verdict of its own in the same
// compiled function, the optimizer kept it and made the outer copy for the case where it does not run:
// `for (r...) { for (i < n) ...; f(); }` is unswitched on `n > 0`, leaving `for (r...) f();`. That copy
// is not the loop the user wrote, and its "call cannot be vectorized" is not a finding; its verdicts
// are moved to `innerless`. When no inner loop has a verdict there (fully unrolled, or turned into
// memset/memcpy), the outer loop really became innermost and its verdict stands.
std::vector<std::vector<LoopVerdict>> set_aside_innerless_copies(const std::vector<LoopSite>& sites,
                                                                 const std::vector<LoopInfo>& loops,
                                                                 std::vector<std::vector<LoopVerdict>>& per_loop) {
  std::vector<std::vector<LoopVerdict>> innerless(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) {
    if (!loops[i].has_inner_loop || per_loop[i].empty()) continue;
    std::set<std::string> functions_with_inner_verdicts;
    for (size_t j = 0; j < sites.size(); ++j)
      if (nested_in(sites[j], sites[i]))
        for (const LoopVerdict& verdict : per_loop[j]) functions_with_inner_verdicts.insert(verdict.function);
    std::vector<LoopVerdict> kept;
    for (LoopVerdict& verdict : per_loop[i])
      (functions_with_inner_verdicts.count(verdict.function) ? innerless[i] : kept).push_back(std::move(verdict));
    per_loop[i] = std::move(kept);
  }
  return innerless;
}

// A verdict without a location (no DebugLoc, or line 0) names only its function (mangled): it belongs
// to that function's loop when the function has exactly one, else it cannot be placed.
std::optional<size_t> only_loop_of(const std::vector<LoopInfo>& loops, const std::string& mangled) {
  const std::string demangled = llvm::demangle(mangled);
  std::optional<size_t> found;
  for (size_t i = 0; i < loops.size(); ++i) {
    const std::string& name = loops[i].function;
    bool same = !name.empty() && (demangled == name || llvm::StringRef(demangled).starts_with(name + "("));
    if (!same) continue;
    if (found) return std::nullopt;
    found = i;
  }
  return found;
}

// Reads the record and gives each loop of the TU its verdicts; false (the TU failed) when the record
// cannot be read.
bool attach_verdicts(const std::string& record, std::vector<LoopInfo> loops, UnitResult& unit) {
  CanonicalPaths paths;
  std::vector<LoopSite> sites;
  std::set<std::string> known{unit.setup.file, paths.of(unit.setup.file)};
  for (const LoopInfo& loop : loops) {
    LoopSite site = loop.site;
    site.file = paths.of(site.file);
    known.insert(loop.site.file);
    known.insert(site.file);
    sites.push_back(site);
  }
  unit.known_files.assign(known.begin(), known.end());
  std::vector<Remark> remarks;
  std::string error;
  if (!read_unit_record(unit.setup, unit.known_files, record, paths, remarks, unit.diagnostics, error)) {
    fail_unit(unit, "", "has no readable optimization record: " + error);
    return false;
  }
  std::vector<std::vector<LoopVerdict>> per_loop(loops.size());
  for (LoopVerdict& verdict : build_verdicts(remarks)) {
    std::optional<size_t> match = match_loop(sites, verdict.loop.file, verdict.loop.line, verdict.loop.column);
    if (!match && verdict.loop.line == 0) {
      match = only_loop_of(loops, verdict.function);
      verdict.attached_by_function = match.has_value();
    }
    if (match) per_loop[*match].push_back(std::move(verdict));
  }
  std::vector<std::vector<LoopVerdict>> innerless = set_aside_innerless_copies(sites, loops, per_loop);
  const std::vector<std::optional<unsigned>> idioms = idiom_lines(sites, loops, per_loop);
  for (size_t i = 0; i < loops.size(); ++i)
    unit.loops.push_back(settle_loop(unit.setup, std::move(loops[i]), sites[i].file, std::move(per_loop[i]),
                                     std::move(innerless[i]), idioms[i]));
  return true;
}

}  // namespace

std::string LoopResult::key() const {
  return site_file + ":" + std::to_string(loop.site.line) + ":" + std::to_string(loop.site.column);
}

bool is_reported(const Options& options, const LoopResult& loop) {
  if (is_excluded(options, loop.loop.site.file) || is_excluded(options, loop.site_file)) return false;
  if (loop.status == LoopStatus::Missed && !loop.loop.never_vectorizable.empty() && !options.all) return false;
  if (loop.status == LoopStatus::Missed) return options.categories.empty() || options.categories.count(loop.reason);
  return options.all && options.categories.empty();
}

std::string unit_scratch(const std::string& scratch_root, size_t index) {
  return scratch_root + "/tu-" + std::to_string(index);
}

UnitResult analyze_unit(const UnitContext& context, size_t index) {
  const Options& options = context.options;
  UnitResult unit;
  unit.file = context.inputs.files[index];
  std::vector<clang::tooling::CompileCommand> commands = context.inputs.database->getCompileCommands(unit.file);
  if (commands.empty()) {
    fail_unit(unit, "", "has no compile command");
    return unit;
  }
  unit.setup = prepare_compile(commands.front(), context.llvm_bin, options.profile);
  note_setup_warnings(unit);
  const std::string scratch = unit_scratch(context.scratch_root, index);
  llvm::sys::fs::create_directories(scratch);
  std::string record = scratch + "/record.yaml";

  // One pass when hone's own clang compiles the TU: the worker child compiles it and collects its
  // loops from the same parse. Otherwise the real compile runs as a child while this thread parses the
  // same TU for its loops, or, when a wrapped build already wrote the records, only the parse runs.
  const bool from_build = !options.remarks_dir.empty();
  const bool one_pass = !from_build && !context.self_executable.empty() && can_use_worker(unit.setup, context.llvm_bin);
  const std::string facts = scratch + "/facts.json";
  ChildProcess child;
  if (one_pass)
    child = start_process(worker_command(context.self_executable, unit.setup, record, facts, options.header_filter,
                                         options.system_headers),
                          unit.setup.directory, scratch + "/compile.log");
  else if (!from_build)
    child = start_process(record_command(unit.setup, record, {}), unit.setup.directory, scratch + "/compile.log");
  ParsedUnit parsed_unit;
  std::string parse_diagnostics;
  const bool parsed = one_pass || parse_loops(unit.setup, context.filter, parsed_unit, parse_diagnostics);
  bool have_record = from_build ? find_build_record(options, commands.front(), record, unit)
                                : await_record_compile(options, child, unit);
  std::string facts_error;
  if (have_record && one_pass && !read_parsed_unit(facts, parsed_unit, facts_error)) {
    fail_unit(unit, "", "was compiled, but its loops were not handed back: " + facts_error,
              "run again; if it persists, report it with the file");
    have_record = false;
  }
  if (have_record && !parsed)
    fail_unit(unit, parse_diagnostics, "did not parse");
  else if (have_record && !(from_build && lost_build_record(commands.front(), record, parsed_unit, unit))) {
    unit.uses = std::move(parsed_unit.uses);
    attach_verdicts(record, std::move(parsed_unit.loops), unit);
  }
  // Records of large TUs run to megabytes: free the space as soon as the TU is done.
  llvm::sys::fs::remove_directories(scratch);
  return unit;
}

}  // namespace hone::vec
