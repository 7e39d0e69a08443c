// What every fuzz target shares: a private scratch folder for the inputs that are files (response
// files, hone.yaml, manifests, compile databases, optimization records) and a way to write them.
//
// libFuzzer runs one process per job, each with its own folder made by mkdtemp, so parallel jobs never
// share a file. The folder is removed when the process exits normally; a crashed run leaves it in the
// temporary directory (hone-fuzz-*), which helps to look at what it wrote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hone::fuzz {

// The process's scratch folder, made on first use.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path folder = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "hone-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("hone fuzz: mkdtemp");
      std::abort();
    }
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(scratch(), ignored);
    });
    return std::filesystem::path(pattern);
  }();
  return folder;
}

// Replaces `path` with exactly `bytes`; aborts when it cannot (a broken harness, not a finding).
inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size() || std::fclose(file) != 0) {
    std::perror(("hone fuzz: cannot write " + path.string()).c_str());
    std::abort();
  }
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at every NUL byte into separate texts (one input feeds several files or arguments);
// always at least one part.
inline std::vector<std::string> split_at_nul(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t nul = text.find('\0', start);
    parts.emplace_back(text.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start));
    if (nul == std::string_view::npos) return parts;
    start = nul + 1;
  }
}

// A failed property: prints what was expected and aborts, so libFuzzer saves the input as a crash.
[[noreturn]] inline void property_failed(const char* what) {
  std::fprintf(stderr, "hone fuzz: property failed: %s\n", what);
  std::abort();
}

}  // namespace hone::fuzz
