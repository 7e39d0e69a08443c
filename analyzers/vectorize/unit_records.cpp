// Optimization records with canonical locations (see unit_records.h).
//
// The record names files relative to the debug info's directory for the file, which it does not
// record: clang 19 makes the main file relative to the longest directory it shares with the compile
// directory, not to the compile directory itself. So a relative name that does not exist under the
// compile directory is matched by suffix against the files the TU's AST has loops in.
#include "unit_records.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace hone::vec {
namespace {

std::string resolve_remark_file(const CompileSetup& setup, const std::vector<std::string>& known_files,
                                CanonicalPaths& paths, const std::string& file) {
  if (llvm::sys::path::is_absolute(file)) return paths.of(file);
  std::string under_directory = absolute_in(setup.directory, file);
  if (llvm::sys::fs::exists(under_directory)) return paths.of(under_directory);
  llvm::SmallString<256> normalized(file);
  llvm::sys::path::remove_dots(normalized, true);
  std::string suffix = "/" + std::string(normalized);
  for (const std::string& known : known_files)
    if (llvm::StringRef(known).ends_with(suffix)) return paths.of(known);
  return under_directory;
}

}  // namespace

const std::string& CanonicalPaths::of(const std::string& path) {
  auto found = cache_.find(path);
  if (found != cache_.end()) return found->second;
  llvm::SmallString<256> real;
  std::string result = llvm::sys::fs::real_path(path, real) ? path : std::string(real);
  return cache_.emplace(path, std::move(result)).first->second;
}

bool read_unit_record(const CompileSetup& setup, const std::vector<std::string>& known_files,
                      const std::string& record_file, CanonicalPaths& paths, std::vector<Remark>& remarks,
                      std::string& diagnostics, std::string& error) {
  llvm::Expected<RemarkFileSummary> summary = read_remark_file(record_file, [&](Remark&& remark) {
    if (!remark.file.empty()) remark.file = resolve_remark_file(setup, known_files, paths, remark.file);
    for (RemarkArg& arg : remark.args)
      if (!arg.file.empty()) arg.file = resolve_remark_file(setup, known_files, paths, arg.file);
    remarks.push_back(std::move(remark));
  });
  if (!summary) {
    error = llvm::toString(summary.takeError());
    return false;
  }
  for (const std::string& message : summary->errors)
    diagnostics += "hone: warning: " + setup.file + ": malformed optimization record, skipped: " + message + "\n";
  return true;
}

std::string one_line(const std::string& text) {
  std::string result;
  for (char c : text) {
    if (c == '\n') {
      if (!result.empty() && result.back() != ' ') result += ' ';
    } else {
      result += c;
    }
  }
  return result;
}

}  // namespace hone::vec
