// `hone vec`: options, the per-TU pipeline, --try-fixes, and the report.
//
// Pipeline per translation unit (TUs run in parallel, -j):
//   1. rewrite its compile command (compile_job) and start the real compile with optimization records
//      as a child process;
//   2. meanwhile parse it in-process and collect its loops (loop_finder);
//   3. read the records (remark_reader), group them into per-loop verdicts (verdict) and attach them
//      to the loops (loop_match);
//   4. for each missed loop: reason, hint and fixes (hints); with --try-fixes, recompile a scratch
//      copy per fix (flags, or edits shown to clang through a VFS overlay so the user's files are
//      never written) and check that loop's new verdict;
//   5. one finding per loop, deduplicated across TUs by location.
// A loop seen by several TUs (a header) is analyzed by the first TU that reaches it. Output is
// compiler-style text grouped by file, JSON or SARIF, with a summary of all loops; with a profile, the
// missed loops are ranked by hotness instead.
#include "vec_main.h"

#include "compile_job.h"
#include "findings.h"
#include "hints.h"
#include "inputs.h"
#include "loop_finder.h"
#include "loop_match.h"
#include "remark_reader.h"
#include "shared_options.h"
#include "tu_runner.h"
#include "verdict.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Demangle/Demangle.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#ifndef HONE_VEC_LLVM_BIN_DIR
#define HONE_VEC_LLVM_BIN_DIR "/usr/lib/llvm-19/bin"
#endif

namespace hone::vec {
namespace {

constexpr const char* k_usage = R"(usage: hone vec [options] [files...] [-- compiler flags]

Reports the loops the compiler did not vectorize, why, and how to fix it; with --try-fixes, hone
recompiles a scratch copy with each suggested change and reports whether the loop then vectorizes.

inputs:
  -p BUILD_DIR            read BUILD_DIR/compile_commands.json (all its files when none are given)
  files... -- FLAGS       analyze these files with exactly FLAGS (no database needed)
options:
  -j N                    translation units in parallel (default: all cores)
  --format text|json|sarif  output format (default: text)
  --try-fixes             verify each hint by recompiling a scratch copy with the change applied
  --category LIST         report only missed loops of these reasons (comma-separated, see below)
  --all                   also report vectorized loops and loops without a vectorizer verdict
  --profile FILE          an indexed profile (.profdata): rank missed loops by hotness
                          (default: the newest .hone/merge/merged-*.profdata of `hone pgo`, if any)
  --no-profile            do not use a profile, not even the one `hone pgo` left
  --header-filter REGEX   report loops in headers matching REGEX (default: all non-system headers)
  --system-headers        also report loops in system headers
  --fail-on missed|LIST   exit 1 when a missed loop (of these reasons) is reported (for CI)
  --remarks-dir DIR       read the optimization records a build through the hone wrapper wrote
                          (HONE_REMARKS_DIR=DIR) instead of compiling each file again
  --timeout SECONDS       stop a compile that runs longer and report its file as not analyzed
                          (default: 600; 0: no limit)
  -h, --help              this text
reasons: fp-reassociation aliasing trip-count call control-flow dependence value-outside-loop
         unsupported-instruction disabled not-profitable other
exit codes: 0 ok, 1 findings with --fail-on, 2 bad usage or input, 3 partial (a TU did not compile)
)";

struct Options {
  analyze::InputOptions inputs;
  analyze::RunOptions run;
  analyze::OutputFormat format = analyze::OutputFormat::Text;
  bool try_fixes = false;
  bool all = false;
  std::set<Reason> categories;  // empty: all
  std::string profile;
  bool no_profile = false;
  unsigned timeout_seconds = 600;  // per child compile; 0: none
  std::string remarks_dir;         // records from a wrapped build; empty: compile each TU
  std::string header_filter = ".*";
  bool system_headers = false;
  bool fail_on = false;
  std::set<Reason> fail_on_reasons;  // empty with fail_on: any missed loop
};

bool parse_reason_list(const std::string& text, std::set<Reason>& reasons, std::string& bad) {
  llvm::SmallVector<llvm::StringRef, 8> parts;
  llvm::StringRef(text).split(parts, ',', -1, false);
  if (parts.empty()) {
    bad = text;
    return false;
  }
  for (llvm::StringRef part : parts) {
    Reason reason;
    if (!parse_reason(part.trim().str(), reason)) {
      bad = part.str();
      return false;
    }
    reasons.insert(reason);
  }
  return true;
}

// The options only `hone vec` has.
analyze::OptionParse parse_vec_option(analyze::ArgumentCursor& cursor, Options& options, std::string& error) {
  using analyze::OptionParse;
  const std::string& name = cursor.name();
  std::string text;
  std::string bad;
  if (name == "--try-fixes") {
    options.try_fixes = true;
  } else if (name == "--all") {
    options.all = true;
  } else if (name == "--category") {
    if (!cursor.take_value(text) || !parse_reason_list(text, options.categories, bad)) {
      error = "--category: unknown reason '" + bad + "'";
      return OptionParse::Error;
    }
  } else if (name == "--profile") {
    if (!cursor.take_value(options.profile) || options.profile.empty()) {
      error = "--profile needs a .profdata file";
      return OptionParse::Error;
    }
  } else if (name == "--no-profile") {
    options.no_profile = true;
  } else if (name == "--remarks-dir") {
    if (!cursor.take_value(options.remarks_dir) || options.remarks_dir.empty()) {
      error = "--remarks-dir needs the folder a build through hone wrote with HONE_REMARKS_DIR";
      return OptionParse::Error;
    }
  } else if (name == "--timeout") {
    if (!cursor.take_value(text) || text.empty() || llvm::StringRef(text).getAsInteger(10, options.timeout_seconds)) {
      error = "--timeout needs a number of seconds (0 for no limit), got '" + text + "'";
      return OptionParse::Error;
    }
  } else if (name == "--fail-on") {
    if (!cursor.take_value(text)) {
      error = "--fail-on takes 'missed' or a list of reasons";
      return OptionParse::Error;
    }
    options.fail_on = true;
    if (text != "missed" && !parse_reason_list(text, options.fail_on_reasons, bad)) {
      error = "--fail-on takes 'missed' or a list of reasons, got '" + bad + "'";
      return OptionParse::Error;
    }
  } else {
    return OptionParse::NotRecognized;
  }
  return OptionParse::Taken;
}

// Returns -1 when parsing succeeded, else the exit code.
int parse_options(const std::vector<std::string>& args, Options& options) {
  const analyze::SharedOptionTargets shared{options.inputs, options.run, options.format, options.header_filter,
                                            options.system_headers};
  const int exit_code = analyze::parse_analyzer_arguments(
      args, shared, "vec", k_usage,
      [&](analyze::ArgumentCursor& cursor, std::string& error) { return parse_vec_option(cursor, options, error); });
  if (exit_code != -1)
    return exit_code;
  if (!options.remarks_dir.empty() && !options.profile.empty())
    return analyze::usage_error("vec",
                                "--profile and --remarks-dir exclude each other: the build's records carry no "
                                "hotness (leave out --remarks-dir to rank by the profile)");
  return -1;
}

// --- profile ----------------------------------------------------------------------------------

// The newest merged profile `hone pgo merge` left in .hone/merge of this folder or one above it.
std::string find_pgo_profile() {
  llvm::SmallString<256> folder;
  llvm::sys::fs::current_path(folder);
  while (!folder.empty()) {
    llvm::SmallString<256> merge(folder);
    llvm::sys::path::append(merge, ".hone", "merge");
    std::error_code error;
    std::string newest;
    llvm::sys::TimePoint<> newest_time;
    for (llvm::sys::fs::directory_iterator it(merge, error), end; !error && it != end; it.increment(error)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      if (!name.starts_with("merged-") || !name.ends_with(".profdata"))
        continue;
      llvm::sys::fs::file_status status;
      if (llvm::sys::fs::status(it->path(), status))
        continue;
      if (newest.empty() || status.getLastModificationTime() > newest_time) {
        newest = it->path();
        newest_time = status.getLastModificationTime();
      }
    }
    if (!newest.empty())
      return newest;
    llvm::StringRef parent = llvm::sys::path::parent_path(folder);
    if (parent == folder)
      break;
    folder = parent;
  }
  return "";
}

// An indexed profile starts with the bytes ff 6c 70 72 6f 66 69 81 ("\xfflprofi\x81").
bool is_indexed_profile(const std::string& path) {
  std::string text;
  if (!read_text(path, text))
    return false;
  return text.size() >= 8 && text.compare(0, 8, "\xff" "lprofi\x81") == 0;
}

// --- per-TU work --------------------------------------------------------------------------------

class LoopConsumer : public clang::ASTConsumer {
 public:
  LoopConsumer(const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops) : filter_(filter), loops_(loops) {}
  // Bodies in files that are not reported (system headers, headers outside --header-filter) cannot
  // hold a reported loop; skipping them (and the template instantiations they would trigger) is most
  // of what the parse costs on top of the compile. Sema never skips constexpr bodies or bodies with a
  // deduced return type, so the parse stays valid.
  bool shouldSkipFunctionBody(clang::Decl* declaration) override {
    return !filter_.should_report(declaration->getASTContext().getSourceManager(), declaration->getLocation());
  }
  void HandleTranslationUnit(clang::ASTContext& ast) override {
    if (!ast.getDiagnostics().hasErrorOccurred())
      loops_ = find_loops(ast, filter_);
  }

 private:
  const analyze::SourceFilter& filter_;
  std::vector<LoopInfo>& loops_;
};

class LoopAction : public clang::ASTFrontendAction {
 public:
  LoopAction(const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops) : filter_(filter), loops_(loops) {}
  // The parse's "N errors generated" would go straight to stderr; the record compile reports the
  // same errors, with the TU's name, so this one stays quiet.
  bool BeginInvocation(clang::CompilerInstance& compiler) override {
    compiler.setVerboseOutputStream(std::make_unique<llvm::raw_null_ostream>());
    compiler.getFrontendOpts().SkipFunctionBodies = true;  // asks LoopConsumer::shouldSkipFunctionBody
    return true;
  }
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&, llvm::StringRef) override {
    return std::make_unique<LoopConsumer>(filter_, loops_);
  }

 private:
  const analyze::SourceFilter& filter_;
  std::vector<LoopInfo>& loops_;
};

bool parse_loops(const CompileSetup& setup, const analyze::SourceFilter& filter, std::vector<LoopInfo>& loops,
                 std::string& diagnostics) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system(llvm::vfs::createPhysicalFileSystem().release());
  file_system->setCurrentWorkingDirectory(setup.directory);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), file_system));
  clang::tooling::ToolInvocation invocation(parse_command(setup), std::make_unique<LoopAction>(filter, loops),
                                            files.get());
  llvm::raw_string_ostream stream(diagnostics);
  auto diagnostic_options = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  clang::TextDiagnosticPrinter printer(stream, diagnostic_options.get());
  invocation.setDiagnosticConsumer(&printer);
  bool ok = invocation.run();
  stream.flush();
  return ok;
}

enum class LoopStatus { Vectorized, Missed, Outer, NoVerdict };

struct FixOutcome {
  Fix fix;
  bool verified = false;
  unsigned width = 0, interleave = 0;
  bool scalable = false;
  std::string still;  // not verified: what the compiler says now
};

struct Shared {
  const Options& options;
  const analyze::Inputs& inputs;
  const analyze::SourceFilter& filter;
  std::string llvm_bin;
  std::string profile;
  std::string scratch_root;
  analyze::FindingSet findings;
  std::mutex mutex;  // guards everything below and stderr
  std::map<std::string, std::pair<LoopStatus, Reason>> tally;  // by loop key: first TU wins
  std::vector<std::string> failed;
  std::map<std::string, std::string> canonical_cache;
};

std::string canonical(Shared& shared, const std::string& path) {
  {
    std::lock_guard lock(shared.mutex);
    auto found = shared.canonical_cache.find(path);
    if (found != shared.canonical_cache.end())
      return found->second;
  }
  llvm::SmallString<256> real;
  std::string result = llvm::sys::fs::real_path(path, real) ? path : std::string(real);
  std::lock_guard lock(shared.mutex);
  shared.canonical_cache[path] = result;
  return result;
}

std::string width_text(unsigned width, bool scalable, unsigned interleave) {
  return "width " + std::string(scalable ? "vscale x " : "") + std::to_string(width) + ", interleave " +
         std::to_string(interleave);
}

// A remark's file as an absolute, canonical path. The record names files relative to the debug
// info's directory for the file, which it does not record: clang 19 makes the main file relative to
// the longest directory it shares with the compile directory, not to the compile directory itself.
// So a relative name that does not exist under the compile directory is matched by suffix against
// the files the TU's AST has loops in.
std::string resolve_remark_file(Shared& shared, const CompileSetup& setup, const std::vector<std::string>& known_files,
                                const std::string& file) {
  if (llvm::sys::path::is_absolute(file))
    return canonical(shared, file);
  std::string under_directory = absolute_in(setup.directory, file);
  if (llvm::sys::fs::exists(under_directory))
    return canonical(shared, under_directory);
  llvm::SmallString<256> normalized(file);
  llvm::sys::path::remove_dots(normalized, true);
  std::string suffix = "/" + std::string(normalized);
  for (const std::string& known : known_files)
    if (llvm::StringRef(known).ends_with(suffix))
      return canonical(shared, known);
  return under_directory;
}

// Reads one record file; remark locations become absolute canonical paths (resolve_remark_file).
// Malformed parts are reported and skipped.
bool read_records(Shared& shared, const CompileSetup& setup, const std::vector<std::string>& known_files,
                  const std::string& record_file, std::vector<Remark>& remarks, std::string& error) {
  llvm::Expected<RemarkFileSummary> summary = read_remark_file(record_file, [&](Remark&& remark) {
    if (!remark.file.empty())
      remark.file = resolve_remark_file(shared, setup, known_files, remark.file);
    for (RemarkArg& arg : remark.args)
      if (!arg.file.empty())
        arg.file = resolve_remark_file(shared, setup, known_files, arg.file);
    remarks.push_back(std::move(remark));
  });
  if (!summary) {
    error = llvm::toString(summary.takeError());
    return false;
  }
  if (!summary->errors.empty()) {
    std::lock_guard lock(shared.mutex);
    for (const std::string& message : summary->errors)
      llvm::errs() << "hone: warning: " << setup.file << ": malformed optimization record, skipped: " << message << '\n';
  }
  return true;
}

std::string first_error_line(const std::string& log) {
  llvm::SmallVector<llvm::StringRef, 16> lines;
  llvm::StringRef(log).split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (line.contains("error:"))
      return line.trim().str();
  return lines.empty() ? std::string() : lines.front().trim().str();
}

std::string one_line(const std::string& text);

// A remark's text without the "loop not vectorized: " every analysis starts with; empty for the bare
// closing "loop not vectorized" (and "... (Force=true)"), which says nothing about why.
std::string reason_words(const std::string& text) {
  llvm::StringRef words(text);
  if (!words.consume_front("loop not vectorized: ") && words.starts_with("loop not vectorized"))
    return "";
  return one_line(words.str());
}

// Recompiles the TU with `fix` applied in a scratch copy and checks the loop at `site`.
FixOutcome try_fix(Shared& shared, const CompileSetup& setup, const std::vector<std::string>& known_files,
                   const LoopSite& site, const std::string& site_file, const Fix& fix, const std::string& scratch) {
  FixOutcome outcome;
  outcome.fix = fix;
  llvm::sys::fs::create_directories(scratch);
  std::vector<std::string> extra = fix.flags;
  std::vector<std::pair<std::string, std::string>> overlay;
  std::set<std::string> edited_files;
  for (const SourceEdit& edit : fix.edits)
    edited_files.insert(edit.file);
  unsigned counter = 0;
  for (const std::string& file : edited_files) {
    std::string text;
    if (!read_text(file, text) || !apply_edits(file, fix.edits, text)) {
      outcome.still = "the change could not be applied to a copy of '" + file + "'";
      return outcome;
    }
    std::string copy = scratch + "/" + std::to_string(counter++) + "-" + llvm::sys::path::filename(file).str();
    if (!write_text(copy, text)) {
      outcome.still = "cannot write the scratch copy '" + copy + "'";
      return outcome;
    }
    overlay.emplace_back(file, copy);
  }
  if (!overlay.empty()) {
    std::string overlay_file = scratch + "/overlay.json", error;
    if (!write_overlay(overlay_file, overlay, error)) {
      outcome.still = error;
      return outcome;
    }
    extra.push_back("-ivfsoverlay");
    extra.push_back(overlay_file);
  }
  std::string record = scratch + "/record.yaml";
  ChildProcess child = start_process(record_command(setup, record, extra), setup.directory, scratch + "/compile.log");
  int status = wait_process(child, shared.options.timeout_seconds);
  if (child.timed_out) {
    outcome.still = "the changed copy did not compile within --timeout " +
                    std::to_string(shared.options.timeout_seconds) + " s";
    return outcome;
  }
  if (status != 0) {
    std::string log;
    read_text(child.log_file, log);
    outcome.still = "the changed copy did not compile: " +
                    (child.start_error.empty() ? first_error_line(log) : child.start_error);
    return outcome;
  }
  std::vector<Remark> remarks;
  std::string error;
  if (!read_records(shared, setup, known_files, record, remarks, error)) {
    outcome.still = "its optimization record could not be read: " + error;
    return outcome;
  }
  // Edits are compared in canonical paths, like the remarks.
  std::vector<SourceEdit> edits = fix.edits;
  for (SourceEdit& edit : edits)
    edit.file = canonical(shared, edit.file);
  bool seen = false, all_vectorized = true;
  for (const LoopVerdict& verdict : build_verdicts(remarks)) {
    if (verdict.loop.file != site_file)
      continue;
    unsigned column = verdict.loop.column;
    map_to_original(edits, verdict.loop.file, verdict.loop.line, column);
    if (verdict.loop.line != site.line || column != site.column)
      continue;
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
          if (std::string reason = reason_words(raw.text); !reason.empty())
            text += (text.empty() ? "" : "; ") + reason;
        outcome.still = "still not vectorized: " + (text.empty() ? std::string("loop not vectorized") : text);
      }
    }
  }
  outcome.verified = seen && all_vectorized;
  if (!seen)
    outcome.still = "the loop has no vectorizer verdict in the changed copy";
  if (outcome.verified)
    outcome.still.clear();
  return outcome;
}

// Multi-line remark texts (a dependence's details) as one line, so each note stays one line.
std::string one_line(const std::string& text) {
  std::string result;
  for (char c : text) {
    if (c == '\n') {
      if (!result.empty() && result.back() != ' ')
        result += ' ';
    } else {
      result += c;
    }
  }
  return result;
}

llvm::json::Object place_json(const SourcePos& where) {
  return llvm::json::Object{{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

// Builds the finding for one loop; returns false when it is not reported.
void report_loop(Shared& shared, const CompileSetup& setup, const std::vector<std::string>& known_files,
                 const LoopInfo& loop, const std::string& site_file, const std::vector<LoopVerdict>& verdicts,
                 const std::string& scratch) {
  const Options& options = shared.options;
  std::string key = site_file + ":" + std::to_string(loop.site.line) + ":" + std::to_string(loop.site.column);
  const LoopVerdict* missed = nullptr;
  unsigned vectorized_copies = 0;
  std::optional<uint64_t> hotness;
  for (const LoopVerdict& verdict : verdicts) {
    if (verdict.vectorized)
      ++vectorized_copies;
    else if (!missed)
      missed = &verdict;
    if (verdict.hotness)
      hotness = std::max(hotness.value_or(0), *verdict.hotness);
  }
  LoopStatus status = verdicts.empty() ? (loop.has_inner_loop ? LoopStatus::Outer : LoopStatus::NoVerdict)
                      : missed       ? LoopStatus::Missed
                                     : LoopStatus::Vectorized;
  Reason reason = Reason::Other;
  if (missed) {
    reason = missed->reasons.front();
    // A bare "loop not vectorized" on a loop the user or the flags turned off.
    if (loop.pragma_disabled || (reason == Reason::Other && setup.no_vectorize_flag))
      reason = Reason::Disabled;
  }
  {
    std::lock_guard lock(shared.mutex);
    if (!shared.tally.emplace(key, std::make_pair(status, reason)).second)
      return;  // another TU (same header) already reported this loop
  }
  bool wanted = status == LoopStatus::Missed
                    ? options.categories.empty() || options.categories.count(reason)
                    : options.all && options.categories.empty();
  if (!wanted)
    return;

  analyze::Finding finding;
  finding.file = loop.site.file;
  finding.line = loop.site.line;
  finding.column = loop.site.column;
  finding.dedupe_key = "vec@" + key;
  llvm::json::Object payload{{"kind", loop.kind},
                             {"function", loop.function},
                             {"end_line", loop.site.end_line},
                             {"end_column", loop.site.end_column}};
  std::set<std::string> mangled;
  for (const LoopVerdict& verdict : verdicts)
    mangled.insert(verdict.function);
  llvm::json::Array functions;
  for (const std::string& name : mangled)
    functions.push_back(llvm::json::Object{{"mangled", name}, {"demangled", llvm::demangle(name)}});
  payload["compiled_functions"] = std::move(functions);
  payload["copies"] = static_cast<int64_t>(verdicts.size());
  payload["vectorized_copies"] = static_cast<int64_t>(vectorized_copies);
  if (hotness)
    payload["hotness"] = static_cast<int64_t>(*hotness);
  std::string in_function = loop.function.empty() ? "" : " in '" + loop.function + "'";
  std::string hot_text = hotness ? " (hotness " + std::to_string(*hotness) + ")" : "";

  if (status == LoopStatus::Vectorized) {
    const LoopVerdict& first = verdicts.front();
    finding.check = "hone-vec-vectorized";
    finding.severity = analyze::Severity::Note;
    finding.message = "loop vectorized (" + width_text(first.width, first.scalable, first.interleave) + ")" +
                      in_function + hot_text;
    payload["status"] = "vectorized";
    payload["width"] = static_cast<int64_t>(first.width);
    payload["scalable"] = first.scalable;
    payload["interleave"] = static_cast<int64_t>(first.interleave);
  } else if (status != LoopStatus::Missed) {
    finding.check = "hone-vec-no-verdict";
    finding.severity = analyze::Severity::Note;
    finding.message = status == LoopStatus::Outer
                          ? "outer loop" + in_function + ": only innermost loops are vectorized"
                          : "no vectorizer verdict for this loop" + in_function +
                                ": it was fully unrolled, removed, or replaced by a library call before the "
                                "vectorizer ran, or its code is never emitted";
    payload["status"] = status == LoopStatus::Outer ? "outer" : "no-verdict";
  } else {
    finding.check = std::string("hone-vec-") + reason_name(reason);
    finding.severity = analyze::Severity::Warning;
    finding.message = std::string("loop not vectorized: ") + reason_description(reason) + in_function + hot_text;
    payload["status"] = "missed";
    payload["reason"] = reason_name(reason);
    llvm::json::Array reasons;
    for (Reason other : missed->reasons)
      reasons.push_back(reason_name(other));
    payload["reasons"] = std::move(reasons);
    if (missed->math_errno)
      payload["math_errno"] = true;
    llvm::json::Array raw;
    std::set<std::string> said;
    for (const LoopVerdict::RawRemark& remark : missed->raw) {
      llvm::json::Object item = place_json(remark.where);
      item["text"] = remark.text;
      raw.push_back(std::move(item));
      // The closing "loop not vectorized" adds nothing to the analysis remarks before it.
      if (remark.text == "loop not vectorized" || !said.insert(remark.text).second)
        continue;
      bool located = !remark.where.file.empty();
      finding.notes.push_back({located ? remark.where.file : loop.site.file, located ? remark.where.line : loop.site.line,
                               located ? remark.where.column : loop.site.column, "compiler: " + one_line(remark.text)});
    }
    payload["raw"] = std::move(raw);
    if (reason == Reason::Dependence && missed->conflict) {
      finding.notes.push_back({missed->conflict->file, missed->conflict->line, missed->conflict->column,
                               "the conflicting access"});
      payload["conflict"] = place_json(*missed->conflict);
    }
    // After a call it cannot widen, the vectorizer also says "instruction cannot be vectorized" about
    // that same call: not a second reason.
    for (size_t i = 1; i < missed->reasons.size(); ++i)
      if (missed->reasons[i] != reason &&
          !(reason == Reason::Call && missed->reasons[i] == Reason::UnsupportedInstruction))
        finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column,
                                 std::string("also: ") + reason_description(missed->reasons[i])});
    if (vectorized_copies > 0)
      finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column,
                               "vectorized in " + std::to_string(vectorized_copies) + " of " +
                                   std::to_string(verdicts.size()) + " compiled copies (inlined or instantiated)"});

    AdviceContext context{setup.no_vectorize_flag, setup.math_errno_off};
    Advice advice = advise(&loop, *missed, reason, context);
    finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column, "hint: " + advice.hint});
    payload["hint"] = advice.hint;
    llvm::json::Array fixes;
    if (options.try_fixes) {
      unsigned attempt = 0;
      for (const Fix& fix : advice.fixes) {
        FixOutcome outcome = try_fix(shared, setup, known_files, loop.site, site_file, fix,
                                     scratch + "/fix-" + std::to_string(loop.site.line) + "-" +
                                         std::to_string(loop.site.column) + "-" + std::to_string(attempt++));
        llvm::json::Array flags;
        for (const std::string& flag : fix.flags)
          flags.push_back(flag);
        llvm::json::Array edits;
        for (const SourceEdit& edit : fix.edits)
          edits.push_back(llvm::json::Object{
              {"file", edit.file}, {"line", edit.line}, {"column", edit.column}, {"insert", edit.text}});
        llvm::json::Object item{{"change", fix.description}, {"flags", std::move(flags)},
                                {"edits", std::move(edits)}, {"verified", outcome.verified}};
        if (outcome.verified) {
          item["width"] = static_cast<int64_t>(outcome.width);
          item["interleave"] = static_cast<int64_t>(outcome.interleave);
          finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column,
                                   "verified: with " + fix.description + " the loop vectorizes (" +
                                       width_text(outcome.width, outcome.scalable, outcome.interleave) + ")"});
        } else {
          item["result"] = outcome.still;
          finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column,
                                   "not verified: with " + fix.description + " the loop is " +
                                       (llvm::StringRef(outcome.still).starts_with("still") ? outcome.still
                                                                                            : "not checked: " + outcome.still)});
        }
        fixes.push_back(std::move(item));
        if (outcome.verified)
          break;
      }
      if (advice.fixes.empty())
        finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column,
                                 "no automatic fix to verify for this reason"});
    } else {
      for (const Fix& fix : advice.fixes)
        fixes.push_back(llvm::json::Object{{"change", fix.description}, {"verified", nullptr}});
    }
    payload["fixes"] = std::move(fixes);
  }
  llvm::json::Array heuristic_array;
  if (status == LoopStatus::Missed) {
    for (const std::string& text : heuristics(loop)) {
      finding.notes.push_back({loop.site.file, loop.site.line, loop.site.column, "heuristic: " + text});
      heuristic_array.push_back(text);
    }
  }
  payload["heuristics"] = std::move(heuristic_array);
  finding.payload = std::move(payload);
  shared.findings.add(std::move(finding));
}

void fail_unit(Shared& shared, const std::string& file, const std::string& output, const std::string& what,
               const std::string& advice = "fix the errors above, or check its flags in the compilation database") {
  std::lock_guard lock(shared.mutex);
  shared.failed.push_back(file);
  llvm::errs() << output;
  if (!output.empty() && output.back() != '\n')
    llvm::errs() << '\n';
  llvm::errs() << "hone: error: '" << file << "' " << what << "; its loops are not in the report (" << advice
               << ")\n";
}

void analyze_unit(Shared& shared, const std::string& file, size_t index) {
  std::vector<clang::tooling::CompileCommand> commands = shared.inputs.database->getCompileCommands(file);
  if (commands.empty()) {
    fail_unit(shared, file, "", "has no compile command");
    return;
  }
  CompileSetup setup = prepare_compile(commands.front(), shared.llvm_bin, shared.profile);
  {
    std::lock_guard lock(shared.mutex);
    for (const std::string& warning : setup.warnings)
      llvm::errs() << "hone: warning: " << file << ": " << warning << '\n';
    if (setup.low_optimization)
      llvm::errs() << "hone: warning: " << file
                   << ": compiled at -O0/-O1/-Og, where clang does not vectorize loops; analyze the release "
                      "build (e.g. -p build-release)\n";
  }
  std::string scratch = shared.scratch_root + "/tu-" + std::to_string(index);
  llvm::sys::fs::create_directories(scratch);
  std::string record = scratch + "/record.yaml";

  // The real compile runs while this thread parses the same TU for its loops, unless a wrapped build
  // already wrote the records.
  const bool from_build = !shared.options.remarks_dir.empty();
  ChildProcess child;
  if (!from_build)
    child = start_process(record_command(setup, record, {}), setup.directory, scratch + "/compile.log");
  std::vector<LoopInfo> loops;
  std::string diagnostics;
  bool parsed = parse_loops(setup, shared.filter, loops, diagnostics);
  if (from_build) {
    record = wrapper_record_path(commands.front(), shared.options.remarks_dir);
    if (!llvm::sys::fs::exists(record)) {
      fail_unit(shared, file, "", "has no optimization record in --remarks-dir (looked for '" + record + "')",
                "build it through hone with HONE_REMARKS_DIR set to that folder and clang as the compiler, or "
                "leave out --remarks-dir to let hone vec compile it");
      return;
    }
  } else {
    int status = wait_process(child, shared.options.timeout_seconds);
    if (!child.start_error.empty()) {
      fail_unit(shared, file, "", "could not be compiled: " + child.start_error);
      return;
    }
    if (child.timed_out) {
      fail_unit(shared, file, "",
                "was still compiling after --timeout " + std::to_string(shared.options.timeout_seconds) +
                    " s and was stopped",
                "raise --timeout, 0 for no limit, or leave the file out");
      return;
    }
    if (status != 0) {
      std::string log;
      read_text(child.log_file, log);
      fail_unit(shared, file, log, "did not compile (exit " + std::to_string(status) + ")");
      return;
    }
  }
  if (!parsed) {
    fail_unit(shared, file, diagnostics, "did not parse");
    return;
  }
  std::vector<LoopSite> sites;
  std::set<std::string> known{setup.file, canonical(shared, setup.file)};
  for (const LoopInfo& loop : loops) {
    LoopSite site = loop.site;
    site.file = canonical(shared, site.file);
    known.insert(loop.site.file);
    known.insert(site.file);
    sites.push_back(site);
  }
  std::vector<std::string> known_files(known.begin(), known.end());
  std::vector<Remark> remarks;
  std::string error;
  if (!read_records(shared, setup, known_files, record, remarks, error)) {
    fail_unit(shared, file, "", "has no readable optimization record: " + error);
    return;
  }

  std::vector<std::vector<LoopVerdict>> per_loop(loops.size());
  for (LoopVerdict& verdict : build_verdicts(remarks)) {
    if (std::optional<size_t> match = match_loop(sites, verdict.loop.file, verdict.loop.line, verdict.loop.column))
      per_loop[*match].push_back(std::move(verdict));
  }
  for (size_t i = 0; i < loops.size(); ++i)
    report_loop(shared, setup, known_files, loops[i], sites[i].file, per_loop[i], scratch);
  // Records of large TUs run to megabytes: free the space as soon as the TU is done.
  llvm::sys::fs::remove_directories(scratch);
}

void run_units(Shared& shared) {
  const std::vector<std::string>& files = shared.inputs.files;
  unsigned jobs = shared.options.run.jobs ? shared.options.run.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(1, files.size()));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t index = next++; index < files.size(); index = next++)
      analyze_unit(shared, files[index], index);
  };
  if (jobs == 1) {
    worker();
    return;
  }
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < jobs; ++i)
    threads.emplace_back(worker);
  for (std::thread& thread : threads)
    thread.join();
}

// --- report -------------------------------------------------------------------------------------

struct Summary {
  unsigned loops = 0, vectorized = 0, missed = 0, outer = 0, no_verdict = 0;
  std::map<Reason, unsigned> by_reason;
};

Summary summarize(const Shared& shared) {
  Summary summary;
  for (const auto& [key, entry] : shared.tally) {
    ++summary.loops;
    switch (entry.first) {
      case LoopStatus::Vectorized: ++summary.vectorized; break;
      case LoopStatus::Missed:
        ++summary.missed;
        ++summary.by_reason[entry.second];
        break;
      case LoopStatus::Outer: ++summary.outer; break;
      case LoopStatus::NoVerdict: ++summary.no_verdict; break;
    }
  }
  return summary;
}

std::string summary_text(const Summary& summary, unsigned units) {
  std::string text = "hone vec: " + std::to_string(summary.loops) + " loop" + (summary.loops == 1 ? "" : "s") +
                     " in " + std::to_string(units) + " translation unit" + (units == 1 ? "" : "s") + ": " +
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
  text += ", " + std::to_string(summary.outer) + " outer, " + std::to_string(summary.no_verdict) +
          " without a verdict";
  return text;
}

llvm::json::Object summary_json(const Summary& summary) {
  llvm::json::Object by_reason;
  for (const auto& [reason, count] : summary.by_reason)
    by_reason[reason_name(reason)] = static_cast<int64_t>(count);
  return llvm::json::Object{{"loops", static_cast<int64_t>(summary.loops)},
                            {"vectorized", static_cast<int64_t>(summary.vectorized)},
                            {"missed", static_cast<int64_t>(summary.missed)},
                            {"missed_by_reason", std::move(by_reason)},
                            {"outer", static_cast<int64_t>(summary.outer)},
                            {"no_verdict", static_cast<int64_t>(summary.no_verdict)}};
}

int64_t hotness_of(const analyze::Finding& finding) {
  if (std::optional<int64_t> value = finding.payload.getInteger("hotness"))
    return *value;
  return -1;
}

}  // namespace

int vec_main(const std::vector<std::string>& args) {
  Options options;
  if (int exit_code = parse_options(args, options); exit_code >= 0)
    return exit_code;
  const analyze::SourceFilter filter(options.header_filter, options.system_headers);

  std::string profile;
  if (!options.profile.empty()) {
    if (!llvm::sys::fs::exists(options.profile)) {
      llvm::errs() << "hone: error: no such profile: '" << options.profile << "'\n";
      return analyze::k_exit_usage;
    }
    profile = options.profile;
  } else if (!options.no_profile && options.remarks_dir.empty()) {
    profile = find_pgo_profile();
    if (!profile.empty())
      llvm::errs() << "hone: note: ranking by the profile '" << profile
                   << "' from hone pgo (--no-profile to ignore it)\n";
  }
  if (!profile.empty()) {
    llvm::SmallString<256> absolute(profile);
    llvm::sys::fs::make_absolute(absolute);
    profile = std::string(absolute);
    if (!is_indexed_profile(profile)) {
      llvm::errs() << "hone: error: '" << profile
                   << "' is not an indexed LLVM profile: merge the raw profiles first (llvm-profdata merge -o "
                      "FILE.profdata *.profraw), or run hone pgo\n";
      return analyze::k_exit_usage;
    }
  }

  if (!options.remarks_dir.empty()) {
    if (!llvm::sys::fs::is_directory(options.remarks_dir)) {
      llvm::errs() << "hone: error: --remarks-dir '" << options.remarks_dir
                   << "' is not a folder: build the project through hone with HONE_REMARKS_DIR=FOLDER first\n";
      return analyze::k_exit_usage;
    }
    llvm::SmallString<256> absolute(options.remarks_dir);
    llvm::sys::fs::make_absolute(absolute);
    options.remarks_dir = std::string(absolute);
  }

  analyze::Inputs inputs;
  if (std::string error; !analyze::load_inputs(options.inputs, inputs, error)) {
    llvm::errs() << "hone: error: " << error << '\n';
    return analyze::k_exit_usage;
  }
  llvm::SmallString<256> scratch_root;
  if (std::error_code error = llvm::sys::fs::createUniqueDirectory("hone-vec", scratch_root)) {
    llvm::errs() << "hone: error: cannot create a scratch folder in the temporary directory: " << error.message()
                 << '\n';
    return analyze::k_exit_usage;
  }

  Shared shared{options, inputs, filter, HONE_VEC_LLVM_BIN_DIR, profile, std::string(scratch_root), {}, {}, {}, {}, {}};
  run_units(shared);
  llvm::sys::fs::remove_directories(scratch_root);

  analyze::RunStatus status;
  status.tus_total = static_cast<unsigned>(inputs.files.size());
  status.failed_files = shared.failed;
  std::sort(status.failed_files.begin(), status.failed_files.end());

  std::vector<analyze::Finding> sorted = shared.findings.sorted();
  if (!profile.empty()) {
    // The hottest missed loop first: that is the one worth fixing.
    // Ties keep the file order (std::sort on the position, not std::stable_sort, which libstdc++ 12
    // implements with the deprecated std::get_temporary_buffer that clang 19 warns about).
    std::vector<size_t> order(sorted.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return hotness_of(sorted[a]) != hotness_of(sorted[b]) ? hotness_of(sorted[a]) > hotness_of(sorted[b]) : a < b;
    });
    std::vector<analyze::Finding> ranked;
    for (size_t index : order)
      ranked.push_back(std::move(sorted[index]));
    sorted = std::move(ranked);
  }
  analyze::ToolInfo tool{"hone vec", "0.1.0", "https://github.com/hone/hone/blob/main/docs/vec.md", {}};
  for (Reason reason : k_all_reasons)
    tool.rules.emplace_back(std::string("hone-vec-") + reason_name(reason),
                            std::string("loop not vectorized: ") + reason_description(reason));
  tool.rules.emplace_back("hone-vec-vectorized", "loop vectorized (reported with --all)");
  tool.rules.emplace_back("hone-vec-no-verdict", "loop without a vectorizer verdict (reported with --all)");

  Summary summary = summarize(shared);
  if (options.format == analyze::OutputFormat::Text) {
    analyze::emit_text(llvm::outs(), sorted);
    llvm::outs() << summary_text(summary, status.tus_total) << '\n';
  } else {
    std::string text;
    llvm::raw_string_ostream stream(text);
    analyze::emit(options.format, stream, tool, sorted, status);
    stream.flush();
    llvm::Expected<llvm::json::Value> document = llvm::json::parse(text);
    if (!document) {
      llvm::consumeError(document.takeError());
      llvm::outs() << text;
    } else {
      if (llvm::json::Object* object = document->getAsObject()) {
        if (options.format == analyze::OutputFormat::Json) {
          (*object)["summary"] = summary_json(summary);
        } else if (llvm::json::Array* runs = object->getArray("runs"); runs && !runs->empty()) {
          if (llvm::json::Object* run = (*runs)[0].getAsObject()) {
            llvm::json::Object* properties = run->getObject("properties");
            if (!properties) {
              (*run)["properties"] = llvm::json::Object{};
              properties = run->getObject("properties");
            }
            (*properties)["summary"] = summary_json(summary);
          }
        }
      }
      llvm::outs() << llvm::formatv("{0:2}", *document) << '\n';
    }
  }
  llvm::outs().flush();

  if (!status.failed_files.empty()) {
    llvm::errs() << "hone: error: " << status.failed_files.size() << " of " << status.tus_total
                 << " translation units did not compile; the report is partial\n";
    return analyze::k_exit_partial;
  }
  if (options.fail_on) {
    for (const analyze::Finding& finding : sorted) {
      const llvm::json::Object& payload = finding.payload;
      if (payload.getString("status") != "missed")
        continue;
      Reason reason;
      if (options.fail_on_reasons.empty() ||
          (parse_reason(payload.getString("reason").value_or("").str(), reason) && options.fail_on_reasons.count(reason)))
        return analyze::k_exit_findings;
    }
  }
  return analyze::k_exit_ok;
}

}  // namespace hone::vec
