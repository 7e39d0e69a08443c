// Recording what the instrumented build reads (see build_inputs.h). The dependency listings run one
// compile at a time after the build: each costs a preprocessor run, about a tenth of its compile, and
// happens only when the instrument stage runs.
#include "pgo/build_inputs.h"

#include <fstream>
#include <set>
#include <sstream>

#include "pgo/error.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& path, const fs::path& folder) {
  const fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

fs::path compile_db_path(const fs::path& build_dir) {
  return build_dir / "hone-compile-db.json";
}

std::vector<std::string> dependency_command(const std::vector<std::string>& arguments) {
  std::vector<std::string> command;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& word = arguments[i];
    if (i > 0) {
      if (word == "-c" || word == "-S" || word == "-MD" || word == "-MMD" || word == "-MP" || word == "-M" ||
          word == "-MM" || word.starts_with("-Wp,-M"))
        continue;
      if (word == "-o" || word == "-MF" || word == "-MT" || word == "-MQ") {
        ++i;  // the option's value
        continue;
      }
      if ((word.starts_with("-o") || word.starts_with("-MF") || word.starts_with("-MT") || word.starts_with("-MQ")) &&
          word.size() > 3)
        continue;
    }
    command.push_back(word);
  }
  command.push_back("-M");
  command.push_back("-w");
  return command;
}

std::vector<std::string> parse_dependency_listing(const std::string& text) {
  std::vector<std::string> files;
  // The target ends at the first ':' that is followed by white space or the end (not a drive letter).
  size_t colon = text.find(':');
  while (colon != std::string::npos && colon + 1 < text.size() &&
         !std::isspace(static_cast<unsigned char>(text[colon + 1])))
    colon = text.find(':', colon + 1);
  if (colon == std::string::npos) return files;
  std::string current;
  auto finish = [&] {
    if (!current.empty()) files.push_back(current);
    current.clear();
  };
  for (size_t i = colon + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;  // a continued line
      finish();
    } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == ' ') {
      current += ' ';
      ++i;
    } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '$') {
      current += '$';
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      finish();
    } else {
      current += c;
    }
  }
  finish();
  return files;
}

std::vector<std::string> build_inputs_outside_sources(Context& context, const fs::path& compile_db,
                                                      const fs::path& scratch_dir) {
  std::ifstream in(compile_db);
  nlohmann::json database = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::set<std::string> found;
  if (!database.is_array()) return {};
  const fs::path source = context.config.source_dir.lexically_normal();
  const fs::path work = context.config.work_dir.lexically_normal();
  fs::create_directories(scratch_dir);
  const fs::path listing = scratch_dir / "dependencies.txt";
  bool noted = false;
  int index = 0;
  for (const nlohmann::json& entry : database) {
    ++index;
    if (!entry.is_object() || !entry.contains("arguments") || !entry["arguments"].is_array() ||
        !entry.value("directory", nlohmann::json()).is_string())
      continue;
    std::vector<std::string> arguments;
    for (const nlohmann::json& word : entry["arguments"])
      if (word.is_string()) arguments.push_back(word.get<std::string>());
    if (arguments.empty()) continue;
    const fs::path directory = entry["directory"].get<std::string>();
    context.progress.live("recording what the build reads (" + std::to_string(index) + "/" +
                          std::to_string(database.size()) + ")");
    ProcessSpec spec = spec_of(dependency_command(arguments));
    spec.cwd = directory;
    spec.stdout_file = listing;
    spec.stderr_file = scratch_dir / "dependencies.err";
    spec.timeout_seconds = 300;
    ProcessResult result = run_process(spec);
    if (!result.started || result.exit_code != 0 || result.signal != 0) {
      if (!std::exchange(noted, true))
        context.progress.note("note: could not list the dependencies of a compile in " + directory.string() + " ('" +
                              shell_quote(spec.argv) + "' " + describe_outcome(result, spec) +
                              "); files it reads outside the source folder are not watched for changes");
      continue;
    }
    std::ifstream text_in(listing);
    std::stringstream text;
    text << text_in.rdbuf();
    for (const std::string& file : parse_dependency_listing(text.str())) {
      fs::path path = fs::path(file).is_absolute() ? fs::path(file) : directory / file;
      path = path.lexically_normal();
      if (!inside(path, source) && !inside(path, work)) found.insert(path.string());
    }
  }
  std::error_code error;
  fs::remove(listing, error);
  fs::remove(scratch_dir / "dependencies.err", error);
  return {found.begin(), found.end()};
}

}  // namespace hone::pgo
