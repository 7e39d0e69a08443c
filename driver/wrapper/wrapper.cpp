// Wrapper mode, as one pipeline per compiler call:
//   1. read the mode variables; with none set (the common case) exec the compiler at once;
//   2. find the real compiler behind any launcher (ccache, distcc, ...) in the command;
//   3. classify the call and, when a mode changes the command, detect the compiler family (cached);
//   4. record the compile database entry and the log line;
//   5. exec the final command: prefix command + the build's command + the mode's flags.
// hone never forks: exec'ing leaves the compiler's exit status, output and signals exactly its own.
// Any problem with hone's own state (a bad variable, an unwritable folder) is one warning on stderr,
// then the build's command runs unmodified: the wrapper never breaks a build.
#include "driver/wrapper/wrapper.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <functional>
#include <string>
#include <string_view>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "driver/wrapper/classify.h"
#include "driver/wrapper/compile_db.h"
#include "driver/wrapper/compiler_info.h"
#include "driver/wrapper/modes.h"
#include "driver/wrapper/paths.h"
#include "support/contracts.h"
#include "support/paths.h"

namespace hone {
namespace {

using namespace hone::wrapper;

using support::base_name;

// Tools that watch a build through LD_PRELOAD (Bear, ...) see a program's exec calls through a library
// the dynamic loader puts into it. A statically linked hone has no loader (no AT_BASE), so its exec of
// the compiler is invisible to them and Bear's database came out empty. When LD_PRELOAD is set, such a
// hone execs the compiler through /usr/bin/env, a dynamically linked program whose exec of the same
// argument vector the preloaded library sees: one more exec, and only then. A compiler name with '=' in
// it would be an assignment to env, so it is exec'd directly.
bool exec_through_env(const std::vector<std::string>& command) {
  const char* preload = std::getenv("LD_PRELOAD");
  if (preload == nullptr || *preload == '\0' || getauxval(AT_BASE) != 0) return false;
  if (command[0].find('=') != std::string::npos || access("/usr/bin/env", X_OK) != 0) return false;
  std::vector<char*> argv = {const_cast<char*>("/usr/bin/env"), const_cast<char*>("--")};
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  return false;  // env could not be run: exec the compiler directly instead
}

[[noreturn]] void exec_or_die(const std::vector<std::string>& command) {
  exec_through_env(command);
  std::vector<char*> argv;
  argv.reserve(command.size() + 1);
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  int error = errno;
  std::fprintf(stderr, "hone: error: cannot run '%s': %s\n", command[0].c_str(), std::strerror(error));
  _exit(error == ENOENT ? support::k_exit_not_found : support::k_exit_cannot_run);
}

void warn(const std::vector<std::string>& problems, const char* consequence) {
  std::string text;
  for (const std::string& problem : problems) text += (text.empty() ? "" : "; ") + problem;
  std::fprintf(stderr, "hone: warning: %s; %s\n", text.c_str(), consequence);
}

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;#~") == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// One line per call, written with a single append so lines from parallel calls never interleave.
// The family is "-" when no mode needed it (hone then does not detect it, to save a process).
void append_log(const std::string& file, const Classification& call, const char* family,
                const std::vector<std::string>& command) {
  std::string line = "hone: ";
  line += to_string(call.kind);
  line += " ";
  line += family;
  line += ":";
  for (const std::string& word : command) line += " " + shell_quote(word);
  line += "\n";
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0) {
    std::fprintf(stderr, "hone: warning: cannot write HONE_LOG=%s: %s\n", file.c_str(), std::strerror(errno));
    return;
  }
  ssize_t written = write(fd, line.data(), line.size());
  (void)written;
  close(fd);
}

// DIR/<record file name>: the name `hone vec --remarks-dir` computes from the compile's database
// entry (support/contracts.h); getcwd gives the physical working directory the rule asks for.
std::string remarks_file(const ModeSettings& settings, const Classification& call) {
  if (settings.remarks_dir.empty() || call.sources.size() != 1 || call.reads_stdin) return {};
  char cwd_buffer[PATH_MAX];
  const char* cwd = getcwd(cwd_buffer, sizeof(cwd_buffer)) ? cwd_buffer : ".";
  return settings.remarks_dir + "/" + support::record_file_name(cwd, call.sources[0], call.output);
}

// What the wrapper finally runs: the command, and variables to set in its environment.
struct Plan {
  std::vector<std::string> command;
  std::vector<std::pair<const char*, const char*>> environment;
};

// The record file for this call, or "" (no record flags) when there is none or hone could not write it:
// a folder or another user's file at that name, or a full disk, only costs the record, never the compile.
std::string checked_remarks_file(const ModeSettings& settings, const Classification& call) {
  std::string record = remarks_file(settings, call);
  if (record.empty()) return record;
  std::string problem = record_file_problem(record);
  if (problem.empty()) return record;
  warn({problem}, "compiling without an optimization record");
  return {};
}

// The problem with HONE_PROFILE_USE for this compiler family, or "": checked before -fprofile-use is
// added, since a file that is not a profile fails every compile ("bad magic").
std::string profile_use_problem(const ModeSettings& settings, CompilerFamily family) {
  if (settings.profile_use_path.empty()) return {};
  std::string problem = family == CompilerFamily::clang ? clang_profile_problem(settings.profile_use_path)
                        : family == CompilerFamily::gcc ? gcc_profile_problem(settings.profile_use_path)
                                                        : std::string{};
  return problem.empty() ? problem : "HONE_PROFILE_USE=" + settings.profile_use_path + " " + problem;
}

// A warning printed once per mode setting rather than on every compile of a build: the first call creates
// a marker in the wrapper's cache folder (O_EXCL, so parallel compiles agree on who prints), keyed by the
// topic and the mode's variables, so the next build in another mode says it again. Without a cache folder
// it is printed every time. `fd` is where it goes (stderr unless said otherwise).
void warn_once(const ModeSettings& settings, const char* topic, const std::string& text, int fd = STDERR_FILENO) {
  const std::string directory = cache_directory();
  if (!directory.empty()) {
    std::string signature = topic;
    for (const auto& [name, value] : settings.to_environment()) signature += "|" + name + "=" + value;
    mkdir(directory.c_str(), 0700);
    const std::string marker =
        directory + "/warned-" + topic + "-" + std::to_string(std::hash<std::string>{}(signature));
    const int marker_fd = open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (marker_fd < 0 && errno == EEXIST) return;
    if (marker_fd >= 0) close(marker_fd);
  }
  const std::string line = "hone: warning: " + text + "\n";
  const ssize_t written = write(fd, line.data(), line.size());
  (void)written;
}

// True when the process that ran hone is ccache: hone is then ccache's compiler (`ccache hone gcc`, or a
// launcher list "ccache;hone"), and ccache has already hashed the command without the mode's flags.
bool run_by_ccache() {
  char link[64];
  std::snprintf(link, sizeof link, "/proc/%d/exe", static_cast<int>(getppid()));
  char target[PATH_MAX];
  const ssize_t length = readlink(link, target, sizeof target - 1);
  if (length <= 0) return false;
  return base_name(std::string_view(target, static_cast<size_t>(length))) == "ccache";
}

// ccache first: a compile with the mode's flags would be stored under the plain command's key and served
// to a later plain build (an instrumented object in a release). So this run declines: it removes the
// object (ccache would cache a stale one left from an earlier build) and exits 0 without compiling;
// ccache then finds no output, stores nothing, and runs the same command again outside the cache
// ("falling back to running the real compiler"), where hone compiles with the mode's flags. The cost is
// one skipped start per compile, and only in a mode that changes the command.
[[noreturn]] void decline_ccache(const ModeSettings& settings, const Classification& call) {
  // ccache keeps its compiler's stderr and drops it with a failed attempt, so the warning goes to ccache's
  // own stderr, which is the build's (appending: it may be a log file).
  char parent_stderr[64];
  std::snprintf(parent_stderr, sizeof parent_stderr, "/proc/%d/fd/2", static_cast<int>(getppid()));
  const int build_stderr = open(parent_stderr, O_WRONLY | O_APPEND | O_CLOEXEC);
  warn_once(settings, "ccache-first",
            "ccache runs hone as its compiler, so it cannot see the flags hone's mode adds; those compiles "
            "bypass ccache's cache (it would serve them to plain builds). Put hone first (launcher 'hone;ccache') "
            "to have the mode's compiles cached where ccache can",
            build_stderr >= 0 ? build_stderr : STDERR_FILENO);
  if (!call.output.empty()) {
    unlink(call.output.c_str());
  } else {
    for (const std::string& source : call.sources) {  // gcc -c a.c without -o writes ./a.o
      const std::string_view name = base_name(source);
      unlink((std::string(name.substr(0, name.rfind('.'))) + ".o").c_str());
    }
  }
  _exit(0);
}

// GCC options ccache 4.7 refuses to cache ("unsupported compiler option"): with them ccache already runs
// the compiler uncached, so hone says so once and keeps ccache out of those compiles (CCACHE_DISABLE).
bool ccache_cannot_cache(const std::vector<std::string>& flags) {
  return std::any_of(flags.begin(), flags.end(), [](const std::string& flag) {
    return flag == "-fprofile-update=atomic" || flag == "-fprofile-partial-training";
  });
}

bool command_has_ccache(const std::vector<std::string>& command, size_t compiler_index, const ModeSettings& settings) {
  auto is_ccache = [](const std::string& word) { return base_name(word) == "ccache"; };
  return std::any_of(command.begin(), command.begin() + static_cast<std::ptrdiff_t>(compiler_index), is_ccache) ||
         std::any_of(settings.prefix_command.begin(), settings.prefix_command.end(), is_ccache);
}

// Everything between reading the variables and exec: find the compiler behind any launcher, classify the
// call, add the mode's flags, record the database entry and the log line.
Plan plan_call(const std::vector<std::string>& command, const ModeSettings& settings) {
  const size_t compiler_index = support::compiler_index(command);
  std::vector<std::string> compiler_command(command.begin() + static_cast<std::ptrdiff_t>(compiler_index),
                                            command.end());
  std::vector<std::string> arguments(compiler_command.begin() + 1, compiler_command.end());
  Classification call = classify(arguments);

  Plan plan;
  CompilerFamily family = CompilerFamily::other;
  bool detected = false;
  std::vector<std::string> flags;
  bool compiles_or_links =
      call.kind == CallKind::compile || call.kind == CallKind::compile_and_link || call.kind == CallKind::link;
  if (settings.changes_command() && compiles_or_links) {
    family = detect_compiler(command[compiler_index]).family;
    detected = true;
    std::string profile_problem = profile_use_problem(settings, family);
    if (family == CompilerFamily::other) {
      warn({"cannot tell whether '" + command[compiler_index] + "' is clang or GCC"},
           "running it without the mode's flags");
    } else if (!profile_problem.empty()) {
      warn({profile_problem}, "running the compiler command unmodified");
      plan.command = command;
      return plan;
    } else {
      std::string remarks = checked_remarks_file(settings, call);
      flags = mode_flags(settings, call, family, remarks);
      // A cache hit would skip the compiler and so the record: make this compile a ccache miss. The
      // variable only reaches ccache, however it is reached (hone ccache, a masquerade folder, a prefix).
      if (!remarks.empty() && std::find(flags.begin(), flags.end(), "-fsave-optimization-record=yaml") != flags.end()) {
        plan.environment.emplace_back("CCACHE_DISABLE", "1");
      }
      if (!flags.empty() && call.kind == CallKind::compile && run_by_ccache()) decline_ccache(settings, call);
      if (family == CompilerFamily::gcc && ccache_cannot_cache(flags) &&
          command_has_ccache(command, compiler_index, settings)) {
        warn_once(settings, "ccache-gcc-profile",
                  "ccache cannot cache GCC's -fprofile-update=atomic or -fprofile-partial-training, which this "
                  "mode adds: its compiles bypass ccache");
        plan.environment.emplace_back("CCACHE_DISABLE", "1");
      }
    }
  }

  if (!settings.compile_db.empty()) {
    RecordResult recorded = record_compile(settings.compile_db, compiler_command, call);
    if (!recorded.error.empty()) warn({recorded.error}, "the compile was not recorded");
    if (!recorded.warning.empty()) warn({recorded.warning}, "the compile was recorded");
  }

  plan.command = settings.prefix_command;
  plan.command.insert(plan.command.end(), command.begin(), command.end());
  plan.command.insert(plan.command.end(), flags.begin(), flags.end());
  if (!settings.log_file.empty()) append_log(settings.log_file, call, detected ? to_string(family) : "-", plan.command);
  return plan;
}

// Fail open by construction: everything hone does between reading its variables and exec runs inside
// this one guard. Any failure in it (an exception from a library, memory exhausted by a hostile
// response file) is one warning, and the build's command runs unmodified.
[[noreturn]] void run_wrapped(const std::vector<std::string>& command) {
  Plan plan;
  try {
    std::vector<std::string> problems;
    ModeSettings settings = read_mode_settings(problems);
    if (!problems.empty()) {
      warn(problems, "running the compiler command unmodified");
      exec_or_die(command);
    }
    if (settings.disabled || !settings.any()) exec_or_die(command);
    plan = plan_call(command, settings);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "hone: warning: internal error (%s); running the compiler command unmodified\n", error.what());
    exec_or_die(command);
  } catch (...) {
    std::fprintf(stderr, "hone: warning: internal error; running the compiler command unmodified\n");
    exec_or_die(command);
  }
  for (const auto& [name, value] : plan.environment) setenv(name, value, 1);
  exec_or_die(plan.command);
}

}  // namespace

int run_launcher(int argc, char** argv) {
  std::vector<std::string> command(argv, argv + argc);
  run_wrapped(command);
}

// Masquerade: hone was started under a compiler's name. The real compiler is searched only after hone's
// own PATH folder, past other hone folders and other launchers' masquerade folders (ccache's
// /usr/lib/ccache, distcc's /usr/lib/distcc): when one of those lies on the way, the call is handed to
// that launcher with the real compiler named, so it never searches PATH and cannot come back to hone.
// HONE_MASQUERADE_PASSED carries the folders already passed, so even a chain hone cannot see through (a
// wrapper script that calls the compiler by name again) moves down PATH and ends, never loops.
int run_masquerade(int argc, char** argv) {
  std::string name(base_name(argv[0]));
  const char* passed = std::getenv(k_env_masquerade_passed);
  MasqueradeTarget target;
  try {
    target = find_masquerade_target(name, argv[0], passed ? passed : "");
  } catch (const std::exception& error) {  // the guard of run_wrapped, for the one step before it
    std::fprintf(stderr, "hone: error: internal error (%s) looking for the real '%s' on PATH\n", error.what(),
                 name.c_str());
    return 127;
  }
  if (target.compiler.empty()) {
    std::string folders;
    for (const std::string& folder : target.explained) folders += (folders.empty() ? "" : ", ") + folder;
    std::fprintf(stderr,
                 "hone: error: hone is masquerading as '%s', but there is no other '%s' on PATH after it "
                 "(PATH folders with '%s': %s); put the folder with the real compiler on PATH after hone's "
                 "masquerade folder\n",
                 name.c_str(), name.c_str(), name.c_str(), folders.empty() ? "none" : folders.c_str());
    return 127;
  }
  setenv(k_env_masquerade_passed, target.passed.c_str(), 1);
  std::vector<std::string> command(argv, argv + argc);
  command[0] = target.compiler;
  if (!target.launcher.empty()) command.insert(command.begin(), target.launcher);
  run_wrapped(command);
}

}  // namespace hone
