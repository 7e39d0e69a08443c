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

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <string_view>
#include <unistd.h>
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

[[noreturn]] void exec_or_die(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  argv.reserve(command.size() + 1);
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  int error = errno;
  std::fprintf(stderr, "hone: error: cannot run '%s': %s\n", command[0].c_str(), std::strerror(error));
  _exit(error == ENOENT ? 127 : 126);
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

[[noreturn]] void run_wrapped(const std::vector<std::string>& command) {
  std::vector<std::string> problems;
  ModeSettings settings = read_mode_settings(problems);
  if (!problems.empty()) {
    warn(problems, "running the compiler command unmodified");
    exec_or_die(command);
  }
  if (settings.disabled || !settings.any()) exec_or_die(command);

  const size_t compiler_index = support::compiler_index(command);
  std::vector<std::string> arguments(command.begin() + static_cast<std::ptrdiff_t>(compiler_index) + 1, command.end());
  Classification call = classify(arguments);

  CompilerFamily family = CompilerFamily::other;
  bool detected = false;
  std::vector<std::string> flags;
  bool compiles_or_links = call.kind == CallKind::compile || call.kind == CallKind::compile_and_link ||
                           call.kind == CallKind::link;
  if (settings.changes_command() && compiles_or_links) {
    family = detect_compiler(command[compiler_index]).family;
    detected = true;
    if (family == CompilerFamily::other) {
      warn({"cannot tell whether '" + command[compiler_index] + "' is clang or GCC"},
           "running it without the mode's flags");
    } else {
      std::string remarks = remarks_file(settings, call);
      flags = mode_flags(settings, call, family, remarks);
    }
  }

  if (!settings.compile_db.empty()) {
    std::string error = record_compile(settings.compile_db, command, call);
    if (!error.empty()) warn({error}, "the compile was not recorded");
  }

  std::vector<std::string> final_command = settings.prefix_command;
  final_command.insert(final_command.end(), command.begin(), command.end());
  final_command.insert(final_command.end(), flags.begin(), flags.end());
  if (!settings.log_file.empty()) append_log(settings.log_file, call, detected ? to_string(family) : "-", final_command);
  exec_or_die(final_command);
}

} // namespace

int run_launcher(int argc, char** argv) {
  std::vector<std::string> command(argv, argv + argc);
  run_wrapped(command);
}

int run_masquerade(int argc, char** argv) {
  std::string name(base_name(argv[0]));
  std::string self = real_path(self_executable());
  std::string compiler = find_in_path(name, self);
  if (compiler.empty()) {
    std::fprintf(stderr,
                 "hone: error: hone is masquerading as '%s', but there is no other '%s' on PATH after it; "
                 "put the folder with the real compiler on PATH after hone's masquerade folder\n",
                 name.c_str(), name.c_str());
    return 127;
  }
  std::vector<std::string> command(argv, argv + argc);
  command[0] = compiler;
  run_wrapped(command);
}

} // namespace hone
