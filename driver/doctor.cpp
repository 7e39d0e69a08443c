// `hone doctor` lists the compilers on PATH and the LLVM tools the PGO pipeline needs (llvm-profdata,
// llvm-bolt, merge-fdata, ld.lld) with their versions, found by the rule hone pgo uses
// (support/llvm_tools.h) for its default compiler clang-19, then checks the pairings that break PGO most
// often: an llvm-profdata older than the clang that writes the profiles (the raw profile format changes
// between LLVM releases, and an older reader rejects or misreads newer files), and a clang without the
// tools of its own release beside it. Exit 0 when nothing is wrong, 1 when a problem was found, 2 on
// bad usage.
#include "driver/doctor.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "driver/wrapper/compiler_info.h"
#include "driver/wrapper/paths.h"
#include "support/contracts.h"
#include "support/llvm_tools.h"

namespace hone {
namespace {

using namespace hone::wrapper;

struct Tool {
  std::string name;
  std::string path;     // as found on PATH or in the LLVM folder; "" when missing
  std::string version;  // "" when it could not be read
  int major = 0;
};

Tool probe(const std::string& name, const std::string& path) {
  if (path.empty()) return Tool{name, path, "", 0};
  const support::LlvmVersion version = support::llvm_tool_version(path);
  return Tool{name, path, version.text, version.major};
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

void print_tool(const Tool& tool, const char* missing_hint) {
  if (tool.path.empty()) {
    std::printf("  %-14s not found%s%s\n", tool.name.c_str(), *missing_hint ? ": " : "", missing_hint);
  } else {
    std::printf("  %-14s %-10s %s\n", tool.name.c_str(), tool.version.empty() ? "?" : tool.version.c_str(),
                tool.path.c_str());
  }
}

// The masquerade folders on PATH (folders whose compiler names lead to hone or to another launcher such
// as ccache's /usr/lib/ccache) in PATH order, and what a compile found there goes through. hone searches
// the real compiler only after its own folder and hands a call to a launcher folder after it, so no order
// loops; the order decides whether ccache sees hone's flags in its hash, which is worth a note.
void explain_masquerade_path(std::vector<std::string>& notes) {
  const char* path_variable = std::getenv("PATH");
  std::string path = path_variable ? path_variable : "";
  std::vector<std::pair<std::string, std::string>> folders;  // folder, owner
  for (size_t start = 0; start <= path.size();) {
    size_t end = std::min(path.find(':', start), path.size());
    std::string folder = end == start ? "." : path.substr(start, end - start);
    start = end + 1;
    for (const char* name : {"cc", "c++", "gcc", "g++", "clang", "clang++", "clang-19", "clang++-19"}) {
      std::string owner = masquerade_owner(folder + "/" + name);
      if (owner.empty()) continue;
      folders.emplace_back(folder, owner);
      break;
    }
  }
  if (folders.empty()) return;
  std::printf("\nMasquerade folders on PATH, in order:\n");
  for (const auto& [folder, owner] : folders) std::printf("  %-14s %s\n", owner.c_str(), folder.c_str());
  size_t hone = folders.size(), launcher = folders.size();
  for (size_t i = 0; i < folders.size(); ++i) {
    if (folders[i].second == "hone" && hone == folders.size()) hone = i;
    if (folders[i].second != "hone" && launcher == folders.size()) launcher = i;
  }
  if (hone == folders.size() || launcher == folders.size()) return;
  const std::string& other = folders[launcher].second;
  if (hone < launcher) {
    std::printf("  A compile goes hone -> %s -> the compiler: hone adds its flags and hands the call to %s "
                "with the real compiler named, so %s hashes hone's flags.\n",
                other.c_str(), other.c_str(), other.c_str());
  } else {
    std::printf("  A compile goes %s -> hone -> the compiler.\n", other.c_str());
    notes.push_back(other + "'s folder " + folders[launcher].first + " comes before hone's " + folders[hone].first +
                    " on PATH: " + other +
                    " hashes each command before hone adds a mode's flags, so it can serve "
                    "a plain object to an instrumented build; put " +
                    folders[hone].first + " first");
  }
}

// --help's text (exit 0) or the usage error for any argument (exit 2); nothing when there is none.
std::optional<int> answer_arguments(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") {
      std::printf("Usage: hone doctor\n\nLists the compilers and LLVM tools hone will use, with their "
                  "versions, and the mismatches that will break PGO.\nExit status: 0 all good, 1 problems "
                  "found.\n");
      return support::k_exit_ok;
    }
    std::fprintf(stderr, "hone: error: 'hone doctor' takes no argument '%s'; run 'hone doctor --help'\n", argv[i]);
    return support::k_exit_usage;
  }
  return std::nullopt;
}

// Prints the compilers on PATH and returns the clangs among them.
std::vector<Tool> list_compilers(std::vector<std::string>& problems) {
  std::vector<Tool> clangs;
  bool any_compiler = false;
  for (const char* name : {"cc", "c++", "gcc", "g++", "clang", "clang++", "clang-19", "clang++-19"}) {
    // The compiler a masquerading hone would run: never another launcher's folder, which may lead back.
    std::string path = find_masquerade_target(name, "", "").compiler;
    if (path.empty()) continue;
    any_compiler = true;
    CompilerInfo info = parse_version_output(version_text(path));
    std::printf("  %-14s %-10s %-6s %s\n", name, info.version.empty() ? "?" : info.version.c_str(),
                to_string(info.family), path.c_str());
    if (info.family == CompilerFamily::clang) {
      clangs.push_back(Tool{name, path, info.version, info.major_version});
    }
  }
  if (!any_compiler) problems.push_back("no C or C++ compiler on PATH: install clang-19 or gcc (scripts/setup)");
  return clangs;
}

// Prints the tools hone pgo will use, by its own rule (support/llvm_tools.h), for its default compiler,
// and returns the llvm-profdata among them.
Tool list_pgo_tools(const std::vector<Tool>& clangs, std::vector<std::string>& problems) {
  std::string pgo_compiler;
  int pgo_major = 0;
  for (const Tool& clang : clangs) {
    if (clang.name == "clang-19") pgo_compiler = clang.path, pgo_major = clang.major;
  }
  const std::string llvm_dir = support::llvm_bin_dir(pgo_compiler);
  const char* chosen = std::getenv(support::k_env_llvm_bin_dir);
  std::printf("\nLLVM tools for hone pgo (%s%s):\n", chosen && *chosen ? "HONE_LLVM_BIN_DIR=" : "", llvm_dir.c_str());
  const char* hints[] = {"install llvm-19 (scripts/setup)", "install bolt-19 (scripts/setup)",
                         "install bolt-19 (scripts/setup)", "install lld-19 (scripts/setup)"};
  const char* names[] = {"llvm-profdata", "llvm-bolt", "merge-fdata", "ld.lld"};
  Tool pipeline_profdata;
  for (size_t i = 0; i < 4; ++i) {
    const support::LlvmToolLookup found = support::find_llvm_tool({names[i], "", pgo_compiler, pgo_major});
    Tool tool = probe(names[i], found.path);
    print_tool(tool, hints[i]);
    if (tool.path.empty()) {
      std::string looked_in;
      for (const std::string& place : found.looked_in) looked_in += (looked_in.empty() ? "" : ", ") + place;
      problems.push_back(std::string(names[i]) + " is missing from " + looked_in + ": " + hints[i]);
    }
    if (i == 0) pipeline_profdata = tool;
  }
  return pipeline_profdata;
}

// Prints the other tools found on PATH and returns PATH's llvm-profdata.
Tool list_path_tools() {
  Tool path_profdata = probe("llvm-profdata", find_in_path("llvm-profdata", ""));
  std::printf("\nOn PATH:\n");
  print_tool(path_profdata, "");
  for (const char* name : {"ccache", "distcc", "pahole", "perf"}) {
    std::string path = find_in_path(name, "");
    std::printf("  %-14s %s\n", name, path.empty() ? "not found" : path.c_str());
  }
  return path_profdata;
}

// The pairings that break PGO: a clang without its own llvm-profdata, or with an older one in use.
void check_profdata_pairings(const std::vector<Tool>& clangs, const Tool& path_profdata, const Tool& pipeline_profdata,
                             std::vector<std::string>& problems) {
  for (const Tool& clang : clangs) {
    std::string beside = real_path(clang.path);
    std::string own_profdata = beside.empty() ? "" : directory_of(beside) + "/llvm-profdata";
    if (own_profdata.empty() || !access_executable(own_profdata)) {
      problems.push_back(clang.name + " (" + clang.version + ") has no llvm-profdata of its own release beside it (" +
                         (beside.empty() ? clang.path : directory_of(beside)) +
                         "): profiles it writes may be unreadable; "
                         "install llvm-" +
                         std::to_string(clang.major));
    }
    if (path_profdata.major > 0 && clang.major > path_profdata.major) {
      problems.push_back("llvm-profdata on PATH (" + path_profdata.version + ", " + path_profdata.path +
                         ") is older than " + clang.name + " (" + clang.version +
                         "): it cannot read the profiles that compiler writes; hone pgo uses the llvm-profdata "
                         "beside the compiler, but run llvm-profdata-" +
                         std::to_string(clang.major) + " by hand");
    }
    if (pipeline_profdata.major > 0 && clang.major > pipeline_profdata.major) {
      problems.push_back("llvm-profdata in " + directory_of(pipeline_profdata.path) + " (" + pipeline_profdata.version +
                         ") is older than " + clang.name + " (" + clang.version +
                         "): point HONE_LLVM_BIN_DIR at that compiler's LLVM");
    }
  }
}

}  // namespace

int run_doctor(int argc, char** argv) {
  if (std::optional<int> exit_code = answer_arguments(argc, argv)) return *exit_code;

  std::vector<std::string> problems;
  std::printf("hone %s\n\nCompilers on PATH:\n", HONE_VERSION);
  const std::vector<Tool> clangs = list_compilers(problems);
  const Tool pipeline_profdata = list_pgo_tools(clangs, problems);
  const Tool path_profdata = list_path_tools();
  check_profdata_pairings(clangs, path_profdata, pipeline_profdata, problems);

  std::vector<std::string> notes;
  explain_masquerade_path(notes);
  for (const std::string& note : notes) std::printf("  Note: %s\n", note.c_str());

  if (problems.empty()) {
    std::printf("\nNo problems found.\n");
    return support::k_exit_ok;
  }
  std::printf("\nProblems:\n");
  for (const std::string& problem : problems) std::printf("  - %s\n", problem.c_str());
  return support::k_exit_failed;
}

}  // namespace hone
