// Manifest reading and writing (JSON, atomic). See manifest.h.
#include "pgo/manifest.h"

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "pgo/error.h"
#include "pgo/hashing.h"

namespace hone::pgo {

namespace fs = std::filesystem;

fs::path manifest_path(const fs::path& stage_dir) { return stage_dir / "manifest.json"; }

std::optional<Manifest> read_manifest(const fs::path& stage_dir) {
  std::ifstream in(manifest_path(stage_dir));
  if (!in) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.value("status", "") != "complete") return std::nullopt;
  Manifest manifest;
  manifest.stage = json.value("stage", "");
  manifest.input_key = json.value("input_key", "");
  manifest.inputs = json.value("inputs", nlohmann::json::object());
  manifest.commands = json.value("commands", nlohmann::json::array());
  manifest.outputs = json.value("outputs", nlohmann::json::object());
  manifest.facts = json.value("facts", nlohmann::json::object());
  manifest.seconds = json.value("seconds", 0.0);
  return manifest;
}

void write_manifest(const fs::path& stage_dir, const Manifest& manifest) {
  nlohmann::json json = {{"stage", manifest.stage},       {"status", "complete"},
                         {"input_key", manifest.input_key}, {"inputs", manifest.inputs},
                         {"commands", manifest.commands}, {"outputs", manifest.outputs},
                         {"facts", manifest.facts},       {"seconds", manifest.seconds}};
  write_file_atomically(manifest_path(stage_dir), json.dump(2) + "\n");
}

bool outputs_intact(const Manifest& manifest) {
  for (const auto& [path, hash] : manifest.outputs.items()) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return false;
    try {
      if (hash_file(path) != hash.get<std::string>()) return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return true;
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  fs::path temporary = path;
  temporary += ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) fail_job("cannot write '" + temporary.string() + "' (disk full or no permission?)");
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    fs::remove(temporary, error);
    fail_job("cannot write '" + path.string() + "': " + error.message());
  }
}

} // namespace hone::pgo
