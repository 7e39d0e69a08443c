// CMake's file API (cmake_file_api.h): the query, the reader of its codemodel-v2 reply, and the choice of
// the targets that build hone.yaml's binaries. The reply is an index file naming the codemodel file, which
// names one file per target; CMake replaces the reply on every configure (the latest index, by name, is
// the current one). A target's artifact paths are relative to the top build folder, as hone.yaml's are.
#include "pgo/cmake_file_api.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pgo/error.h"
#include "support/atomic_file.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

CMakeTarget read_target(const nlohmann::json& detail, const fs::path& build) {
  CMakeTarget target;
  target.name = detail.at("name").get<std::string>();
  target.type = detail.value("type", "");
  if (detail.contains("artifacts"))
    for (const auto& artifact : detail["artifacts"]) {
      const fs::path path = artifact.at("path").get<std::string>();
      const fs::path inside = path.is_absolute() ? path.lexically_relative(build) : path;
      target.artifacts.push_back(inside.empty() || *inside.begin() == ".." ? path.string() : inside.string());
    }
  target.source_folder = detail.contains("paths") ? detail["paths"].value("source", std::string(".")) : ".";
  target.installed = detail.contains("install");
  return target;
}

// The binaries' paths as the reply writes artifacts: "./app" and "app" are one file.
std::string normal(const fs::path& path) {
  return path.lexically_normal().string();
}

const CMakeTarget* named(const std::vector<CMakeTarget>& targets, const std::string& name) {
  for (const CMakeTarget& target : targets)
    if (target.name == name) return &target;
  return nullptr;
}

// "app (bin/app), tool (tool)": what a wrong binary could have meant.
std::string executables_list(const std::vector<CMakeTarget>& targets) {
  std::string list;
  for (const CMakeTarget& target : targets) {
    if (target.type != "EXECUTABLE") continue;
    list += (list.empty() ? "" : ", ") + target.name;
    if (!target.artifacts.empty()) list += " (" + target.artifacts.front() + ")";
  }
  return list.empty() ? "none" : list;
}

std::string target_for(const Binary& binary, const std::vector<CMakeTarget>& targets) {
  const std::string what = ": binary '" + binary.name + "': ";
  if (!binary.target.empty()) {
    if (named(targets, binary.target)) return binary.target;
    std::vector<std::string> names;
    for (const CMakeTarget& target : targets) names.push_back(target.name);
    const std::string suggestion = did_you_mean(binary.target, names);
    fail_input(binary.target_location + what + "the CMake build has no target '" + binary.target + "'" +
               (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?") +
               " (the executable targets: " + executables_list(targets) + ")");
  }
  for (const CMakeTarget& target : targets)
    for (const std::string& artifact : target.artifacts)
      if (normal(artifact) == normal(binary.path)) return target.name;
  const std::string file = binary.path.filename().string();
  if (named(targets, file)) return file;
  fail_input(binary.location + what + "no CMake target builds '" + binary.path.string() + "' and none is named '" +
             file + "' (the executable targets: " + executables_list(targets) +
             "); fix its 'path', or name the target that builds it with 'target: NAME'");
}

}  // namespace

std::string write_codemodel_query(const fs::path& build) {
  const fs::path query = build / ".cmake/api/v1/query";
  const std::string made = support::make_directories(query.string());
  if (!made.empty()) return made;
  std::ofstream file(query / "codemodel-v2");
  return file ? "" : "cannot write " + (query / "codemodel-v2").string();
}

std::optional<std::vector<CMakeTarget>> read_codemodel(const fs::path& build) {
  const fs::path reply = build / ".cmake/api/v1/reply";
  fs::path index;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(reply, error)) {
    const fs::path& path = entry.path();
    if (path.filename().string().rfind("index-", 0) == 0 && (index.empty() || path.filename() > index.filename()))
      index = path;
  }
  if (index.empty()) return std::nullopt;
  try {
    const nlohmann::json answer = read_json(index).at("reply");
    if (!answer.contains("codemodel-v2")) return std::nullopt;  // queried by someone else, not by hone
    const nlohmann::json model = read_json(reply / answer["codemodel-v2"].at("jsonFile").get<std::string>());
    std::vector<CMakeTarget> targets;
    std::set<std::string> seen;
    for (const auto& configuration : model.at("configurations"))
      for (const auto& entry : configuration.at("targets")) {
        CMakeTarget target = read_target(read_json(reply / entry.at("jsonFile").get<std::string>()), build);
        if (seen.insert(target.name).second) targets.push_back(std::move(target));
      }
    return targets;
  } catch (const nlohmann::json::exception& e) {
    fail_job("cannot read CMake's file API reply in " + reply.string() + " (" + e.what() +
             "); remove the build folder " + build.string() + " and run again");
  }
}

std::vector<std::string> targets_for_binaries(const std::vector<Binary>& binaries,
                                              const std::optional<std::vector<CMakeTarget>>& targets) {
  std::vector<std::string> chosen;
  for (const Binary& binary : binaries) {
    const std::string name = targets                 ? target_for(binary, *targets)
                             : binary.target.empty() ? binary.path.filename().string()
                                                     : binary.target;
    if (std::find(chosen.begin(), chosen.end(), name) == chosen.end()) chosen.push_back(name);
  }
  return chosen;
}

}  // namespace hone::pgo
