// Accepting, applying and writing --fix edits; the unified diff for --diff (see source_rewrite.h).
//
// The diff trims the common first and last lines, then runs the classic longest-common-subsequence
// table on what is left; a reordered record is a few dozen lines, so the table is small. Hunks keep 3
// lines of context and merge when their contexts touch, as `diff -u` does, so `patch -p1` and
// `git apply` accept the output.
#include "source_rewrite.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>

#include <algorithm>

namespace hone::layout {

const std::string* RewriteSet::content(const std::string& file, std::string& reason) {
  auto found = contents_.find(file);
  if (found != contents_.end()) return &found->second;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false);
  if (!buffer) {
    reason = "cannot read '" + file + "': " + buffer.getError().message();
    return nullptr;
  }
  return &contents_.emplace(file, (*buffer)->getBuffer().str()).first->second;
}

bool RewriteSet::add(const std::vector<SourceEdit>& edits, const std::vector<FileVersion>& versions,
                     std::string& reason) {
  for (const FileVersion& version : versions) {
    const std::string* text = content(version.file, reason);
    if (!text) return false;
    if (llvm::xxh3_64bits(*text) != version.hash) {
      reason = "'" + version.file + "' changed on disk since it was parsed; run hone layout again";
      return false;
    }
  }
  std::map<std::string, clang::tooling::Replacements> trial;
  for (const SourceEdit& edit : edits) {
    auto [entry, inserted] = trial.try_emplace(edit.file);
    if (inserted) {
      auto existing = replacements_.find(edit.file);
      if (existing != replacements_.end()) entry->second = existing->second;
    }
    clang::tooling::Replacement replacement(edit.file, edit.offset, edit.length, edit.text);
    if (llvm::Error error = entry->second.add(replacement)) {
      llvm::consumeError(std::move(error));
      reason = "its edits overlap the edits of another record in '" + edit.file + "'";
      return false;
    }
  }
  for (auto& [file, replacements] : trial) replacements_[file] = std::move(replacements);
  return true;
}

bool RewriteSet::results(std::vector<FileRewrite>& rewrites, std::string& error) const {
  for (const auto& [file, replacements] : replacements_) {
    const std::string& before = contents_.at(file);
    llvm::Expected<std::string> after = clang::tooling::applyAllReplacements(before, replacements);
    if (!after) {
      error = "cannot apply the edits to '" + file + "': " + llvm::toString(after.takeError());
      return false;
    }
    rewrites.push_back({file, before, std::move(*after)});
  }
  return true;
}

namespace {

std::vector<llvm::StringRef> split_lines(llvm::StringRef text) {
  std::vector<llvm::StringRef> lines;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    size_t length = newline == llvm::StringRef::npos ? text.size() : newline + 1;
    lines.push_back(text.take_front(length));
    text = text.drop_front(length);
  }
  return lines;
}

struct DiffOp {
  char kind;  // ' ', '-', '+'
  llvm::StringRef line;
};

std::vector<DiffOp> diff_ops(const std::vector<llvm::StringRef>& a, const std::vector<llvm::StringRef>& b) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const size_t n = a.size() - prefix - suffix;
  const size_t m = b.size() - prefix - suffix;
  std::vector<DiffOp> ops;
  for (size_t i = 0; i < prefix; ++i) ops.push_back({' ', a[i]});
  constexpr size_t k_max_cells = 16u << 20;
  if (n && m && (n + 1) * (m + 1) <= k_max_cells) {
    // lcs[i][j]: LCS length of a[prefix+i..] and b[prefix+j..].
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        ops.push_back({' ', a[prefix + i++]});
        ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        ops.push_back({'-', a[prefix + i++]});  // deletions first, as diff -u prints them
      } else {
        ops.push_back({'+', b[prefix + j++]});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) ops.push_back({'-', a[prefix + i]});
    for (size_t j = 0; j < m; ++j) ops.push_back({'+', b[prefix + j]});
  }
  for (size_t i = a.size() - suffix; i < a.size(); ++i) ops.push_back({' ', a[i]});
  return ops;
}

void print_line(llvm::raw_ostream& out, char kind, llvm::StringRef line) {
  out << kind << line;
  if (!line.ends_with("\n")) out << "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(const std::string& old_name, const std::string& new_name, const std::string& before,
                         const std::string& after) {
  if (before == after) return "";
  constexpr size_t k_context = 3;
  std::vector<llvm::StringRef> a = split_lines(before);
  std::vector<llvm::StringRef> b = split_lines(after);
  std::vector<DiffOp> ops = diff_ops(a, b);
  std::string text;
  llvm::raw_string_ostream out(text);
  out << "--- " << old_name << "\n+++ " << new_name << "\n";
  size_t index = 0;
  while (index < ops.size()) {
    while (index < ops.size() && ops[index].kind == ' ') ++index;
    if (index == ops.size()) break;
    // A hunk: from k_context lines before this change to k_context lines after the last change
    // whose following run of unchanged lines is short enough to merge.
    size_t begin = index >= k_context ? index - k_context : 0;
    size_t end = index;
    while (end < ops.size()) {
      while (end < ops.size() && ops[end].kind != ' ') ++end;
      size_t run = end;
      while (run < ops.size() && ops[run].kind == ' ') ++run;
      if (run < ops.size() && run - end <= 2 * k_context)
        end = run;
      else {
        end = std::min(ops.size(), end + k_context);
        break;
      }
    }
    size_t old_start = 1, new_start = 1;
    for (size_t i = 0; i < begin; ++i) {
      old_start += ops[i].kind != '+';
      new_start += ops[i].kind != '-';
    }
    size_t old_count = 0, new_count = 0;
    for (size_t i = begin; i < end; ++i) {
      old_count += ops[i].kind != '+';
      new_count += ops[i].kind != '-';
    }
    out << "@@ -" << (old_count ? old_start : old_start - 1) << ',' << old_count << " +"
        << (new_count ? new_start : new_start - 1) << ',' << new_count << " @@\n";
    for (size_t i = begin; i < end; ++i) print_line(out, ops[i].kind, ops[i].line);
    index = end;
  }
  return text;
}

}  // namespace hone::layout
