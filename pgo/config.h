// hone.yaml: how to build the project, which binaries are the product, how to train and how to
// benchmark them, and which optimizations to apply. The loader checks everything before any stage
// runs: an unknown key, a wrong type or a bad value is an error with file:line:col and, for a
// misspelt key, a did-you-mean (exit 2, nothing run). docs/config.md is the reference.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hone::pgo {

enum class BuildSystem { cmake, command };
enum class PgoKind { ir, frontend, cs };
enum class LtoMode { off, thin, full };

struct Workload {
  std::string name;
  std::vector<std::string> command;  // placeholders: {bin}, {bin:NAME}, {source}, {work}
  std::filesystem::path cwd;         // absolute; default: the project root
  std::map<std::string, std::string> env;
  double timeout_seconds = 300;
  int expected_exit = 0;
  int repeat = 1;
  double weight = 1;           // training only: weight in the merged profile
  bool compare_output = true;  // verify/bolt: stdout must equal the baseline's
  std::string location;        // "hone.yaml:12:5" for messages
};

struct Binary {
  std::string name;
  std::filesystem::path path;  // relative to a stage's build folder
};

struct Config {
  std::filesystem::path file;        // the hone.yaml that was read
  std::filesystem::path root;        // its folder: relative paths are relative to it
  std::filesystem::path source_dir;  // absolute
  std::filesystem::path work_dir;    // absolute, default root/.hone
  std::string work_dir_location;     // "hone.yaml:30:11" of work_dir, or the file when defaulted

  BuildSystem build_system = BuildSystem::cmake;
  std::vector<std::string> cmake_args;         // cmake: extra configure arguments
  std::string build_type = "Release";          // cmake: CMAKE_BUILD_TYPE of every variant
  std::vector<std::string> configure_command;  // command: run once in the build folder (may be empty)
  std::vector<std::string> build_command;      // command: run in the build folder; {build} {source}
  std::map<std::string, std::string> build_env;

  std::string c_compiler = "clang-19";
  std::string cxx_compiler = "clang++-19";

  std::vector<Binary> binaries;
  std::vector<Workload> training;
  std::vector<Workload> benchmark;

  PgoKind pgo_kind = PgoKind::ir;
  LtoMode lto = LtoMode::thin;
  bool bolt = false;
  std::vector<std::string> bolt_args;      // extra llvm-bolt optimization options
  std::vector<std::string> compile_flags;  // extra flags for every optimized compile
  std::vector<std::string> link_flags;     // extra flags for every optimized link

  int verify_repetitions = 10;
  int verify_warmup = 1;
  bool verify_callgrind = false;

  // Tool overrides; empty: found next to the compiler (same LLVM), then in the LLVM 19 folder.
  std::string llvm_profdata;
  std::string llvm_bolt;
  std::string merge_fdata;
};

// Reads and checks hone.yaml. Throws PgoError (exit 2) with "FILE:LINE:COL: message" on any problem.
Config load_config(const std::filesystem::path& file);

// Why `config.work_dir` may not be hone's work folder ("" when it may): the file system root, the
// user's home folder, the project root or its source folder, or an ancestor of any of them (hone
// owns its work folder and `clean` removes it), or an existing path that is not a folder. Symlinks
// are resolved first, so a link to the project is refused like the project itself.
std::string unsafe_work_dir_reason(const Config& config);

// The closest of `candidates` to `word` when it is close enough to be a likely typo, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

std::string to_string(PgoKind kind);
std::string to_string(LtoMode mode);

}  // namespace hone::pgo
