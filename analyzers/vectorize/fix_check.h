// --try-fixes: whether a hint's change makes the loop vectorize, checked by compiling a changed copy.
//
// Per fix, the edited file(s) are copied into a scratch folder and shown to clang through a VFS overlay
// (-ivfsoverlay), so the copy keeps the original paths and the include search keeps working; the fix's
// flags are appended. The loop's new verdict is found at its original location (columns shifted back
// by the inserted text). The first fix that vectorizes the loop stops the search; the user's files are
// never written.
#pragma once

#include "compile_job.h"
#include "hints.h"
#include "loop_match.h"

#include <string>
#include <vector>

namespace hone::vec {

struct FixOutcome {
  Fix fix;
  bool verified = false;
  unsigned width = 0, interleave = 0;
  bool scalable = false;
  std::string still;  // not verified: what the compiler says now, or why it could not be checked
};

// The loop a fix is checked for, and where the check may write.
struct FixTarget {
  const CompileSetup& setup;                    // the TU's compile
  const std::vector<std::string>& known_files;  // files the TU's AST has loops in
  const LoopSite& site;                         // the loop as the AST has it
  const std::string& site_file;                 // site.file, canonical
  std::string scratch_prefix;                   // each check uses the folder <prefix>-<attempt>, then removes it
  unsigned timeout_seconds = 0;                 // per compile; 0: none
};

// Checks `fixes` in order and stops at the first verified one. Warnings about the changed copies'
// records are appended to `diagnostics`.
std::vector<FixOutcome> check_fixes(const FixTarget& target, const std::vector<Fix>& fixes, std::string& diagnostics);

}  // namespace hone::vec
