// `hone doctor` says what hone will use on this machine and what will not work, before a build finds out.
//
// It looks first and judges after: the compilers on PATH, the LLVM tools `hone pgo` will take (by the
// rule of support/llvm_tools.h, for its default compiler clang-19), GCC's profile tools for every GCC on
// PATH (support/gcc_tools.h: gcov-tool of the compiler's own release; errors for the compiler.c of the
// hone.yaml here, read by hone-pgo's loader, or --compiler's), the tools on PATH, the HONE_*
// variables set in this shell (against support/contracts.h's list of every name), perf and
// perf_event_paranoid for `hone profile`, and the masquerade folders on PATH (ccache before or after
// hone). Every finding is an error (something hone needs does not work: no compiler, no llvm-profdata
// or ld.lld for hone pgo, a malformed mode variable) or a warning (something works differently or a
// side feature is missing: an older llvm-profdata on PATH, which hone pgo never uses, is the classic one
// on a stock Debian 12 with both `llvm` and `llvm-19`). Each finding is printed once, however many
// compilers share it. Exit 0 with warnings only, 1 with an error, 2 on bad usage; `--json` prints the
// same report for scripts.
#include "driver/doctor.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "driver/command_table.h"
#include "driver/subcommand_exec.h"
#include "driver/wrapper/compiler_info.h"
#include "driver/wrapper/paths.h"
#include "support/contracts.h"
#include "support/gcc_tools.h"
#include "support/llvm_tools.h"
#include "support/process.h"

extern char** environ;

namespace hone {
namespace {

using namespace hone::wrapper;

struct Tool {
  std::string name;
  std::string path;     // as found on PATH or in the LLVM folder; "" when missing
  std::string version;  // "" when it could not be read
  int major = 0;
  std::string family;  // compilers only: "clang", "gcc", ...
};

enum class Severity { warning, error };

struct Finding {
  Severity severity;
  std::string text;
};

// A setting from the shell's environment, with what doctor makes of it.
struct Setting {
  std::string name;
  std::string value;
  std::string status;  // "ok", "active" (a wrapper mode), "unknown", "malformed", "error", "warning"
  std::string reader;  // which part of hone reads it
};

struct PerfState {
  std::string perf;             // the perf hone profile runs; "" when missing
  std::optional<int> paranoid;  // kernel.perf_event_paranoid; nothing when the kernel has no perf events
  bool privileged = false;      // root or CAP_PERFMON / CAP_SYS_ADMIN
  std::string summary;          // one line for the report
};

struct MasqueradeFolder {
  std::string folder;
  std::string owner;  // "hone", "ccache", ...
};

// GCC's profile tools for one GCC release: what hone pgo uses when hone.yaml's compiler.c is that gcc.
struct GccTools {
  std::vector<std::string> compilers;  // the names on PATH of that release ("gcc", "gcc-12")
  Tool compiler;                       // the first of them
  std::vector<Tool> tools;             // gcov-tool, gcov
};

// Everything doctor found, rendered as text or JSON only at the end.
struct Report {
  std::vector<Tool> compilers;
  std::string llvm_dir;
  bool llvm_dir_from_environment = false;
  std::vector<Tool> pgo_tools;
  std::vector<GccTools> gcc_tools;  // one per GCC release on PATH (and the one --compiler names)
  Tool path_profdata;
  std::vector<std::pair<std::string, std::string>> path_programs;  // name, path ("" when missing)
  std::vector<Setting> settings;
  PerfState perf;
  std::vector<MasqueradeFolder> masquerade;
  std::string compile_chain;    // "hone -> ccache -> the compiler", "" when only one launcher
  std::string config_file;      // the hone.yaml whose compiler.c was read ("" when none)
  std::string config_compiler;  // its compiler.c
  std::vector<Finding> findings;

  // Adds a finding unless the same text is there already (several compilers can share one problem).
  void add(Severity severity, std::string text) {
    for (const Finding& finding : findings)
      if (finding.text == text) return;
    findings.push_back({severity, std::move(text)});
  }
  std::size_t count(Severity severity) const {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                  [severity](const Finding& f) { return f.severity == severity; }));
  }
};

Tool probe(const std::string& name, const std::string& path) {
  if (path.empty()) return Tool{name, path, "", 0, ""};
  const support::LlvmVersion version = support::llvm_tool_version(path);
  return Tool{name, path, version.text, version.major, ""};
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// "clang-19 and clang++-19" for a list of names.
std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) text += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return text;
}

const char* k_compiler_names[] = {"cc",     "c++",   "gcc",     "g++",      "gcc-12",
                                  "g++-12", "clang", "clang++", "clang-19", "clang++-19"};

void find_compilers(Report& report) {
  for (const char* name : k_compiler_names) {
    // The compiler a masquerading hone would run: never another launcher's folder, which may lead back.
    std::string path = find_masquerade_target(name, "", "").compiler;
    if (path.empty()) continue;
    CompilerInfo info = parse_version_output(version_text(path));
    report.compilers.push_back(Tool{name, path, info.version, info.major_version, to_string(info.family)});
  }
  if (report.compilers.empty())
    report.add(Severity::error, "no C or C++ compiler on PATH: install clang-19 or gcc (scripts/setup)");
}

// The tools hone pgo will use, by its own rule, for its default compiler clang-19. llvm-profdata (every
// PGO build) and ld.lld (clang LTO, on by default) are needed; BOLT is an opt-in stage.
void find_pgo_tools(Report& report) {
  std::string pgo_compiler;
  int pgo_major = 0;
  for (const Tool& compiler : report.compilers)
    if (compiler.name == "clang-19") pgo_compiler = compiler.path, pgo_major = compiler.major;
  report.llvm_dir = support::llvm_bin_dir(pgo_compiler);
  const char* chosen = std::getenv(support::k_env_llvm_bin_dir);
  report.llvm_dir_from_environment = chosen && *chosen;
  struct Needed {
    const char* name;
    const char* package;
    Severity severity;
    const char* without;
  };
  const Needed needed[] = {
      {"llvm-profdata", "llvm-19", Severity::error, "hone pgo cannot merge profiles"},
      {"llvm-bolt", "bolt-19", Severity::warning, "hone pgo's optional bolt stage cannot run"},
      {"merge-fdata", "bolt-19", Severity::warning, "hone pgo's optional bolt stage cannot run"},
      {"ld.lld", "lld-19", Severity::error, "clang LTO builds (hone pgo's default lto: thin) cannot link"},
  };
  for (const Needed& tool : needed) {
    const support::LlvmToolLookup found = support::find_llvm_tool({tool.name, "", pgo_compiler, pgo_major});
    report.pgo_tools.push_back(probe(tool.name, found.path));
    if (!found.path.empty()) continue;
    std::string looked_in;
    for (const std::string& place : found.looked_in) looked_in += (looked_in.empty() ? "" : ", ") + place;
    report.add(tool.severity, std::string(tool.name) + " is missing from " + looked_in + ": " + tool.without +
                                  "; install " + tool.package + " (scripts/setup)");
  }
}

// GCC's profile tools, by hone pgo's own rule (support/gcc_tools.h), for every GCC release on PATH and
// for the compiler --compiler names. hone pgo merges .gcda files with gcov-tool and reads them with gcov
// (`hone pgo info`); a .gcda file carries its release's format version, so a tool of another release
// (say gcov-tool from GCC 11 beside gcc-12) cannot serve, and hone pgo refuses it. With GCC on PATH but
// hone.yaml's default compiler (clang-19) in use the tools do not matter, so they are warnings; for the
// compiler named with --compiler (what hone.yaml selects) they are errors.
void find_gcc_pgo_tools(Report& report, const std::string& asked_compiler, const std::string& asked_by) {
  std::vector<Tool> compilers;
  for (const Tool& compiler : report.compilers)
    if (compiler.family == "gcc") compilers.push_back(compiler);
  const std::string asked_path = asked_compiler.empty()                          ? std::string()
                                 : asked_compiler.find('/') != std::string::npos ? asked_compiler
                                                                                 : find_in_path(asked_compiler, "");
  if (!asked_compiler.empty()) {
    if (asked_path.empty()) {
      report.add(Severity::error, asked_by + " " + asked_compiler + " is not on PATH: hone pgo cannot build with it");
      return;
    }
    CompilerInfo info = parse_version_output(version_text(asked_path));
    if (to_string(info.family) != std::string("gcc")) return;  // Clang's tools are listed above
    compilers.insert(compilers.begin(), Tool{asked_compiler, asked_path, info.version, info.major_version, "gcc"});
  }
  for (const Tool& compiler : compilers) {
    if (compiler.major == 0) continue;
    auto same = std::find_if(report.gcc_tools.begin(), report.gcc_tools.end(),
                             [&](const GccTools& tools) { return tools.compiler.major == compiler.major; });
    if (same != report.gcc_tools.end()) {
      if (std::find(same->compilers.begin(), same->compilers.end(), compiler.name) == same->compilers.end())
        same->compilers.push_back(compiler.name);
      continue;
    }
    const bool asked = !asked_compiler.empty() && compiler.path == asked_path;
    GccTools tools{{compiler.name}, compiler, {}};
    for (const char* name : {"gcov-tool", "gcov"}) {
      const support::GccToolLookup found = support::find_gcc_tool(name, compiler.path, compiler.major);
      tools.tools.push_back(Tool{name, found.path, found.version, found.path.empty() ? 0 : compiler.major, ""});
      if (!found.path.empty()) continue;
      const std::string package = support::gcc_tools_package(compiler.major);
      const std::string without = std::string(name) == "gcov-tool"
                                      ? "hone pgo cannot merge the profiles " + compiler.name + " writes"
                                      : "hone pgo info cannot read the profiles " + compiler.name + " writes";
      std::string looked_at;
      for (const std::string& place : found.looked_at) looked_at += (looked_at.empty() ? "" : ", ") + place;
      const std::string text =
          found.other_release_path.empty()
              ? std::string(name) + " of GCC " + std::to_string(compiler.major) + " is missing (looked at " +
                    looked_at + "): " + without + "; install the Debian package " + package + " (scripts/setup)"
              : std::string(name) + " " + found.other_release_path + " is " +
                    (found.other_release_version.empty() ? std::string("of an unknown release")
                                                         : "GCC " + found.other_release_version) +
                    " but " + compiler.name + " is GCC " + compiler.version + ", and no " + name + " of GCC " +
                    std::to_string(compiler.major) + " was found (looked at " + looked_at + "): " + without +
                    " (a .gcda file is read only by its own release's tools); install the Debian package " + package +
                    " (scripts/setup)";
      report.add(asked ? Severity::error : Severity::warning, text);
    }
    report.gcc_tools.push_back(std::move(tools));
  }
}

// compiler.c of the hone.yaml hone pgo would read here (`config`: --config FILE, or ./hone.yaml when there
// is one), so that `hone doctor` in a project checks the compiler it selects without --compiler. Read by
// hone-pgo's own loader (`hone-pgo --config FILE --print-compilers`): the driver has no YAML reader, and a
// second one could read a file otherwise than hone pgo does. A file hone pgo refuses is an error.
void read_config_compiler(Report& report, const std::string& config) {
  struct stat status{};
  if (config.empty() || stat(config.c_str(), &status) != 0) return;
  report.config_file = config;
  const std::string helper = helper_executable("hone-pgo");
  if (helper.empty()) {
    report.add(Severity::error, "hone-pgo is not installed beside hone, so " + config +
                                    " could not be read: rebuild hone (cmake --build) or reinstall it");
    return;
  }
  support::ProcessSpec spec;
  spec.argv = {helper, "--config", config, "--print-compilers"};
  spec.stdin_from_null = true;
  spec.stdout_sink = support::Sink::capture;
  spec.stderr_sink = support::Sink::capture;
  spec.timeout_seconds = 30;
  const support::Outcome outcome = support::run(spec);
  const nlohmann::json compilers = nlohmann::json::parse(outcome.stdout_text, nullptr, false);
  if (!outcome.succeeded() || !compilers.is_object() || !compilers.value("c", nlohmann::json()).is_string()) {
    std::string why = outcome.stderr_text;
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    if (why.rfind("hone: error: ", 0) == 0) why.erase(0, 13);
    report.add(Severity::error, "hone pgo cannot read " + config + ": " +
                                    (why.empty() ? "hone-pgo " + support::describe_outcome(outcome) : why));
    return;
  }
  report.config_compiler = compilers["c"].get<std::string>();
}

void find_path_programs(Report& report) {
  report.path_profdata = probe("llvm-profdata", find_in_path("llvm-profdata", ""));
  for (const char* name : {"ccache", "distcc", "pahole", "perf"})
    report.path_programs.emplace_back(name, find_in_path(name, ""));
}

// The pairings that break PGO, each reported once for all the compilers it concerns.
void check_profdata_pairings(Report& report) {
  std::map<std::string, std::vector<std::string>> without_own_profdata;  // folder -> compilers
  std::map<std::string, std::vector<std::string>> newer_than_path;       // version -> compilers
  for (const Tool& compiler : report.compilers) {
    if (compiler.family != "clang") continue;
    const std::string resolved = real_path(compiler.path);
    const std::string folder = resolved.empty() ? directory_of(compiler.path) : directory_of(resolved);
    if (resolved.empty() || !access_executable(folder + "/llvm-profdata"))
      without_own_profdata[folder + "|" + std::to_string(compiler.major)].push_back(compiler.name);
    if (report.path_profdata.major > 0 && compiler.major > report.path_profdata.major)
      newer_than_path[compiler.version].push_back(compiler.name);
  }
  for (const auto& [key, names] : without_own_profdata) {
    const std::string folder = key.substr(0, key.rfind('|'));
    report.add(Severity::warning, join_names(names) + " " + (names.size() == 1 ? "has" : "have") +
                                      " no llvm-profdata of " + (names.size() == 1 ? "its" : "their") +
                                      " own release beside " + (names.size() == 1 ? "it" : "them") + " (" + folder +
                                      "): profiles written with it need that release's llvm-profdata; install llvm-" +
                                      key.substr(key.rfind('|') + 1) + " to use it with hone pgo");
  }
  for (const auto& [version, names] : newer_than_path) {
    const Tool& old = report.path_profdata;
    report.add(Severity::warning, "llvm-profdata on PATH (" + old.version + ", " + old.path + ") is older than " +
                                      join_names(names) + " (" + version + "): it cannot read the profiles " +
                                      (names.size() == 1 ? "that compiler writes" : "those compilers write") +
                                      "; hone pgo uses the "
                                      "llvm-profdata beside the compiler, but run llvm-profdata-" +
                                      version.substr(0, version.find('.')) + " by hand");
  }
  const Tool& pipeline = report.pgo_tools.front();
  for (const Tool& compiler : report.compilers) {
    if (compiler.name != "clang-19" || pipeline.major == 0 || compiler.major <= pipeline.major) continue;
    report.add(Severity::error, "llvm-profdata in " + directory_of(pipeline.path) + " (" + pipeline.version +
                                    ") is older than " + compiler.name + " (" + compiler.version +
                                    "), and hone pgo will use it: point HONE_LLVM_BIN_DIR at that compiler's LLVM");
  }
}

const char* reader_name(support::VariableReader reader) {
  switch (reader) {
    case support::VariableReader::wrapper_mode: return "the wrapper (a mode)";
    case support::VariableReader::wrapper: return "the wrapper";
    case support::VariableReader::wrapper_internal: return "the wrapper (set by hone itself)";
    case support::VariableReader::tools: return "hone's commands";
    case support::VariableReader::runtime: return "programs linked with the hone runtime";
    case support::VariableReader::benchmark: return "hone's own benchmarks";
  }
  return "";
}

const support::EnvironmentVariable* known_variable(std::string_view name) {
  for (const support::EnvironmentVariable& variable : support::k_environment_variables)
    if (variable.name == name) return &variable;
  return nullptr;
}

// The file-system side of the settings the wrapper and the tools read (WrapperMode checks the values).
void check_setting_paths(Setting& setting, Report& report) {
  struct stat info{};
  const bool exists = stat(setting.value.c_str(), &info) == 0;
  auto fail = [&](Severity severity, const std::string& why) {
    setting.status = severity == Severity::error ? "error" : "warning";
    report.add(severity, setting.name + "=" + setting.value + ": " + why);
  };
  if (setting.name == support::k_env_profile_use && !(exists && S_ISREG(info.st_mode)))
    fail(Severity::error,
         "no such profile file; every compile through hone in this shell will warn and run without it");
  else if (setting.name == support::k_env_llvm_bin_dir && !(exists && S_ISDIR(info.st_mode)))
    fail(Severity::error, "not a folder; hone pgo and hone doctor take every LLVM tool from it and find none");
  else if (setting.name == support::k_env_perf && !access_executable(setting.value))
    fail(Severity::warning, "not an executable file; hone profile runs it as perf");
}

// True when `text` names the variable `name` as a whole word (HONE_PROFILE is not in HONE_PROFILE_USE).
bool mentions(std::string_view text, std::string_view name) {
  for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const std::size_t after = at + name.size();
    if (after == text.size() || !(std::isupper(static_cast<unsigned char>(text[after])) || text[after] == '_'))
      return true;
  }
  return false;
}

void check_settings(Report& report) {
  std::vector<std::string> mode_problems;
  support::WrapperMode::from_environment(mode_problems);
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text = *entry;
    if (!text.starts_with("HONE_")) continue;
    const std::size_t equals = text.find('=');
    Setting setting{std::string(text.substr(0, equals)),
                    equals == std::string_view::npos ? "" : std::string(text.substr(equals + 1)), "ok", ""};
    const support::EnvironmentVariable* variable = known_variable(setting.name);
    if (!variable) {
      setting.status = "unknown";
      // Compared without the common prefix, which would make every short name look close to every other.
      std::vector<std::string_view> names;
      for (const support::EnvironmentVariable& candidate : support::k_environment_variables)
        names.push_back(candidate.name.substr(5));
      const std::string_view closest_suffix = closest_name(std::string_view(setting.name).substr(5), names);
      const std::string closest = closest_suffix.empty() ? "" : "HONE_" + std::string(closest_suffix);
      report.add(Severity::warning, setting.name + " is set, but no part of hone reads it" +
                                        (closest.empty() ? "" : "; did you mean " + closest + "?"));
    } else {
      setting.reader = reader_name(variable->reader);
      if (variable->reader == support::VariableReader::wrapper_internal) {
        setting.status = "warning";
        report.add(Severity::warning, setting.name +
                                          " is set in this shell: hone sets it for the compilers it runs, and by hand "
                                          "it makes masquerade mode skip PATH folders; unset it");
      }
      if (variable->reader == support::VariableReader::wrapper_mode) {
        for (const std::string& problem : mode_problems) {
          if (!mentions(problem, setting.name)) continue;
          setting.status = "malformed";
          report.add(Severity::error, problem);
        }
      }
      if (setting.status == "ok") check_setting_paths(setting, report);
      // A mode set in the shell changes every compile that goes through hone there, which is worth seeing.
      if (setting.status == "ok" && variable->reader == support::VariableReader::wrapper_mode)
        setting.status = "active";
    }
    report.settings.push_back(std::move(setting));
  }
  std::sort(report.settings.begin(), report.settings.end(),
            [](const Setting& a, const Setting& b) { return a.name < b.name; });
}

bool has_perf_privilege() {
  if (geteuid() == 0) return true;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (!line.starts_with("CapEff:")) continue;
    const unsigned long long capabilities = std::strtoull(line.c_str() + 7, nullptr, 16);
    const unsigned long long sys_admin = 1ULL << 21, perfmon = 1ULL << 38;
    return (capabilities & (sys_admin | perfmon)) != 0;
  }
  return false;
}

// perf and the kernel's perf_event_paranoid, as hone profile will meet them (levels as in
// driver/profile/perf_setup.cpp: up to 2 user space may be sampled, 3 is Debian's "nothing for users").
void check_perf(Report& report) {
  const char* chosen = std::getenv(support::k_env_perf);
  report.perf.perf = chosen && *chosen ? std::string(chosen) : find_in_path("perf", "");
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  if (int value = 0; in >> value) report.perf.paranoid = value;
  report.perf.privileged = has_perf_privilege();
  if (report.perf.perf.empty())
    report.add(Severity::warning, "perf is not on PATH: hone profile needs it; install linux-perf (scripts/setup)");
  if (!report.perf.paranoid) {
    report.perf.summary = "no perf events in this kernel (no /proc/sys/kernel/perf_event_paranoid)";
    report.add(Severity::warning, "this kernel offers no perf events: hone profile cannot sample here");
    return;
  }
  const int level = *report.perf.paranoid;
  const std::string who = report.perf.privileged ? " (privileged: no limit applies)" : "";
  if (report.perf.privileged || level <= 1)
    report.perf.summary = "perf_event_paranoid " + std::to_string(level) + who + ": user space and kernel sampled";
  else if (level == 2)
    report.perf.summary = "perf_event_paranoid 2: user space sampled, kernel time shows as gaps";
  else {
    report.perf.summary = "perf_event_paranoid " + std::to_string(level) + ": no sampling for this user";
    report.add(Severity::warning, "perf_event_paranoid is " + std::to_string(level) +
                                      ": hone profile cannot sample as this user; 'sudo sysctl "
                                      "kernel.perf_event_paranoid=1' (or =2 for user space only) allows it");
  }
}

// The masquerade folders on PATH (folders whose compiler names lead to hone or to another launcher such
// as ccache's /usr/lib/ccache) in PATH order. hone searches the real compiler only after its own folder
// and hands a call to a launcher folder after it, so no order loops; but a launcher first hashes each
// command before hone adds a mode's flags, and can then serve a plain object to an instrumented build.
void check_masquerade_path(Report& report) {
  const char* path_variable = std::getenv("PATH");
  const std::string path = path_variable ? path_variable : "";
  for (size_t start = 0; start <= path.size();) {
    const size_t end = std::min(path.find(':', start), path.size());
    const std::string folder = end == start ? "." : path.substr(start, end - start);
    start = end + 1;
    for (const char* name : k_compiler_names) {
      std::string owner = masquerade_owner(folder + "/" + name);
      if (owner.empty()) continue;
      report.masquerade.push_back({folder, owner});
      break;
    }
  }
  auto first_of = [&report](bool hone) {
    for (size_t i = 0; i < report.masquerade.size(); ++i)
      if ((report.masquerade[i].owner == "hone") == hone) return i;
    return report.masquerade.size();
  };
  const size_t hone = first_of(true), launcher = first_of(false);
  if (hone == report.masquerade.size() || launcher == report.masquerade.size()) return;
  const MasqueradeFolder& other = report.masquerade[launcher];
  if (hone < launcher) {
    report.compile_chain = "hone -> " + other.owner + " -> the compiler (" + other.owner + " hashes hone's flags)";
    return;
  }
  report.compile_chain = other.owner + " -> hone -> the compiler";
  report.add(Severity::warning, other.owner + "'s folder " + other.folder + " comes before hone's " +
                                    report.masquerade[hone].folder + " on PATH: " + other.owner +
                                    " hashes each command before hone adds a mode's flags, so it can serve a plain "
                                    "object to an instrumented build; put " +
                                    report.masquerade[hone].folder + " first");
}

void print_tool(const Tool& tool, const char* missing_note = "") {
  if (tool.path.empty())
    std::printf("  %-14s not found%s\n", tool.name.c_str(), missing_note);
  else
    std::printf("  %-14s %-10s %s\n", tool.name.c_str(), tool.version.empty() ? "?" : tool.version.c_str(),
                tool.path.c_str());
}

void print_findings(const Report& report, Severity severity, const char* title) {
  if (report.count(severity) == 0) return;
  std::printf("\n%s:\n", title);
  for (const Finding& finding : report.findings)
    if (finding.severity == severity) std::printf("  - %s\n", finding.text.c_str());
}

void print_text(const Report& report) {
  std::printf("hone %s\n\n", HONE_VERSION);
  if (!report.config_compiler.empty())
    std::printf("Compiler hone.yaml selects: %s (compiler.c in %s)\n\n", report.config_compiler.c_str(),
                report.config_file.c_str());
  std::printf("Compilers on PATH:\n");
  for (const Tool& compiler : report.compilers)
    std::printf("  %-14s %-10s %-6s %s\n", compiler.name.c_str(),
                compiler.version.empty() ? "?" : compiler.version.c_str(), compiler.family.c_str(),
                compiler.path.c_str());
  std::printf("\nLLVM tools for hone pgo (%s%s):\n", report.llvm_dir_from_environment ? "HONE_LLVM_BIN_DIR=" : "",
              report.llvm_dir.c_str());
  for (const Tool& tool : report.pgo_tools) print_tool(tool);
  for (const GccTools& gcc : report.gcc_tools) {
    std::printf("\nGCC tools for hone pgo with %s (GCC %s):\n", join_names(gcc.compilers).c_str(),
                gcc.compiler.version.c_str());
    for (const Tool& tool : gcc.tools) print_tool(tool);
  }
  std::printf("\nOn PATH:\n");
  print_tool(report.path_profdata);
  for (const auto& [name, path] : report.path_programs)
    std::printf("  %-14s %s\n", name.c_str(), path.empty() ? "not found" : path.c_str());
  std::printf("\nhone profile: %s\n", report.perf.summary.c_str());
  std::printf("\nHONE_* settings in this shell:%s\n", report.settings.empty() ? " none" : "");
  for (const Setting& setting : report.settings)
    std::printf("  %s=%s  [%s%s%s]\n", setting.name.c_str(), setting.value.c_str(), setting.status.c_str(),
                setting.reader.empty() ? "" : ", read by ", setting.reader.c_str());
  if (!report.masquerade.empty()) {
    std::printf("\nMasquerade folders on PATH, in order:\n");
    for (const MasqueradeFolder& folder : report.masquerade)
      std::printf("  %-14s %s\n", folder.owner.c_str(), folder.folder.c_str());
    if (!report.compile_chain.empty()) std::printf("  A compile goes %s.\n", report.compile_chain.c_str());
  }
  print_findings(report, Severity::error, "Errors");
  print_findings(report, Severity::warning, "Warnings");
  const std::size_t errors = report.count(Severity::error), warnings = report.count(Severity::warning);
  if (errors == 0 && warnings == 0)
    std::printf("\nNo problems found.\n");
  else
    std::printf("\n%zu %s, %zu %s%s\n", errors, errors == 1 ? "error" : "errors", warnings,
                warnings == 1 ? "warning" : "warnings", errors == 0 ? ": hone has everything it needs" : "");
}

nlohmann::json tool_json(const Tool& tool) {
  nlohmann::json object = {{"name", tool.name},
                           {"path", tool.path.empty() ? nlohmann::json() : nlohmann::json(tool.path)},
                           {"version", tool.version.empty() ? nlohmann::json() : nlohmann::json(tool.version)}};
  if (!tool.family.empty()) object["family"] = tool.family;
  return object;
}

void print_json(const Report& report) {
  nlohmann::json document = {{"hone_version", HONE_VERSION}, {"format", 1}};
  for (const Tool& compiler : report.compilers) document["compilers"].push_back(tool_json(compiler));
  if (!report.config_file.empty())
    document["config"] = {
        {"file", report.config_file},
        {"compiler", report.config_compiler.empty() ? nlohmann::json() : nlohmann::json(report.config_compiler)}};
  document["llvm_tools"] = {{"folder", report.llvm_dir}, {"from_environment", report.llvm_dir_from_environment}};
  for (const Tool& tool : report.pgo_tools) document["llvm_tools"]["tools"].push_back(tool_json(tool));
  document["gcc_tools"] = nlohmann::json::array();
  for (const GccTools& gcc : report.gcc_tools) {
    nlohmann::json entry = {{"compilers", gcc.compilers}, {"version", gcc.compiler.version}};
    for (const Tool& tool : gcc.tools) entry["tools"].push_back(tool_json(tool));
    document["gcc_tools"].push_back(entry);
  }
  document["path"] = nlohmann::json::array({tool_json(report.path_profdata)});
  for (const auto& [name, path] : report.path_programs)
    document["path"].push_back({{"name", name}, {"path", path.empty() ? nlohmann::json() : nlohmann::json(path)}});
  document["perf"] = {
      {"perf", report.perf.perf.empty() ? nlohmann::json() : nlohmann::json(report.perf.perf)},
      {"perf_event_paranoid", report.perf.paranoid ? nlohmann::json(*report.perf.paranoid) : nlohmann::json()},
      {"privileged", report.perf.privileged},
      {"summary", report.perf.summary}};
  document["settings"] = nlohmann::json::array();
  for (const Setting& setting : report.settings)
    document["settings"].push_back(
        {{"name", setting.name}, {"value", setting.value}, {"status", setting.status}, {"read_by", setting.reader}});
  document["masquerade"] = nlohmann::json::array();
  for (const MasqueradeFolder& folder : report.masquerade)
    document["masquerade"].push_back({{"folder", folder.folder}, {"owner", folder.owner}});
  document["findings"] = nlohmann::json::array();
  for (const Finding& finding : report.findings)
    document["findings"].push_back(
        {{"severity", finding.severity == Severity::error ? "error" : "warning"}, {"message", finding.text}});
  document["errors"] = report.count(Severity::error);
  document["warnings"] = report.count(Severity::warning);
  std::printf("%s\n", document.dump(2).c_str());
}

void print_help() {
  std::printf("Usage: hone doctor [--json] [--compiler NAME] [--config FILE]\n\n"
              "Lists the compilers and LLVM tools hone will use, with their versions, the HONE_* variables set\n"
              "in this shell, perf for hone profile and the masquerade folders on PATH; then the errors\n"
              "(something hone needs does not work) and warnings (something works differently or a side\n"
              "feature is missing), each once.\n\n"
              "  --json             the same report as one JSON object (docs/doctor.md)\n"
              "  --compiler NAME    the compiler hone.yaml's compiler.c selects (gcc-12): its PGO tools'\n"
              "                     problems are errors, not warnings\n"
              "  --config FILE      the hone.yaml whose compiler.c is that compiler (default: ./hone.yaml\n"
              "                     when there is one; --compiler wins)\n\n"
              "Exit status: 0 no error (warnings allowed), 1 an error, 2 bad usage.\n");
}

}  // namespace

int run_doctor(int argc, char** argv) {
  bool json = false;
  std::string compiler;              // --compiler: what hone.yaml's compiler.c selects
  std::string config = "hone.yaml";  // --config: read for compiler.c when --compiler is not given
  for (int i = 0; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      print_help();
      return support::k_exit_ok;
    }
    if (argument == "--json") {
      json = true;
      continue;
    }
    if (argument == "--compiler" && i + 1 < argc) {
      compiler = argv[++i];
      continue;
    }
    if (argument == "--config" && i + 1 < argc) {
      config = argv[++i];
      struct stat status{};
      if (stat(config.c_str(), &status) != 0) {
        std::fprintf(stderr, "hone: error: hone doctor --config %s: no such file\n", config.c_str());
        return support::k_exit_usage;
      }
      continue;
    }
    std::fprintf(stderr, "hone: error: 'hone doctor' takes no argument '%s'; run 'hone doctor --help'\n", argv[i]);
    return support::k_exit_usage;
  }
  Report report;
  find_compilers(report);
  find_pgo_tools(report);
  std::string asked_by = "--compiler";
  if (compiler.empty()) {
    read_config_compiler(report, config);
    compiler = report.config_compiler;
    asked_by = "compiler.c of " + config + ":";
  }
  find_gcc_pgo_tools(report, compiler, asked_by);
  find_path_programs(report);
  check_profdata_pairings(report);
  check_settings(report);
  check_perf(report);
  check_masquerade_path(report);
  if (json)
    print_json(report);
  else
    print_text(report);
  return report.count(Severity::error) > 0 ? support::k_exit_failed : support::k_exit_ok;
}

}  // namespace hone
