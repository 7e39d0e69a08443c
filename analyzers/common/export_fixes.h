// `--export-fixes FILE`: the fixes of a run as the YAML file clang-tidy writes and
// clang-apply-replacements reads, so the edits can be reviewed and applied with the same tools.
//
// One document: MainSourceFile (the first analysed file) and a Diagnostics list with one entry per
// finding that has a fix (DiagnosticName is the check, DiagnosticMessage the message, its file and byte
// offset, and Replacements: FilePath, Offset, Length, ReplacementText). Only the first fix of a finding is
// written, as clang-tidy does; findings without a fix are left out. The YAML is written by Clang's own
// serializer (clang/Tooling/DiagnosticsYaml.h), so it is the format clang-apply-replacements 19 parses.
#pragma once

#include "findings.h"
#include "source_cache.h"

#include <string>
#include <vector>

namespace hone::analyze {

// The YAML text for `findings`' fixes. `main_file` names the document (may be empty); `build_dir` is
// each diagnostic's BuildDirectory (the working directory).
std::string fixes_yaml(const std::vector<Finding>& findings, const std::string& main_file, const std::string& build_dir,
                       SourceCache& sources);

// Writes fixes_yaml() to `path` atomically; returns "" or the error, worded for "hone: error: ...".
std::string write_fixes_file(const std::string& path, const std::vector<Finding>& findings,
                             const std::string& main_file, SourceCache& sources);

// How many of `findings` have a fix.
size_t count_fixes(const std::vector<Finding>& findings);

}  // namespace hone::analyze
