// Public headers and exported records (see public_headers.h).
//
// cmake_install.cmake is CMake's own script, regenerated at every configure: each install() rule is a
// `file(INSTALL DESTINATION ... TYPE <kind> FILES "<absolute path>" ...)` call, and each subdirectory's
// script is pulled in with `include("<absolute path>/cmake_install.cmake")`. Only headers matter, so
// the TYPE FILE and TYPE DIRECTORY calls are read (PUBLIC_HEADER, FILE_SET HEADERS and install(FILES)
// all produce TYPE FILE); FILES_MATCHING patterns are ignored, which can only make more headers public.
#include "public_headers.h"

#include <clang/AST/Attr.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

namespace hone::layout {
namespace {

// The double-quoted strings of `call` (no escapes: CMake writes plain absolute paths here).
std::vector<std::string> quoted_strings(llvm::StringRef call) {
  std::vector<std::string> strings;
  while (true) {
    size_t open = call.find('"');
    if (open == llvm::StringRef::npos) break;
    size_t close = call.find('"', open + 1);
    if (close == llvm::StringRef::npos) break;
    strings.push_back(call.substr(open + 1, close - open - 1).str());
    call = call.substr(close + 1);
  }
  return strings;
}

// The text of a call from `start` (just after its opening parenthesis) to its closing one, outside quotes.
llvm::StringRef call_arguments(llvm::StringRef text, size_t start) {
  bool in_quotes = false;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] == '"') in_quotes = !in_quotes;
    if (text[i] == ')' && !in_quotes) return text.substr(start, i - start);
  }
  return text.substr(start);
}

bool is_source_file(llvm::StringRef path) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  return extension == ".c" || extension == ".cc" || extension == ".cpp" || extension == ".cxx" || extension == ".C";
}

}  // namespace

PublicHeaders::PublicHeaders(const std::string& build_dir, const std::string& pattern)
    : pattern_(pattern), regex_(pattern) {
  if (build_dir.empty()) return;
  llvm::SmallString<256> manifest(build_dir);
  llvm::sys::fs::make_absolute(manifest);
  llvm::sys::path::append(manifest, "cmake_install.cmake");
  if (!llvm::sys::fs::exists(manifest)) return;
  manifest_ = std::string(manifest);
  std::set<std::string> seen;
  read_install_script(manifest_, seen);
}

void PublicHeaders::read_install_script(const std::string& path, std::set<std::string>& seen) {
  if (!seen.insert(path).second) return;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) return;  // a subdirectory's script not generated: nothing it installs is known
  llvm::StringRef text = (*buffer)->getBuffer();
  for (size_t at = text.find("file(INSTALL"); at != llvm::StringRef::npos; at = text.find("file(INSTALL", at + 1)) {
    llvm::StringRef call = call_arguments(text, at + 5);
    // `TYPE <kind> FILES <paths>`, the words separated by spaces or line breaks.
    llvm::SmallVector<llvm::StringRef, 16> words;
    call.split(words, ' ', -1, /*KeepEmpty=*/false);
    std::string kind;
    size_t files = llvm::StringRef::npos;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i].trim() == "TYPE") kind = words[i + 1].trim().str();
      if (words[i].trim() == "FILES" && files == llvm::StringRef::npos) files = words[i].data() - call.data();
    }
    bool directory = kind == "DIRECTORY";
    if ((!directory && kind != "FILE") || files == llvm::StringRef::npos) continue;
    for (std::string& installed : quoted_strings(call.substr(files))) {
      if (directory) {
        if (!llvm::StringRef(installed).ends_with("/")) installed += '/';
        installed_directories_.push_back(installed);
      } else {
        installed_files_.insert(installed);
      }
    }
  }
  for (size_t at = text.find("include(\""); at != llvm::StringRef::npos; at = text.find("include(\"", at + 1)) {
    std::vector<std::string> included = quoted_strings(call_arguments(text, at + 8));
    if (!included.empty() && llvm::StringRef(included.front()).ends_with("cmake_install.cmake"))
      read_install_script(included.front(), seen);
  }
}

std::string PublicHeaders::why(const std::string& file) const {
  if (installed_files_.count(file)) return "it is installed by " + manifest_;
  for (const std::string& directory : installed_directories_)
    if (llvm::StringRef(file).starts_with(directory))
      return "it is installed by " + manifest_ + " (directory " + directory + ")";
  if (!pattern_.empty() && regex_.match(file)) return "its header matches --public-headers '" + pattern_ + "'";
  if (!is_source_file(file)) {
    for (auto part = llvm::sys::path::begin(file), end = llvm::sys::path::end(file); part != end; ++part)
      if (*part == "include") return "its header is in an include/ tree, where installed headers live";
  }
  return "";
}

std::string exported_record(const clang::RecordDecl& record) {
  if (const auto* visibility = record.getAttr<clang::VisibilityAttr>();
      visibility && visibility->getVisibility() == clang::VisibilityAttr::Default)
    return "it is exported (visibility(\"default\"), what export macros expand to)";
  if (record.hasAttr<clang::DLLExportAttr>() || record.hasAttr<clang::DLLImportAttr>())
    return "it is exported (dllexport/dllimport, what export macros expand to)";
  return "";
}

}  // namespace hone::layout
