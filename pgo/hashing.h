// Content hashes for the stage manifests: a stage is skipped only when the hashes of everything it
// read are unchanged, and the merged profile is named by its hash so a stale one is never reused.
// FNV-1a (64 bit) is enough here: these hashes detect change, they do not defend against an attacker.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hone::pgo {

class Hasher {
public:
  Hasher& add(std::string_view bytes);
  // Adds a length prefix first so that ("ab","c") and ("a","bc") hash differently.
  Hasher& add_field(std::string_view bytes);
  std::string hex() const;

private:
  uint64_t state_ = 0xcbf29ce484222325ULL;
};

// Hex hash of a file's bytes; throws PgoError (exit 2) when it cannot be read.
std::string hash_file(const std::filesystem::path& path);

// Every regular file under `root`, sorted, skipping version-control folders, hone's work folder and
// build folders (`build`, `build-*`, `.hone`): the project's sources as hone sees them.
std::vector<std::filesystem::path> source_files(const std::filesystem::path& root,
                                                const std::filesystem::path& work_dir);

// Hash of every regular file under `root` (relative path + contents), in sorted order, skipping
// version-control folders, hone's work folder and build folders (`build`, `build-*`, `.hone`).
std::string hash_tree(const std::filesystem::path& root, const std::filesystem::path& work_dir);

std::string hash_string(std::string_view text);

}  // namespace hone::pgo
