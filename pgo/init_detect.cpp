// What `hone pgo init` finds out about a project. The build system is told by the file that marks it. The
// executables come from the build system itself wherever it can say: CMake through its file API (a
// "codemodel-v2" query answered by a configure in a scratch build folder outside the source tree, which
// lists every target with its type, artifact path and install rule), Meson through `meson introspect`,
// GNU make through its database (`make -p`, run in a scratch copy of the tree because make remakes
// included makefiles even with -n or -q, which would write into the user's sources). Autotools projects
// have no makefile before configure runs, so their Makefile.am's bin_PROGRAMS are read instead. Whatever
// cannot be found is left to the user with a note rather than guessed silently.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "pgo/cmake_file_api.h"
#include "pgo/error.h"
#include "pgo/init.h"
#include "pgo/process.h"
#include "support/atomic_file.h"
#include "support/contracts.h"

namespace hone::pgo {

namespace fs = std::filesystem;

std::string to_string(ProjectKind kind) {
  switch (kind) {
    case ProjectKind::cmake: return "CMake";
    case ProjectKind::meson: return "Meson";
    case ProjectKind::autotools: return "autotools";
    case ProjectKind::make: return "Make";
  }
  return "?";
}

ProjectKind detect_project_kind(const fs::path& root, std::string& makefile) {
  std::error_code error;
  if (!fs::is_directory(root, error))
    fail_input("hone pgo init: '" + root.string() + "' is not a folder; give the project's root folder");
  auto has = [&](const char* name) { return fs::is_regular_file(root / name, error); };
  if (has("CMakeLists.txt")) return ProjectKind::cmake;
  if (has("meson.build")) return ProjectKind::meson;
  if (has("configure") || has("configure.ac") || has("configure.in")) return ProjectKind::autotools;
  // GNU make's own search order.
  for (const char* name : {"GNUmakefile", "makefile", "Makefile"})
    if (has(name)) {
      makefile = name;
      return ProjectKind::make;
    }
  fail_input("hone pgo init: no build system found in " + root.string() +
             " (looked for CMakeLists.txt, meson.build, configure or configure.ac, GNUmakefile, makefile and "
             "Makefile): run init in the project's root folder or name it ('hone pgo init DIR'); for another "
             "build system write hone.yaml by hand with build.system: command (docs/config.md)");
}

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> list;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;) list.push_back(word);
  return list;
}

// Runs `argv` in `cwd` with its output in `log`; true when it exited 0. Never a shell.
bool run_quietly(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& log, double timeout,
                 const std::map<std::string, std::string>& env = {}) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.cwd = cwd;
  spec.env = env;
  spec.stdout_file = log;
  spec.stderr_file = log.string() + ".err";
  spec.timeout_seconds = timeout;
  const ProcessResult result = run_process(spec);
  return result.started && !result.timed_out && result.signal == 0 && result.exit_code == 0;
}

// ---- Compiler ----------------------------------------------------------------------------------------------

// The compiler word of a CC-style value: past launchers (ccache, distcc, ...), whose own options cannot
// be told from the compiler's, so only the first non-launcher word counts; flags after it are noted.
std::string compiler_word(const std::string& value, std::string& rest) {
  std::vector<std::string> list = words(value);
  size_t index = 0;
  while (index + 1 < list.size() && support::is_launcher(list[index])) ++index;
  if (index >= list.size()) return "";
  for (size_t i = index + 1; i < list.size(); ++i) rest += (rest.empty() ? "" : " ") + list[i];
  return list[index];
}

// "Clang 19.1.7" / "GCC 12.2.0" from `compiler --version`, or "" when it does not run.
std::string describe_compiler(const std::string& compiler, const fs::path& scratch) {
  const fs::path log = scratch / "compiler-version.txt";
  if (!run_quietly({compiler, "--version"}, scratch, log, 30)) return "";
  const std::string text = read_text(log);
  static const std::regex version(R"((\d+\.\d+(?:\.\d+)?))");
  std::smatch match;
  const std::string first_line = text.substr(0, text.find('\n'));
  const std::string number = std::regex_search(first_line, match, version) ? match[1].str() : "";
  if (text.find("clang version") != std::string::npos) return "Clang " + number;
  if (text.find("Free Software Foundation") != std::string::npos) return "GCC " + number;
  return first_line;
}

CompilerGuess guess_compiler(const fs::path& scratch) {
  CompilerGuess guess;
  const char* cc_env = std::getenv("CC");
  const char* cxx_env = std::getenv("CXX");
  std::string flags, cxx_flags;
  const std::string c_word = cc_env ? compiler_word(cc_env, flags) : "";
  const std::string cxx_word = cxx_env ? compiler_word(cxx_env, cxx_flags) : "";
  if (!c_word.empty() || !cxx_word.empty()) {
    // Only what is set is taken; a language left unset keeps hone's default.
    guess.origin = "CC/CXX";
    if (!c_word.empty()) guess.c = c_word;
    if (!cxx_word.empty()) guess.cxx = cxx_word;
    if (!cxx_flags.empty()) flags += (flags.empty() ? "" : " ") + cxx_flags;
  } else if (find_program("cc") && find_program("c++")) {
    guess.origin = "cc/c++ on PATH";
    guess.c = "cc";
    guess.cxx = "c++";
  } else {
    guess.origin = "hone's default (no CC/CXX set and no cc/c++ on PATH)";
  }
  const std::string c = describe_compiler(guess.c, scratch);
  const std::string cxx = describe_compiler(guess.cxx, scratch);
  guess.description = c.empty() ? "'" + guess.c + "' does not run here" : c;
  if (!cxx.empty() && cxx != c) guess.description += ", C++: " + cxx;
  if (!flags.empty()) guess.description += "; the flags '" + flags + "' in CC/CXX are not carried over";
  return guess;
}

// ---- CMake -------------------------------------------------------------------------------------------------

std::string remove_cmake_comments(std::string_view text) {
  std::string out;
  bool in_comment = false;
  for (char c : text) {
    if (c == '#') in_comment = true;
    if (c == '\n') in_comment = false;
    if (!in_comment) out += c;
  }
  return out;
}

// The executables of a configured build folder, from CMake's file API reply.
std::vector<Executable> codemodel_executables(const fs::path& build) {
  std::vector<Executable> list;
  std::set<std::string> seen;
  for (const CMakeTarget& target : read_codemodel(build).value_or(std::vector<CMakeTarget>{})) {
    if (target.type != "EXECUTABLE" || target.artifacts.empty()) continue;
    if (!seen.insert(target.artifacts.front()).second) continue;
    Executable executable;
    executable.name = target.name;
    executable.path = target.artifacts.front();
    // An install rule says "this is the product" better than any name can.
    executable.likely_product = target.installed || !looks_auxiliary(executable.name, target.source_folder);
    list.push_back(executable);
  }
  return list;
}

// Walks the CMakeLists.txt files under `root` for add_executable, when the configure failed.
std::vector<Executable> parse_cmake_lists(const fs::path& root) {
  std::vector<Executable> list;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error), end;
  for (; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(error) && (name == ".git" || name == ".hone" || name.rfind("build", 0) == 0)) {
      it.disable_recursion_pending();
      continue;
    }
    if (name != "CMakeLists.txt") continue;
    const fs::path folder = it->path().parent_path().lexically_relative(root);
    for (const std::string& target : cmake_add_executable_names(read_text(it->path()))) {
      Executable executable;
      executable.name = target;
      executable.path = (folder / target).lexically_normal().string();
      executable.likely_product = !looks_auxiliary(target, folder.string());
      list.push_back(executable);
    }
  }
  return list;
}

void detect_cmake(ProjectFacts& facts, const fs::path& scratch) {
  const fs::path build = scratch / "cmake-build";
  const std::string made = write_codemodel_query(build);
  if (!made.empty()) fail_job("hone pgo init: " + made);
  std::vector<std::string> configure = {"cmake",
                                        "-S",
                                        facts.root.string(),
                                        "-B",
                                        build.string(),
                                        "-DCMAKE_BUILD_TYPE=Release",
                                        "-DCMAKE_C_COMPILER=" + facts.compiler.c,
                                        "-DCMAKE_CXX_COMPILER=" + facts.compiler.cxx};
  if (find_program("ninja")) configure.insert(configure.begin() + 5, {"-G", "Ninja"});
  if (!find_program("cmake")) {
    facts.notes.push_back("cmake is not installed, so the executables were read from add_executable() lines; "
                          "install cmake (hone pgo needs it to build this project) and check the paths");
  } else if (run_quietly(configure, scratch, scratch / "cmake-configure.log", 600)) {
    facts.executables = codemodel_executables(build);
    facts.executables_source =
        "found by CMake's file API (a configure in a scratch folder): every add_executable target";
    return;
  } else {
    facts.notes.push_back("the CMake configure in a scratch folder failed (" +
                          trim(read_text(scratch / "cmake-configure.log.err")).substr(0, 300) +
                          "), so the executables were read from add_executable() lines: check their paths");
  }
  facts.executables = parse_cmake_lists(facts.root);
  facts.executables_source = "read from the add_executable() lines of the CMakeLists.txt files (paths guessed)";
}

// ---- Meson -------------------------------------------------------------------------------------------------

void detect_meson(ProjectFacts& facts, const fs::path& scratch) {
  if (!find_program("meson")) {
    facts.notes.push_back("meson is not installed, so the executables are not known: install meson (Debian: "
                          "apt-get install meson; hone pgo needs it to build this project too), then run "
                          "'hone pgo init --force' again, or fill in 'binaries' by hand");
    facts.executables_source = "not known: meson is not installed";
    return;
  }
  const fs::path build = scratch / "meson-build";
  const fs::path log = scratch / "meson-targets.json";
  std::map<std::string, std::string> env = {{"CC", facts.compiler.c}, {"CXX", facts.compiler.cxx}};
  if (!run_quietly({"meson", "setup", build.string(), facts.root.string(), "--buildtype=release"}, scratch,
                   scratch / "meson-setup.log", 600, env) ||
      !run_quietly({"meson", "introspect", "--targets", build.string()}, scratch, log, 120)) {
    facts.notes.push_back("'meson setup' in a scratch folder failed (" +
                          trim(read_text(scratch / "meson-setup.log")).substr(0, 300) +
                          "); fill in 'binaries' by hand");
    facts.executables_source = "not known: meson setup failed";
    return;
  }
  for (const auto& target : nlohmann::json::parse(read_text(log))) {
    if (target.value("type", "") != "executable" || !target.contains("filename")) continue;
    const fs::path file = target["filename"].at(0).get<std::string>();
    Executable executable;
    executable.name = target.value("name", file.filename().string());
    executable.path = file.lexically_relative(build).string();
    const std::string folder = fs::path(target.value("defined_in", std::string())).parent_path().string();
    executable.likely_product = target.value("installed", false) || !looks_auxiliary(executable.name, folder);
    facts.executables.push_back(executable);
  }
  facts.executables_source = "found by meson introspect --targets (a meson setup in a scratch folder)";
}

// ---- Make and autotools ------------------------------------------------------------------------------------

// A copy of the tree for make to read: make remakes included makefiles even with -n or -q, and would
// write them into the user's sources. Version control and hone's work folder are left out.
void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    const std::string name = entry.path().filename().string();
    if (name == ".git" || name == ".hone") continue;
    const fs::path target = to / name;
    if (entry.is_symlink())
      fs::copy_symlink(entry.path(), target);
    else if (entry.is_directory())
      copy_tree(entry.path(), target);
    else if (entry.is_regular_file())
      fs::copy_file(entry.path(), target);
  }
}

void detect_make(ProjectFacts& facts, const fs::path& scratch) {
  const fs::path copy = scratch / "tree";
  try {
    copy_tree(facts.root, copy);
  } catch (const fs::filesystem_error& e) {
    facts.notes.push_back(std::string("could not copy the tree to ask make about it (") + e.what() +
                          "); fill in 'binaries' by hand");
    return;
  }
  const fs::path log = scratch / "make-database.txt";
  // A goal no makefile defines: make reads (and remakes) the makefiles, prints its database, and stops
  // before running a single recipe of the build.
  run_quietly({"make", "-p", "-q", "-f", facts.makefile, ".hone-init-no-such-goal"}, copy, log, 120);
  std::string goal;
  for (const std::string& path : make_products(read_text(log), goal)) {
    Executable executable;
    executable.name = fs::path(path).filename().string();
    executable.path = path;
    executable.likely_product = !looks_auxiliary(executable.name, fs::path(path).parent_path().string());
    facts.executables.push_back(executable);
  }
  facts.executables_source =
      goal.empty()
          ? "not known: make printed no default goal"
          : "found in make's database (make -p): programs linked on the way to the default goal '" + goal + "'";
}

void detect_autotools(ProjectFacts& facts) {
  std::error_code error;
  if (!fs::exists(facts.root / "configure", error))
    facts.notes.push_back("there is a configure.ac but no configure script: run 'autoreconf -fi' in " +
                          facts.root.string() +
                          " once before 'hone pgo' (hone's builds must not write into the source folder)");
  fs::recursive_directory_iterator it(facts.root, fs::directory_options::skip_permission_denied, error), end;
  for (; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(error) && (name == ".git" || name == ".hone")) {
      it.disable_recursion_pending();
      continue;
    }
    if (name != "Makefile.am") continue;
    const fs::path folder = it->path().parent_path().lexically_relative(facts.root);
    for (const std::string& program : automake_programs(read_text(it->path()))) {
      Executable executable;
      executable.name = fs::path(program).filename().string();
      executable.path = (folder / program).lexically_normal().string();
      executable.likely_product = true;  // bin_PROGRAMS are installed: the product by definition
      facts.executables.push_back(executable);
    }
  }
  facts.executables_source = facts.executables.empty()
                                 ? "not known: no bin_PROGRAMS in a Makefile.am (configure writes the makefiles)"
                                 : "read from bin_PROGRAMS and sbin_PROGRAMS of the Makefile.am files";
}

}  // namespace

std::vector<std::string> make_products(std::string_view database, std::string& default_goal) {
  struct Target {
    std::vector<std::string> prerequisites;
    bool phony = false;
    std::string recipe;
  };
  std::map<std::string, Target> targets;
  std::istringstream in{std::string(database)};
  std::string line;
  bool in_files = false, not_a_target = false;
  Target* current = nullptr;
  static const std::regex goal_line(R"(^\.DEFAULT_GOAL :?= (.*)$)");
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_match(line, match, goal_line)) default_goal = trim(match[1].str());
    if (line == "# Files") in_files = true;
    if (line.rfind("# files hash-table stats", 0) == 0) in_files = false;
    if (!in_files) continue;
    if (line.empty()) {
      current = nullptr;
      continue;
    }
    if (line == "# Not a target:") {
      not_a_target = true;
      continue;
    }
    if (line[0] == '\t') {
      if (current) current->recipe += line + "\n";
      continue;
    }
    if (line[0] == '#') {
      if (current && line.find("Phony target") != std::string::npos) current->phony = true;
      continue;
    }
    const size_t colon = line.find(':');
    const bool skip = not_a_target;
    not_a_target = false;
    if (colon == std::string::npos || skip) continue;
    const std::string name = line.substr(0, colon);
    if (name.find('%') != std::string::npos || name.find(' ') != std::string::npos) continue;
    std::string rest = line.substr(colon + 1);
    if (!rest.empty() && rest[0] == ':') rest.erase(0, 1);  // double-colon rule
    const size_t bar = rest.find('|');                      // order-only prerequisites do not count
    current = &targets[name];
    for (const std::string& word : words(rest.substr(0, bar))) current->prerequisites.push_back(word);
  }
  auto program_like = [&](const std::string& name, const Target& target) {
    const std::string extension = fs::path(name).extension().string();
    // ".PHONY", ".c.o" (suffix rules) and the like are make's own; "./app" is a file.
    const std::string file = fs::path(name).filename().string();
    if (target.phony || target.recipe.empty() || file.empty() || file[0] == '.') return false;
    if (!extension.empty() && extension != ".exe") return false;
    static const std::regex linker(
        R"(\$[({](CC|CXX|LD|LINK\w*|\w*LINKER|\w*CC|CCLD|CXXLD)[)}]|(^|\s)(cc|c\+\+|gcc|g\+\+|clang|clang\+\+|ld)(\s|$))");
    if (std::regex_search(target.recipe, linker)) return true;
    for (const std::string& prerequisite : target.prerequisites) {
      const std::string ext = fs::path(prerequisite).extension().string();
      if (ext == ".o" || ext == ".obj" || ext == ".a" || ext == ".lo") return true;
    }
    return false;
  };
  std::vector<std::string> products;
  if (default_goal.empty()) return products;
  // Breadth first from the default goal, four levels deep: 'all: build_all', 'build_all: prog ...'.
  std::vector<std::string> level = {default_goal};
  std::set<std::string> seen = {default_goal};
  for (int depth = 0; depth < 5 && !level.empty(); ++depth) {
    std::vector<std::string> next;
    for (const std::string& name : level) {
      auto found = targets.find(name);
      if (found == targets.end()) continue;
      if (program_like(name, found->second)) {
        std::string path = fs::path(name).lexically_normal().string();
        products.push_back(path);
        continue;  // a program's prerequisites are its objects, not more programs
      }
      for (const std::string& prerequisite : found->second.prerequisites)
        if (seen.insert(prerequisite).second) next.push_back(prerequisite);
    }
    level = std::move(next);
  }
  return products;
}

std::vector<std::string> automake_programs(std::string_view makefile_am) {
  // Continuation lines joined first: "bin_PROGRAMS = a \\\n b".
  std::string text;
  for (size_t i = 0; i < makefile_am.size(); ++i) {
    if (makefile_am[i] == '\\' && i + 1 < makefile_am.size() && makefile_am[i + 1] == '\n') {
      text += ' ';
      ++i;
    } else {
      text += makefile_am[i];
    }
  }
  std::vector<std::string> programs;
  static const std::regex list(R"(^\s*s?bin_PROGRAMS\s*\+?=(.*)$)");
  std::istringstream in(text);
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (!std::regex_match(line, match, list)) continue;
    for (const std::string& word : words(match[1].str()))
      if (word.find('$') == std::string::npos && word[0] != '#') programs.push_back(word);
  }
  return programs;
}

std::vector<std::string> cmake_add_executable_names(std::string_view cmake_lists) {
  const std::string text = remove_cmake_comments(cmake_lists);
  static const std::regex call(R"(\badd_executable\s*\(\s*([A-Za-z0-9_.+:\-]+)([^)]*)\))", std::regex::icase);
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
    const std::vector<std::string> rest = words((*it)[2].str());
    if (!rest.empty() && (rest[0] == "IMPORTED" || rest[0] == "ALIAS")) continue;
    names.push_back((*it)[1].str());
  }
  return names;
}

bool looks_auxiliary(std::string_view name, std::string_view folder) {
  static const std::regex word(
      R"((^|[_\-./])(tests?|unittests?|check|bench(mark)?s?|examples?|demos?|samples?|fuzz(ers?)?)([_\-./]|$))",
      std::regex::icase);
  const std::string text = std::string(folder) + "/" + std::string(name);
  return std::regex_search(text, word);
}

ProjectFacts detect_project(const fs::path& root) {
  ProjectFacts facts;
  std::error_code error;
  facts.root = fs::weakly_canonical(fs::absolute(root, error), error);
  facts.kind = detect_project_kind(facts.root, facts.makefile);
  support::TemporaryDirectory scratch("hone-init");
  if (!scratch.ok()) fail_job("hone pgo init: " + scratch.error() + "; set TMPDIR to a folder you can write to");
  const fs::path dir = scratch.path();
  facts.compiler = guess_compiler(dir);
  switch (facts.kind) {
    case ProjectKind::cmake: detect_cmake(facts, dir); break;
    case ProjectKind::meson: detect_meson(facts, dir); break;
    case ProjectKind::autotools: detect_autotools(facts); break;
    case ProjectKind::make: detect_make(facts, dir); break;
  }
  return facts;
}

}  // namespace hone::pgo
