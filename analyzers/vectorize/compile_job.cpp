// Compile command rewriting, child processes and the VFS overlay (see compile_job.h).
//
// Children are started through support/process, which runs each in its TU's compile directory without
// changing the analyzer's own working directory (the other worker threads share it). A compile that
// outlives --timeout is killed, so one pathological TU cannot hold up the whole report, and a compile
// dies with hone vec rather than running on after it was killed.
#include "compile_job.h"

#include "compiler_flags.h"
#include "support/contracts.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hone::vec {
namespace {

// Flags that are dropped, and whether they take the next argument as their value.
struct DroppedFlag {
  const char* spelling;
  bool prefix;       // matches any argument starting with `spelling`
  bool takes_value;  // (exact match only) the next argument is its value
};

constexpr DroppedFlag k_dropped_flags[] = {
    {"-o", false, true},
    {"-MF", false, true},
    {"-MT", false, true},
    {"-MQ", false, true},
    {"-MJ", false, true},
    {"-c", false, false},
    {"-S", false, false},
    {"-E", false, false},
    {"-M", false, false},
    {"-MM", false, false},
    {"-MD", false, false},
    {"-MMD", false, false},
    {"-MP", false, false},
    {"-MG", false, false},
    {"-fsyntax-only", false, false},
    {"-emit-llvm", false, false},
    {"-Werror", false, false},
    {"-pedantic-errors", false, false},
    {"-Werror=", true, false},
    {"-save-temps", true, false},
    {"-flto", true, false},
    {"-fno-lto", false, false},
    {"-fwhole-program-vtables", false, false},
    {"-fvirtual-function-elimination", false, false},
    {"-fsplit-lto-unit", false, false},
    {"-fsave-optimization-record", true, false},
    {"-foptimization-record-", true, false},
    {"-fdiagnostics-show-hotness", false, false},
    {"-fdiagnostics-hotness-threshold=", true, false},
    {"-MF", true, false},
    {"-MT", true, false},
    {"-MQ", true, false},
};

// Profile flags are replaced when hone vec compiles with its own profile.
constexpr const char* k_profile_prefixes[] = {"-fprofile-instr-use", "-fprofile-use", "-fprofile-instr-generate",
                                              "-fprofile-generate", "-fcs-profile-generate"};

bool is_clang(llvm::StringRef compiler) {
  llvm::StringRef name = llvm::sys::path::filename(compiler);
  return name.starts_with("clang") && !name.starts_with("clang-tool") && !name.starts_with("clang-cl");
}

bool is_cxx_driver(llvm::StringRef compiler) {
  llvm::StringRef name = llvm::sys::path::filename(compiler);
  return name.contains("++");
}

}  // namespace

CompileSetup prepare_compile(const clang::tooling::CompileCommand& command, const std::string& llvm_bin,
                             const std::string& profile) {
  CompileSetup setup;
  setup.directory = command.Directory.empty() ? "." : command.Directory;
  setup.file = absolute_in(setup.directory, command.Filename);
  // A compiler launcher (`ccache clang ...`, or hone itself): the compiler is the word after it.
  const std::vector<std::string> argv(command.CommandLine.begin() + static_cast<std::ptrdiff_t>(support::compiler_index(
                                                                        command.CommandLine, /*skip_hone=*/true)),
                                      command.CommandLine.end());
  std::string original = argv.empty() ? std::string() : argv[0];
  std::string own_clang = llvm_bin + (is_cxx_driver(original) ? "/clang++" : "/clang");
  setup.ast_driver = own_clang;
  if (is_clang(original)) {
    setup.compiler = original;
  } else {
    setup.compiler = own_clang;
    if (!original.empty() && llvm::sys::path::filename(original) != "clang-tool")
      setup.warnings.push_back("compiled with " + own_clang + " instead of '" + original +
                               "' (hone vec reads clang's optimization records)");
  }

  bool has_optimization_level = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    llvm::StringRef arg(argv[i]);
    if (absolute_in(setup.directory, arg) == setup.file || arg == command.Filename)
      continue;  // the input; appended again at the end
    bool dropped = false;
    for (const DroppedFlag& flag : k_dropped_flags) {
      if (flag.prefix ? arg.starts_with(flag.spelling) : arg == flag.spelling) {
        dropped = true;
        if (flag.takes_value) ++i;
        break;
      }
    }
    if (!dropped && arg.starts_with("-o") && !arg.starts_with("-obj")) dropped = true;  // -oFILE
    if (!dropped && !profile.empty()) {
      for (const char* prefix : k_profile_prefixes) dropped = dropped || arg.starts_with(prefix);
    }
    if (dropped) continue;
    if (arg == "-O" || (arg.starts_with("-O") && arg.size() > 2 && !arg.starts_with("-Obj"))) {
      has_optimization_level = true;
      setup.low_optimization = arg == "-O0" || arg == "-O1" || arg == "-Og" || arg == "-O";
    }
    if (arg == "-fno-vectorize" || arg == "-fno-tree-vectorize") setup.no_vectorize_flag = true;
    if (arg == "-fvectorize" || arg == "-ftree-vectorize") setup.no_vectorize_flag = false;
    if (arg == "-fno-math-errno" || arg == "-ffast-math" || arg == "-Ofast") setup.math_errno_off = true;
    if (arg == "-fmath-errno") setup.math_errno_off = false;
    setup.flags.push_back(arg.str());
  }
  if (!has_optimization_level) setup.flags.insert(setup.flags.begin(), "-O2");

  std::vector<std::string> unknown = analyze::flags_unknown_to_clang(setup.flags);
  for (const std::string& flag : unknown) {
    auto where = std::find(setup.flags.begin(), setup.flags.end(), flag);
    if (where != setup.flags.end()) setup.flags.erase(where);
    setup.warnings.push_back("dropped '" + flag + "': clang does not know this flag");
  }
  if (!profile.empty()) {
    setup.flags.push_back("-fprofile-instr-use=" + profile);
    setup.flags.push_back("-fdiagnostics-show-hotness");
  }
  return setup;
}

std::string absolute_in(const std::string& directory, llvm::StringRef path) {
  llvm::SmallString<256> result;
  if (llvm::sys::path::is_absolute(path)) {
    result = path;
  } else {
    result = directory;
    llvm::sys::path::append(result, path);
  }
  llvm::sys::path::remove_dots(result, /*remove_dot_dot=*/true);
  return std::string(result);
}

std::string wrapper_record_path(const clang::tooling::CompileCommand& command, const std::string& remarks_dir) {
  const support::DatabaseEntry entry{command.Directory, command.Filename, command.Output, command.CommandLine};
  return remarks_dir + "/" + support::record_file_name(entry);
}

std::vector<std::string> record_command(const CompileSetup& setup, const std::string& record_file,
                                        const std::vector<std::string>& extra) {
  std::vector<std::string> argv{setup.compiler};
  argv.insert(argv.end(), setup.flags.begin(), setup.flags.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  for (const char* flag : {"-w", "-gline-tables-only", "-gcolumn-info", "-fsave-optimization-record=yaml",
                           "-foptimization-record-passes=loop-vectorize"})
    argv.push_back(flag);
  argv.push_back("-foptimization-record-file=" + record_file);
  // The loop vectorizer runs in the optimization pipeline; -emit-llvm-only stops after it, skipping
  // instruction selection and object emission, which cost about a third of an -O2 compile and cannot
  // change a vectorization remark (the target's cost model is consulted either way).
  for (const char* flag : {"-c", "-Xclang", "-emit-llvm-only"}) argv.push_back(flag);
  argv.push_back(setup.file);
  return argv;
}

std::vector<std::string> parse_command(const CompileSetup& setup) {
  std::vector<std::string> argv{setup.ast_driver};
  argv.insert(argv.end(), setup.flags.begin(), setup.flags.end());
  argv.push_back("-fsyntax-only");
  argv.push_back("-w");
  argv.push_back(setup.file);
  return argv;
}

ChildProcess start_process(const std::vector<std::string>& argv, const std::string& directory,
                           const std::string& log_file) {
  support::ProcessSpec spec;
  spec.argv = argv;
  spec.cwd = directory;
  spec.stdout_sink = support::Sink::file;
  spec.stdout_file = log_file;
  spec.stderr_sink = support::Sink::into_stdout;
  spec.die_with_parent = true;  // a killed hone vec leaves no compile running on
  ChildProcess child;
  child.log_file = log_file;
  child.process = support::start(spec);
  if (!child.process.started())
    child.start_error = "cannot run '" + (argv.empty() ? std::string() : argv[0]) + "' in '" + directory +
                        "': " + child.process.start_error();
  return child;
}

int wait_process(ChildProcess& child, unsigned timeout_seconds) {
  if (!child.process.started()) return -1;
  const support::Outcome outcome = support::finish(child.process, timeout_seconds);
  child.timed_out = outcome.timed_out;
  if (outcome.signal != 0) return 128 + outcome.signal;
  return outcome.exit_code;
}

bool write_overlay(const std::string& overlay_file,
                   const std::vector<std::pair<std::string, std::string>>& original_to_replacement,
                   std::string& error) {
  llvm::json::Array roots;
  for (const auto& [original, replacement] : original_to_replacement) {
    roots.push_back(llvm::json::Object{
        {"type", "directory"},
        {"name", llvm::sys::path::parent_path(original).str()},
        {"contents", llvm::json::Array{llvm::json::Object{{"type", "file"},
                                                          {"name", llvm::sys::path::filename(original).str()},
                                                          {"external-contents", replacement}}}}});
  }
  llvm::json::Object overlay{{"version", 0}, {"use-external-names", false}, {"roots", std::move(roots)}};
  std::string text;
  llvm::raw_string_ostream stream(text);
  stream << llvm::json::Value(std::move(overlay));
  stream.flush();
  if (!write_text(overlay_file, text)) {
    error = "cannot write '" + overlay_file + "'";
    return false;
  }
  return true;
}

bool read_text(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace hone::vec
