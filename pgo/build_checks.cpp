// The checks of build_checks.h. They read only what the build left behind: the wrapper's log (which
// compiles went through hone, with which flags), the source folder's file times, and the binaries'
// ELF section tables, so they cost a directory walk and a few small reads per build.
#include "pgo/build_checks.h"

#include <fstream>
#include <regex>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include "pgo/elf_sections.h"
#include "pgo/error.h"
#include "pgo/gcc_profile.h"
#include "pgo/hashing.h"
#include "pgo/stages.h"

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// "a, b, c and 4 more": a short list for a message.
std::string short_list(const std::vector<std::string>& items, size_t shown = 5) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < shown; ++i) text += (i ? ", " : "") + items[i];
  if (items.size() > shown) text += " and " + std::to_string(items.size() - shown) + " more";
  return text;
}

// The first line of the project's Makefile that assigns CC or CXX in a way that overrides the
// environment ("CC= gcc", "CXX := g++", "override CC = ..."; not "CC ?= ..." or "CC += ..."), as
// "FILE:LINE sets 'TEXT'", or "" when there is none.
std::string makefile_compiler_assignment(const Config& config) {
  static const std::regex assignment(R"(^\s*(override\s+)?(CC|CXX)\s*(:{1,3})?=.*)");
  for (const fs::path& folder : {config.source_dir, config.root}) {
    for (const char* name : {"GNUmakefile", "makefile", "Makefile"}) {
      std::ifstream in(folder / name);
      std::string line;
      for (int number = 1; std::getline(in, line); ++number)
        if (std::regex_match(line, assignment))
          return (folder / name).string() + ":" + std::to_string(number) + " sets '" + line + "'";
    }
  }
  return {};
}

// The build command with CC={cc} and CXX={cxx} added, as a hone.yaml list.
std::string command_with_compilers(const Config& config) {
  std::string text = "[";
  for (const std::string& word : config.build_command) text += nlohmann::json(word).dump() + ", ";
  return text + "\"CC={cc}\", \"CXX={cxx}\"]";
}

}  // namespace

fs::path wrapper_log_path(const fs::path& build_dir) {
  return build_dir / "hone-wrapper.log";
}

int wrapper_compile_count(const fs::path& wrapper_log, const std::string& must_contain) {
  std::ifstream in(wrapper_log);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    bool compile = line.starts_with("hone: compile ") || line.starts_with("hone: compile+link ");
    if (compile && (must_contain.empty() || line.find(must_contain) != std::string::npos)) ++count;
  }
  return count;
}

SourceSnapshot SourceSnapshot::take(const Config& config) {
  // hone's own output redirected into the project (hone pgo 2> pgo.log) changes during every build; it
  // is not the build's doing.
  std::set<std::pair<dev_t, ino_t>> own_output;
  for (int fd : {STDOUT_FILENO, STDERR_FILENO})
    if (struct stat info{}; fstat(fd, &info) == 0 && S_ISREG(info.st_mode))
      own_output.insert({info.st_dev, info.st_ino});
  SourceSnapshot snapshot;
  std::error_code error;
  for (const fs::path& file : source_files(config.source_dir, config.work_dir)) {
    if (struct stat info{}; stat(file.c_str(), &info) == 0 && own_output.count({info.st_dev, info.st_ino})) continue;
    snapshot.files_[file] = {fs::file_size(file, error), fs::last_write_time(file, error)};
  }
  return snapshot;
}

std::vector<std::string> SourceSnapshot::changes(const Config& config) const {
  std::vector<std::string> changed;
  std::map<fs::path, std::pair<uintmax_t, fs::file_time_type>> now = take(config).files_;
  for (const auto& [file, stamp] : now) {
    auto before = files_.find(file);
    if (before == files_.end() || before->second != stamp)
      changed.push_back(file.lexically_relative(config.source_dir).string());
  }
  for (const auto& [file, stamp] : files_)
    if (!now.count(file)) changed.push_back(file.lexically_relative(config.source_dir).string());
  std::sort(changed.begin(), changed.end());
  return changed;
}

void check_no_source_writes(const Config& config, const std::string& variant, const SourceSnapshot& before) {
  std::vector<std::string> written = before.changes(config);
  if (written.empty()) return;
  fail_job("the " + variant + " build wrote into the source folder " + config.source_dir.string() + " (" +
           std::to_string(written.size()) + " file" + (written.size() == 1 ? "" : "s") + ": " + short_list(written) +
           "). hone builds every variant (instrumented, optimized, baseline) in its own folder; a build in the "
           "source tree would find the previous variant's objects up to date and hand them on, so the "
           "\"optimized\" binary would be the instrumented one. Make the build out of tree: write into {build} "
           "(make: an output-folder variable such as BUILD={build} or O={build}; autotools: run {source}/configure "
           "in {build}), or copy the sources into the build folder first, e.g. command: [\"sh\", \"-c\", \"cp -R "
           "{source}/. {build}/src && make -C {build}/src CC=\\\"$CC\\\" && cp {build}/src/app {build}/app\"]. "
           "Remove what the build wrote (make clean) before the next run");
}

void check_compiled_through_wrapper(const Context& context, const std::string& variant, const fs::path& build_dir) {
  const fs::path log = wrapper_log_path(build_dir);
  if (wrapper_compile_count(log) > 0) return;
  const Config& config = context.config;
  std::string message = "the " + variant + " build compiled nothing through hone's wrapper (no compile in " +
                        log.string() + "), so none of its code has hone's flags. ";
  if (config.build_system == BuildSystem::cmake) {
    fail_job(message + "The project sets its own compiler launcher or compiler (CMAKE_<LANG>_COMPILER_LAUNCHER, "
                       "CMAKE_<LANG>_COMPILER in its CMakeLists.txt or a toolchain file), which overrides the "
                       "launcher hone gives on the cmake command line; remove that setting for hone's builds");
  }
  std::string assignment = makefile_compiler_assignment(config);
  message += assignment.empty() ? "The build does not use the CC and CXX hone puts in its environment (a Makefile "
                                  "assignment such as 'CC= gcc', or a fixed compiler path, overrides them). "
                                : assignment + ", which overrides the CC hone puts in the environment. ";
  message += "Pass the compilers on make's command line (make CC=\"$CC\" CXX=\"$CXX\"): in " + config.file.string() +
             ",\nbuild:\n  command: " + command_with_compilers(config) +
             "\n({cc} and {cxx} are hone's wrapper followed by the compiler, the values of $CC and $CXX)";
  fail_job(message);
}

void check_variant_binaries(Context& context, const std::string& variant,
                            const std::map<std::string, fs::path>& binaries, const fs::path& build_dir,
                            const fs::path& build_log, const VariantExpectation& expected) {
  std::map<std::string, std::string> instrumented_hashes;  // hash -> binary path
  if (expected.differ_from_instrumented) {
    const Manifest instrument = require_manifest(context, "instrument");
    for (const auto& [path, hash] : instrument.outputs.items()) instrumented_hashes[hash.get<std::string>()] = path;
  }
  // Clang's instrumentation has a section of its own. GCC's is known by libgcov's symbols or, in a
  // stripped binary, by the .gcda paths under the instrument stage's -fprofile-generate folder
  // (run_instrument's default-profiles) that each instrumented object compiles in.
  const bool clang = context.tools.is_clang;
  const fs::path gcc_profiles = context.stage_dir("instrument") / "default-profiles";
  const std::string marker = clang
                                 ? k_profile_counters_section
                                 : "neither libgcov's __gcov_* symbols nor a .gcda path under " + gcc_profiles.string();
  for (const auto& [name, path] : binaries) {
    bool counters = clang ? has_elf_section(path, k_profile_counters_section) : is_gcc_instrumented(path, gcc_profiles);
    if (expected.instrumented && !counters)
      fail_job("the " + variant + " binary '" + name + "' (" + path.string() + ") has no profiling counters (" +
               marker +
               "): it was not linked from instrumented objects. The build may have copied a binary it did not "
               "build, or linked objects compiled without hone's flags");
    if (!expected.instrumented && counters)
      fail_job("the " + variant + " binary '" + name + "' (" + path.string() + ") carries profiling counters (" +
               (clang ? marker : "libgcov's __gcov_* symbols or a .gcda path under " + gcc_profiles.string()) +
               "): it was linked from instrumented objects, so the build reused files of the instrumented build "
               "(objects written into the source folder, a cache, or a fixed path outside {build})");
    if (expected.differ_from_instrumented) {
      auto same = instrumented_hashes.find(hash_file(path));
      if (same != instrumented_hashes.end())
        fail_job("the " + variant + " binary '" + name + "' (" + path.string() +
                 ") is byte-identical to the instrumented binary " + same->second +
                 ": the build did not produce it from its own compiles");
    }
  }
  if (expected.profile.empty()) return;
  // Through the wrapper the compile lines carry the profile; through CFLAGS, the build's echo of them.
  bool used = wrapper_compile_count(wrapper_log_path(build_dir), expected.profile) > 0;
  if (!used) {
    std::ifstream in(build_log);
    std::string line;
    while (!used && std::getline(in, line)) used = line.find(expected.profile) != std::string::npos;
  }
  if (!used)
    fail_job("no compile of the " + variant + " build used the profile " + expected.profile + " (neither " +
             wrapper_log_path(build_dir).string() + " nor " + build_log.string() +
             " shows it): the build's compiles did not get hone's flags");
}

}  // namespace hone::pgo
