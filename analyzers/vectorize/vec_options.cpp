// `hone vec` options: the usage text, the options only `hone vec` has, and the checks of the files
// they name (see vec_options.h).
//
// A profile is only useful when it is an indexed one (.profdata): clang silently ignores anything else
// and the ranking would be empty, so a raw profile is refused with the command that merges it.
#include "vec_options.h"

#include "compile_job.h"
#include "shared_options.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

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
  --color auto|always|never  colours in text output (default: auto, when stdout is a terminal)
  --try-fixes             verify each hint by recompiling a scratch copy with the change applied;
                          a fix that forces vectorization by pragma is also timed, and one that
                          reorders floating-point math has its results compared, in a benchmark
                          hone generates for the loop's function (as it is against with the fix)
  --no-time-fixes         with --try-fixes: no generated benchmark (speed and result change are
                          then 'not measured')
  --category LIST         report only missed loops of these reasons (comma-separated, see below)
  --all                   also report vectorized loops and loops without a vectorizer verdict
  --profile FILE          an indexed profile (.profdata): rank missed loops by hotness
                          (default: the newest .hone/merge/merged-*.profdata of `hone pgo`, if any)
  --no-profile            do not use a profile, not even the one `hone pgo` left
  --header-filter REGEX   report loops in headers matching REGEX (default: all non-system headers)
  --exclude REGEX         neither analyze nor report files whose absolute path matches REGEX
                          (e.g. --exclude '/(legacy|third_party)/')
  --top N                 print only the N first findings (hottest first with a profile)
  --system-headers        also report loops in system headers
  --fail-on missed|LIST   exit 1 when a missed loop (of these reasons) is reported (for CI)
  --remarks-dir DIR       read the optimization records a build through the hone wrapper wrote
                          (HONE_REMARKS_DIR=DIR) instead of compiling each file again
  --timeout SECONDS       stop a compile that runs longer and report its file as not analyzed
                          (default: 600; 0: no limit)
  --export-fixes FILE     write the source edits --try-fixes verified (`__restrict`, the loop pragma)
                          to FILE for clang-apply-replacements (YAML)
  -h, --help              this text
suppressing a finding: `// NOLINT(hone-vec-aliasing)` on the loop's first line, or
  `// NOLINTNEXTLINE(hone-vec-*)` on the line before (check names as printed in [...], `*` globs)
reasons: fp-reassociation fp-min-max aliasing trip-count call control-flow dependence
         value-outside-loop unsupported-instruction disabled not-profitable loop-idiom other
exit codes: 0 ok, 1 findings with --fail-on or --export-fixes could not write, 2 bad usage or input,
  3 partial (a TU did not compile)
)";

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
  } else if (name == "--no-time-fixes") {
    options.time_fixes = false;
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
  } else if (name == "--exclude") {
    if (!cursor.take_value(options.exclude) || options.exclude.empty()) {
      error = "--exclude needs a regular expression on file paths, e.g. '/legacy/'";
      return OptionParse::Error;
    }
    auto regex = std::make_shared<llvm::Regex>(options.exclude);
    if (std::string why; !regex->isValid(why)) {
      error = "--exclude: '" + options.exclude + "' is not a valid regular expression: " + why;
      return OptionParse::Error;
    }
    options.exclude_regex = std::move(regex);
  } else if (name == "--top") {
    if (!cursor.take_value(text) || llvm::StringRef(text).getAsInteger(10, options.top) || options.top == 0) {
      error = "--top needs a number of findings greater than 0, got '" + text + "'";
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
      if (!name.starts_with("merged-") || !name.ends_with(".profdata")) continue;
      llvm::sys::fs::file_status status;
      if (llvm::sys::fs::status(it->path(), status)) continue;
      if (newest.empty() || status.getLastModificationTime() > newest_time) {
        newest = it->path();
        newest_time = status.getLastModificationTime();
      }
    }
    if (!newest.empty()) return newest;
    llvm::StringRef parent = llvm::sys::path::parent_path(folder);
    if (parent == folder) break;
    // parent is a prefix of folder's own buffer: shorten in place (assigning a view of the buffer to
    // itself is what LLVM's SmallVector assertion rejects in the sanitizer builds).
    folder.truncate(parent.size());
  }
  return "";
}

// An indexed profile starts with the bytes ff 6c 70 72 6f 66 69 81 ("\xfflprofi\x81").
bool is_indexed_profile(const std::string& path) {
  std::string text;
  if (!read_text(path, text)) return false;
  return text.size() >= 8 && text.compare(0, 8,
                                          "\xff"
                                          "lprofi\x81") == 0;
}

std::string absolute(const std::string& path) {
  llvm::SmallString<256> result(path);
  llvm::sys::fs::make_absolute(result);
  return std::string(result);
}

int resolve_profile(Options& options) {
  if (!options.profile.empty()) {
    if (!llvm::sys::fs::exists(options.profile)) {
      llvm::errs() << "hone: error: no such profile: '" << options.profile << "'\n";
      return analyze::k_exit_usage;
    }
  } else if (!options.no_profile && options.remarks_dir.empty()) {
    options.profile = find_pgo_profile();
    if (!options.profile.empty())
      llvm::errs() << "hone: note: ranking by the profile '" << options.profile
                   << "' from hone pgo (--no-profile to ignore it)\n";
  }
  if (options.profile.empty()) return -1;
  options.profile = absolute(options.profile);
  if (!is_indexed_profile(options.profile)) {
    llvm::errs() << "hone: error: '" << options.profile
                 << "' is not an indexed LLVM profile: merge the raw profiles first (llvm-profdata merge -o "
                    "FILE.profdata *.profraw), or run hone pgo\n";
    return analyze::k_exit_usage;
  }
  return -1;
}

}  // namespace

int parse_options(const std::vector<std::string>& args, Options& options) {
  const analyze::SharedOptionTargets shared{
      options.inputs, options.run, options.format, options.header_filter, options.system_headers, options.report};
  const int exit_code = analyze::parse_analyzer_arguments(
      args, shared, "vec", k_usage,
      [&](analyze::ArgumentCursor& cursor, std::string& error) { return parse_vec_option(cursor, options, error); });
  if (exit_code != -1) return exit_code;
  if (!options.remarks_dir.empty() && !options.profile.empty())
    return analyze::usage_error("vec", "--profile and --remarks-dir exclude each other: the build's records carry no "
                                       "hotness (leave out --remarks-dir to rank by the profile)");
  analyze::apply_presentation(options.report, options.run);
  return -1;
}

bool is_excluded(const Options& options, const std::string& file) {
  return options.exclude_regex && options.exclude_regex->match(file);
}

int resolve_files(Options& options) {
  if (int exit_code = resolve_profile(options); exit_code >= 0) return exit_code;
  if (options.remarks_dir.empty()) return -1;
  if (!llvm::sys::fs::is_directory(options.remarks_dir)) {
    llvm::errs() << "hone: error: --remarks-dir '" << options.remarks_dir
                 << "' is not a folder: build the project through hone with HONE_REMARKS_DIR=FOLDER first\n";
    return analyze::k_exit_usage;
  }
  options.remarks_dir = absolute(options.remarks_dir);
  return -1;
}

}  // namespace hone::vec
