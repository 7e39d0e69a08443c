// The clang-apply-replacements fixes file (see export_fixes.h).
//
// Findings keep their fixes as byte edits against the files as analysed; clang's Replacements must not
// overlap within a file, which hone's fixes already guarantee (layout's edits are one record's field
// list and its initializer lists; vec's are insertions at distinct places). An edit Replacements refuses
// anyway drops the whole fix of that finding, with a warning, rather than writing half of it.
#include "export_fixes.h"

#include "support/atomic_file.h"

#include <clang/Tooling/DiagnosticsYaml.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/YAMLTraits.h>
#include <llvm/Support/raw_ostream.h>

#include <set>
#include <tuple>

namespace hone::analyze {
namespace {

clang::tooling::Diagnostic::Level level_of(Severity severity) {
  switch (severity) {
    case Severity::Note: return clang::tooling::Diagnostic::Remark;
    case Severity::Warning: return clang::tooling::Diagnostic::Warning;
    case Severity::Error: return clang::tooling::Diagnostic::Error;
  }
  return clang::tooling::Diagnostic::Warning;
}

}  // namespace

size_t count_fixes(const std::vector<Finding>& findings) {
  size_t count = 0;
  for (const Finding& finding : findings)
    if (!finding.fixes.empty() && !finding.fixes.front().edits.empty()) ++count;
  return count;
}

std::string fixes_yaml(const std::vector<Finding>& findings, const std::string& main_file, const std::string& build_dir,
                       SourceCache& sources) {
  clang::tooling::TranslationUnitDiagnostics document;
  document.MainSourceFile = main_file;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> written;
  for (const Finding& finding : findings) {
    if (finding.fixes.empty() || finding.fixes.front().edits.empty()) continue;
    clang::tooling::DiagnosticMessage message;
    message.Message = finding.message;
    message.FilePath = finding.file;
    message.FileOffset = sources.offset(finding.file, finding.line, finding.column).value_or(0);
    bool complete = true;
    std::vector<std::tuple<std::string, unsigned, unsigned, std::string>> added;
    for (const FindingEdit& edit : finding.fixes.front().edits) {
      // The same edit in an earlier finding's fix (hone vec: `__restrict` on a parameter for two loops of
      // one function) is written once: clang-apply-replacements 19 deduplicates identical replacements
      // only across files, and applies an insertion listed twice in one file twice
      // (`int *__restrict __restrict a`).
      auto key = std::make_tuple(edit.file, edit.offset, edit.length, edit.text);
      if (written.count(key)) continue;
      added.push_back(key);
      clang::tooling::Replacement replacement(edit.file, edit.offset, edit.length, edit.text);
      if (llvm::Error error = message.Fix[edit.file].add(replacement)) {
        llvm::errs() << "hone: warning: --export-fixes leaves out the fix of " << finding.file << ':' << finding.line
                     << ':' << finding.column << ": " << llvm::toString(std::move(error)) << '\n';
        complete = false;
        break;
      }
    }
    if (!complete) continue;
    written.insert(added.begin(), added.end());
    document.Diagnostics.emplace_back(finding.check, message, llvm::SmallVector<clang::tooling::DiagnosticMessage, 1>{},
                                      level_of(finding.severity), build_dir);
  }
  std::string text;
  llvm::raw_string_ostream stream(text);
  llvm::yaml::Output yaml(stream);
  yaml << document;
  stream.flush();
  return text;
}

std::string write_fixes_file(const std::string& path, const std::vector<Finding>& findings,
                             const std::string& main_file, SourceCache& sources) {
  llvm::SmallString<256> cwd;
  if (llvm::sys::fs::current_path(cwd)) cwd = "/";
  const std::string text = fixes_yaml(findings, main_file, std::string(cwd), sources);
  if (std::string error = support::write_file_atomically(path, text); !error.empty()) return "--export-fixes: " + error;
  return "";
}

}  // namespace hone::analyze
