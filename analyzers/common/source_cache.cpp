// Reading the analysed files once and turning line/column into byte offsets (see source_cache.h).
#include "source_cache.h"

#include <llvm/Support/MemoryBuffer.h>

namespace hone::analyze {

const std::string* SourceCache::text(const std::string& file) {
  auto [entry, inserted] = texts_.try_emplace(file);
  if (inserted) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(file);
    if (buffer) entry->second = (*buffer)->getBuffer().str();
  }
  return entry->second ? &*entry->second : nullptr;
}

std::optional<std::string> SourceCache::line(const std::string& file, unsigned line) {
  const std::string* whole = text(file);
  if (!whole) return std::nullopt;
  std::optional<unsigned> start = offset_in(*whole, line, 1);
  if (!start) return std::nullopt;
  size_t end = whole->find('\n', *start);
  if (end == std::string::npos) end = whole->size();
  std::string result = whole->substr(*start, end - *start);
  if (!result.empty() && result.back() == '\r') result.pop_back();
  return result;
}

std::optional<unsigned> SourceCache::offset(const std::string& file, unsigned line, unsigned column) {
  const std::string* whole = text(file);
  if (!whole) return std::nullopt;
  return offset_in(*whole, line, column);
}

std::optional<unsigned> offset_in(const std::string& text, unsigned line, unsigned column) {
  if (line == 0 || column == 0) return std::nullopt;
  size_t start = 0;
  for (unsigned current = 1; current < line; ++current) {
    size_t newline = text.find('\n', start);
    if (newline == std::string::npos) return std::nullopt;
    start = newline + 1;
  }
  if (start > text.size()) return std::nullopt;
  size_t end = text.find('\n', start);
  if (end == std::string::npos) end = text.size();
  // Column end - start + 1 is the newline (or the end of the text): still a place to insert at.
  if (column - 1 > end - start) return std::nullopt;
  return static_cast<unsigned>(start + column - 1);
}

}  // namespace hone::analyze
