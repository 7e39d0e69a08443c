// A stage's manifest (.hone/<stage>/manifest.json): what the stage read (a key hashed from all its
// inputs, plus the inputs themselves for humans), the commands it ran with their durations, the files
// it produced with their hashes, and stage-specific facts (BOLT's dyno-stats, verify's results). It is
// written last, to a temporary file renamed into place, so its presence with status "complete" means
// the stage finished; an interrupted stage leaves no manifest and simply runs again.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hone::pgo {

struct Manifest {
  std::string stage;
  std::string input_key;  // hash of every input; equal key + intact outputs = up to date
  nlohmann::json inputs = nlohmann::json::object();
  nlohmann::json commands = nlohmann::json::array();  // [{argv, seconds, exit}]
  nlohmann::json outputs = nlohmann::json::object();  // {path: hash}
  nlohmann::json facts = nlohmann::json::object();    // stage-specific results
  double seconds = 0;
};

std::filesystem::path manifest_path(const std::filesystem::path& stage_dir);

// Reads a manifest; nullopt when it is missing, does not parse, or has a field of a type hone did not
// write (then the stage is simply redone; a damaged file gets one note on stderr).
std::optional<Manifest> read_manifest(const std::filesystem::path& stage_dir);

void write_manifest(const std::filesystem::path& stage_dir, const Manifest& manifest);

// The manifest's outputs that are gone or no longer have the hash it recorded (changed after the stage
// finished: a stage must never take such a file as its own result).
std::vector<std::filesystem::path> changed_outputs(const Manifest& manifest);

// True when the manifest's outputs still exist with the hashes it recorded.
bool outputs_intact(const Manifest& manifest);

// Writes `text` to `path` through a temporary file in the same folder and a rename
// (support::write_file_atomically); throws PgoError (exit 1) when it cannot.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace hone::pgo
