// The imported-profile list shared by `merge --add` and `merge --perf-data` (imports.h).
#include "pgo/imports.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/manifest.h"

namespace hone::pgo {

namespace fs = std::filesystem;

ImportSpec parse_import_spec(const std::string& option, const std::string& spec) {
  ImportSpec parsed{spec, 1};
  const size_t colon = spec.rfind(':');
  if (colon != std::string::npos && colon + 1 < spec.size() &&
      spec.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    parsed.file = spec.substr(0, colon);
    parsed.weight = std::stod(spec.substr(colon + 1));
    if (parsed.weight < 1) fail_input(option + " " + spec + ": the weight must be a whole number of at least 1");
  }
  if (!fs::is_regular_file(parsed.file)) fail_input(option + " " + spec + ": no such file '" + parsed.file + "'");
  return parsed;
}

std::vector<ImportedFile> read_import_list(const fs::path& list_file) {
  std::vector<ImportedFile> imports;
  std::ifstream in(list_file);
  if (!in) return imports;
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_array()) return imports;
  bool noted = false;
  for (const auto& item : json) {
    try {
      imports.push_back({item.at("file").get<std::string>(), item.value("weight", 1.0), item.value("original", "")});
    } catch (const nlohmann::json::exception&) {
      if (!noted) std::fprintf(stderr, "hone pgo: note: ignoring a damaged entry of %s\n", list_file.c_str());
      noted = true;
    }
  }
  return imports;
}

void add_import(std::vector<ImportedFile>& imports, const fs::path& folder, const std::string& file,
                const std::string& suffix, double weight) {
  const fs::path copy = folder / (hash_file(file) + suffix);
  fs::create_directories(folder);
  fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
  std::erase_if(imports, [&](const ImportedFile& existing) { return existing.file == copy; });
  imports.push_back({copy, weight, fs::absolute(file).string()});
}

void write_import_list(const fs::path& list_file, const std::vector<ImportedFile>& imports) {
  nlohmann::json json = nlohmann::json::array();
  for (const ImportedFile& import : imports)
    json.push_back({{"file", import.file.string()}, {"weight", import.weight}, {"original", import.original}});
  write_file_atomically(list_file, json.dump(2) + "\n");
}

}  // namespace hone::pgo
