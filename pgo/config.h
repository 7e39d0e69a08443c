// hone.yaml: how to build the project, which binaries are the product, how to train and how to
// benchmark them, and which optimizations to apply. The loader checks everything before any stage
// runs: an unknown key, a wrong type or a bad value is an error with file:line:col and, for a
// misspelt key, a did-you-mean (exit 2, nothing run). docs/config.md is the reference.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hone::pgo {

enum class BuildSystem { cmake, command };
enum class PgoKind { ir, frontend, cs, sample };
enum class LtoMode { off, thin, full };

struct Workload {
  std::string name;
  std::vector<std::string> command;  // placeholders: {bin}, {bin:NAME}, {source}, {work}
  std::filesystem::path cwd;         // absolute; default: the project root
  std::map<std::string, std::string> env;
  double timeout_seconds = 300;
  int expected_exit = 0;
  int repeat = 1;
  double weight = 1;            // training only: weight in the merged profile
  bool perf_recording = false;  // training: given as `perf: {command, duration}` (pgo.kind sample only)
  double perf_duration = 0;     // ... its duration: seconds recorded before SIGINT; 0: until it exits
  bool compare_output = true;   // verify/bolt: stdout must equal the baseline's
  std::string location;         // "hone.yaml:12:5" for messages

  // Benchmark only: a figure the benchmark prints (throughput, say) decides instead of its run time.
  struct Metric {
    std::string pattern;  // ECMAScript regex with exactly one capture group around the number
    bool higher_is_better = true;
    std::string unit;      // shown beside the figure in the table; may be empty
    std::string location;  // "hone.yaml:14:7" of the metric mapping, for messages
  };
  std::optional<Metric> metric;
};

struct Binary {
  std::string name;
  std::filesystem::path path;   // relative to a stage's build folder
  std::string target;           // build.system cmake: the target that builds it; empty: found (cmake_file_api.h)
  std::string location;         // "hone.yaml:8:5" for messages
  std::string target_location;  // ... and of its `target:` value, when it has one
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
  std::string pgo_kind_location;           // "hone.yaml:20:9" of pgo.kind, for messages; empty when defaulted
  std::string sample_event = "cpu-clock";  // pgo.kind sample: perf record -e (pgo.event)
  int sample_frequency = 0;                // pgo.kind sample: perf record -F (pgo.frequency); 0: perf's default
  LtoMode lto = LtoMode::thin;
  bool bolt = false;
  std::vector<std::string> bolt_args;      // extra llvm-bolt optimization options
  std::vector<std::string> compile_flags;  // extra flags for every optimized compile
  std::vector<std::string> link_flags;     // extra flags for every optimized link

  int verify_repetitions = 10;
  int verify_max_repetitions = 30;  // more rounds until every interval is tight; default 3 x repetitions
  int verify_warmup = 1;
  bool verify_callgrind = false;

  // Tool overrides; empty: found next to the compiler (same LLVM), then in the LLVM 19 folder.
  std::string llvm_profdata;
  std::string llvm_bolt;
  std::string merge_fdata;
};

// Reads and checks hone.yaml. Throws PgoError (exit 2) with "FILE:LINE:COL: message" on any problem.
Config load_config(const std::filesystem::path& file);

// The largest hone.yaml read; a real one is a few hundred bytes. It bounds the memory of the parse:
// yaml-cpp takes up to about 250 bytes per byte of text (a flow list of one-letter items), so 64 MB.
inline constexpr size_t k_max_config_bytes = size_t{256} << 10;

// What stops the text of a hone.yaml from being read: line and column 1-based (0: the whole file).
struct ConfigTextProblem {
  int line = 0;
  int column = 0;
  std::string message;
};

// Checks the text before yaml-cpp builds nodes from it, in bounded time and memory: too large, invalid
// YAML, a token yaml-cpp 0.7.0's parser stops on without consuming it (a ',' outside [...] or {...},
// on which YAML::LoadAll runs out of memory), a second non-empty document. nullopt: YAML::Load reads the
// one document safely.
std::optional<ConfigTextProblem> check_config_text(std::string_view text);

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
