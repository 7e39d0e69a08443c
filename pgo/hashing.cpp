// FNV-1a over file contents and source trees (see hashing.h for why this hash is enough).
#include "pgo/hashing.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <vector>

#include "pgo/error.h"

namespace hone::pgo {

namespace fs = std::filesystem;

Hasher& Hasher::add(std::string_view bytes) {
  for (unsigned char byte : bytes) {
    state_ ^= byte;
    state_ *= 0x100000001b3ULL;
  }
  return *this;
}

Hasher& Hasher::add_field(std::string_view bytes) {
  add(std::to_string(bytes.size()));
  add(":");
  return add(bytes);
}

std::string Hasher::hex() const {
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(state_));
  return buffer;
}

std::string hash_string(std::string_view text) {
  return Hasher().add(text).hex();
}

std::string hash_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_input("cannot read '" + path.string() + "'");
  Hasher hasher;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hasher.add(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  return hasher.hex();
}

std::vector<fs::path> source_files(const fs::path& root, const fs::path& work_dir) {
  std::vector<fs::path> files;
  std::error_code error;
  fs::path work = fs::weakly_canonical(work_dir, error);
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) break;
    const fs::path& path = it->path();
    std::string name = path.filename().string();
    if (it->is_directory()) {
      bool skip = name == ".git" || name == ".hone" || name == "build" || name.starts_with("build-") ||
                  fs::weakly_canonical(path, error) == work;
      if (skip) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string hash_tree(const fs::path& root, const fs::path& work_dir) {
  Hasher hasher;
  for (const fs::path& file : source_files(root, work_dir)) {
    hasher.add_field(fs::relative(file, root).string());
    hasher.add_field(hash_file(file));
  }
  return hasher.hex();
}

}  // namespace hone::pgo
