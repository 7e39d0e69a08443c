// The command line of `hone vec`: its options, their parsing, and the files they name checked and made
// absolute before any TU runs (the profile to rank by, the --remarks-dir folder).
//
// Options shared with `hone layout` (-p, files, --, -j, --format, --header-filter, --system-headers)
// are parsed by analyzers/common/shared_options; this file adds the ones only `hone vec` has.
#pragma once

#include "findings.h"
#include "inputs.h"
#include "shared_options.h"
#include "tu_runner.h"
#include "verdict.h"

#include <llvm/Support/Regex.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hone::vec {

struct Options {
  analyze::InputOptions inputs;
  analyze::RunOptions run;
  analyze::OutputFormat format = analyze::OutputFormat::Text;
  bool try_fixes = false;
  bool time_fixes = true;  // with try_fixes: the generated benchmark of forced and FP fixes (fix_timing.h)
  bool all = false;
  std::set<Reason> categories;  // empty: all
  // --profile as given; after resolve_files(), the absolute path of the profile to rank by (the one
  // `hone pgo` left when none was given), or empty.
  std::string profile;
  bool no_profile = false;
  unsigned timeout_seconds = 600;  // per child compile; 0: none
  std::string remarks_dir;         // records from a wrapped build; empty: compile each TU
  std::string header_filter = ".*";
  // --exclude REGEX (on absolute paths): TUs whose file matches are not analyzed, loops in matching
  // files not reported. Compiled once by parse_options; null without --exclude.
  std::string exclude;
  std::shared_ptr<const llvm::Regex> exclude_regex;
  unsigned top = 0;  // --top N: only the first N findings are printed; 0: all
  bool system_headers = false;
  bool fail_on = false;
  std::set<Reason> fail_on_reasons;  // empty with fail_on: any missed loop
  analyze::ReportOptions report;     // --color, --export-fixes
};

// Parses the arguments after "vec". Returns -1 when parsing succeeded, else the exit code (the usage
// text or the error has been printed).
int parse_options(const std::vector<std::string>& args, Options& options);

// True when --exclude matches `file` (an absolute path).
bool is_excluded(const Options& options, const std::string& file);

// Checks the files the options name and makes them absolute: the profile (looked up from `hone pgo`
// when none is given and neither --no-profile nor --remarks-dir is), and the --remarks-dir folder.
// Prints the note or the error; returns -1 when the run can go on, else the exit code.
int resolve_files(Options& options);

}  // namespace hone::vec
