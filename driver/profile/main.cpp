// hone-profile: the executable behind `hone profile` (the `hone` driver execs it).
//
//   hone profile [options] [--] COMMAND [ARGS...]     record COMMAND under perf, then render
//   hone profile [options] --input perf.data          render an existing recording
//   hone profile [options] --perf-script FILE         render `perf script` text (e.g. from another machine)
//
// The pipeline: check perf and the kernel's permission (perf_setup), record with perf record, fold
// the stacks that perf script prints (stack_folding), write the flame graph SVG (flame_graph) and
// print the top functions (top_functions). Exit codes: 0 profiled; 1 the command failed (the profile
// is still written) or nothing was sampled; 2 bad usage, perf missing or not permitted, unreadable input.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include "driver/profile/flame_graph.h"
#include "driver/profile/perf_setup.h"
#include "driver/profile/process.h"
#include "driver/profile/stack_folding.h"
#include "driver/profile/top_functions.h"
#include "support/atomic_file.h"
#include "support/contracts.h"

namespace {

using namespace hone::profile;

constexpr const char* k_usage =
    "usage: hone profile [options] [--] COMMAND [ARGS...]\n"
    "       hone profile [options] --input perf.data\n"
    "       hone profile [options] --perf-script FILE\n"
    "\n"
    "Runs COMMAND under Linux perf, writes an interactive flame graph (SVG: hover for details, click to\n"
    "zoom, Search or Ctrl-F to highlight) and prints the top functions by self and by total time.\n"
    "Ctrl-C stops the command; what was recorded until then is still rendered.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE       the flame graph SVG (default: hone-profile.svg)\n"
    "      --report FILE       write the summary (top functions) to FILE, '-' for stdout (default:\n"
    "                          stderr, so the profiled command's own stdout stays its own)\n"
    "      --folded FILE       also write the folded stacks ('frame;frame;... weight' lines)\n"
    "      --data FILE         keep perf's recording in FILE (default: a temporary file, removed)\n"
    "      --input FILE        render this perf.data instead of running a command\n"
    "      --perf-script FILE  render the output of 'perf script' saved in FILE ('-' for stdin)\n"
    "  -F, --frequency HZ      samples per second (default: 999)\n"
    "  -e, --event EVENT       auto (default: hardware cycles where the CPU exposes them, else the\n"
    "                          cpu-clock software event, which works in virtual machines), cpu-clock,\n"
    "                          cycles, or any perf event\n"
    "  -g, --call-graph MODE   dwarf (default: needs no frame pointers), fp (smaller and faster for\n"
    "                          programs built with -fno-omit-frame-pointer), lbr, or none\n"
    "      --top N             functions listed in each table (default: 15)\n"
    "      --title TEXT        the flame graph's title (default: the command line)\n"
    "  -h, --help              show this help\n"
    "\n"
    "environment: HONE_PERF=/path/to/perf chooses the perf binary. See docs/profile.md.\n";

struct Options {
  std::string output = "hone-profile.svg";
  std::string report;  // the summary's file: "" stderr, "-" stdout
  std::string folded;
  std::string data;
  std::string input;
  std::string perf_script;
  long frequency = 999;
  std::string event = "auto";
  std::string call_graph = "dwarf";
  long top = 15;
  std::string title;
  std::vector<std::string> command;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "hone: error: %s\nRun 'hone profile --help' for the options.\n", message.c_str());
  return 2;
}

bool parse_number(const std::string& text, long low, long high, long& value) {
  char* end = nullptr;
  errno = 0;
  const long parsed = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0' || parsed < low || parsed > high) return false;
  value = parsed;
  return true;
}

// Returns -1 when parsing succeeded (go on), else the exit code.
int parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (int j = i + 1; j < argc; ++j) options.command.emplace_back(argv[j]);
      break;
    }
    if (arg.empty() || arg[0] != '-') {
      for (int j = i; j < argc; ++j) options.command.emplace_back(argv[j]);
      break;
    }
    if (arg == "-h" || arg == "--help") {
      std::fputs(k_usage, stdout);
      return 0;
    }
    std::string value;
    bool has_inline_value = false;
    if (const std::size_t equals = arg.find('='); arg.rfind("--", 0) == 0 && equals != std::string::npos) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
      has_inline_value = true;
    }
    auto take_value = [&](std::string& target) {
      if (has_inline_value) {
        target = value;
        return true;
      }
      if (i + 1 >= argc) return false;
      target = argv[++i];
      return true;
    };
    std::string text;
    if (arg == "-o" || arg == "--output") {
      if (!take_value(options.output) || options.output.empty()) return usage_error(arg + " needs a file name");
    } else if (arg == "--report") {
      if (!take_value(options.report) || options.report.empty()) return usage_error("--report needs a file name");
    } else if (arg == "--folded") {
      if (!take_value(options.folded) || options.folded.empty()) return usage_error("--folded needs a file name");
    } else if (arg == "--data") {
      if (!take_value(options.data) || options.data.empty()) return usage_error("--data needs a file name");
    } else if (arg == "--input") {
      if (!take_value(options.input) || options.input.empty()) return usage_error("--input needs a perf.data file");
    } else if (arg == "--perf-script") {
      if (!take_value(options.perf_script) || options.perf_script.empty()) {
        return usage_error("--perf-script needs a file name (or '-' for stdin)");
      }
    } else if (arg == "-F" || arg == "--frequency") {
      if (!take_value(text) || !parse_number(text, 1, 100000, options.frequency)) {
        return usage_error(arg + " needs a number of samples per second between 1 and 100000, not '" + text + "'");
      }
    } else if (arg == "-e" || arg == "--event") {
      if (!take_value(options.event) || options.event.empty()) return usage_error(arg + " needs an event name");
    } else if (arg == "-g" || arg == "--call-graph") {
      if (!take_value(options.call_graph) || (options.call_graph != "dwarf" && options.call_graph != "fp" &&
                                              options.call_graph != "lbr" && options.call_graph != "none")) {
        return usage_error(arg + " must be dwarf, fp, lbr or none, not '" + options.call_graph + "'");
      }
    } else if (arg == "--top") {
      if (!take_value(text) || !parse_number(text, 1, 100000, options.top)) {
        return usage_error("--top needs a positive number, not '" + text + "'");
      }
    } else if (arg == "--title") {
      if (!take_value(options.title)) return usage_error("--title needs a text");
    } else {
      return usage_error("unknown option '" + arg + "'");
    }
  }
  const int sources =
      (options.command.empty() ? 0 : 1) + (options.input.empty() ? 0 : 1) + (options.perf_script.empty() ? 0 : 1);
  if (sources == 0) return usage_error("nothing to profile: give a command (hone profile -- ./my_program args)");
  if (sources > 1) return usage_error("give only one of a command, --input and --perf-script");
  return -1;
}

// Writes `text` to `path` atomically (support/atomic_file.h: exclusive temporary, rename); false after
// printing why not.
bool write_file(const std::string& path, const std::string& text) {
  const std::string error = hone::support::write_file_atomically(path, text);
  if (error.empty()) return true;
  std::fprintf(stderr, "hone: error: %s\n", error.c_str());
  return false;
}

std::string join(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

bool event_counts_time(const std::string& event) {
  const std::string base = event.substr(0, event.find(':'));
  return base == "cpu-clock" || base == "task-clock";
}

bool file_has_data(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in && in.tellg() > 0;
}

// What rendering needs from a recording, however it was obtained.
struct Recording {
  FoldedProfile profile;
  std::string description;    // the flame graph's title after "hone profile: "
  std::string sampling_note;  // "999 Hz" when hone ran perf record itself
  bool command_failed = false;
  std::string command_status;  // how the command failed
};

// --perf-script: folds the text of an earlier `perf script`. Returns -1 on success, else the exit code.
int fold_script_file(const Options& options, Recording& recording) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (options.perf_script != "-") {
    file.open(options.perf_script);
    if (!file) {
      std::fprintf(stderr, "hone: error: cannot read %s: %s\n", options.perf_script.c_str(), std::strerror(errno));
      return 2;
    }
    in = &file;
  }
  std::string fold_error;
  if (!fold_perf_script(*in, recording.profile, fold_error)) {
    std::fprintf(stderr, "hone: error: %s: %s\n", options.perf_script.c_str(), fold_error.c_str());
    return 2;
  }
  if (recording.description.empty()) recording.description = options.perf_script;
  return -1;
}

// The perf binary, checked to run. Returns -1 on success, else the exit code.
int find_working_perf(std::string& perf) {
  const char* hone_perf = std::getenv(hone::support::k_env_perf);
  const std::optional<std::string> found = find_perf(hone_perf, std::getenv("PATH"));
  if (!found) {
    std::fprintf(stderr, "hone: error: %s\n", perf_missing_message(hone_perf).c_str());
    return 2;
  }
  std::string version;
  if (const ExitStatus status = run_captured({*found, "--version"}, version); !status.ok()) {
    std::fprintf(stderr, "hone: error: %s does not run (%s):\n%s", found->c_str(), describe(status).c_str(),
                 version.c_str());
    std::fprintf(stderr, "hone: error: on Debian and Ubuntu, perf must match the running kernel: install "
                         "linux-perf (Debian) or linux-tools-$(uname -r) (Ubuntu)\n");
    return 2;
  }
  perf = *found;
  return -1;
}

// The event to sample, as the kernel lets this user sample it (":u" when only user space is allowed).
// Returns -1 on success, else the exit code.
int sampling_event(const Options& options, const std::string& perf, std::string& event) {
  const ParanoidVerdict verdict = judge_paranoid(read_paranoid(), has_perf_privilege());
  if (!verdict.allowed) {
    std::fprintf(stderr, "hone: error: %s\n", verdict.message.c_str());
    return 2;
  }
  const std::string modifier = verdict.user_space_only ? ":u" : "";
  event = options.event;
  if (event == "auto") {
    event = hardware_cycles_available(perf, modifier) ? "cycles" : "cpu-clock";
  }
  if (event.find(':') == std::string::npos) event += modifier;
  if (!verdict.message.empty()) std::fprintf(stderr, "hone: note: %s\n", verdict.message.c_str());
  return -1;
}

// Runs the user's command under perf record into `data` (a file in `temporary` unless --data names
// one). Returns -1 on success, else the exit code.
int record_command(const Options& options, const std::string& perf, const hone::support::TemporaryDirectory& temporary,
                   std::string& data, Recording& recording) {
  if (resolve_executable(options.command[0], std::getenv("PATH")).empty()) {
    std::fprintf(stderr, "hone: error: command not found: %s\n", options.command[0].c_str());
    return 2;
  }
  std::string event;
  if (const int code = sampling_event(options, perf, event); code >= 0) return code;
  data = options.data;
  if (data.empty()) {
    if (!temporary.ok()) {
      std::fprintf(stderr, "hone: error: %s\n", temporary.error().c_str());
      return 2;
    }
    data = temporary.path() + "/perf.data";
  }
  std::vector<std::string> record = {perf, "record", "-q", "-e", event, "-F", std::to_string(options.frequency),
                                     "-o", data};
  if (options.call_graph != "none") {
    record.push_back("--call-graph");
    record.push_back(options.call_graph);
  }
  record.push_back("--");
  record.insert(record.end(), options.command.begin(), options.command.end());
  const ExitStatus status = run_foreground(record);
  if (!status.started) {
    std::fprintf(stderr, "hone: error: %s\n", status.error.c_str());
    return 2;
  }
  if (!file_has_data(data)) {
    std::fprintf(stderr, "hone: error: perf record failed (%s) and wrote no data; its message is above\n",
                 describe(status).c_str());
    return 1;
  }
  if (!status.ok()) {
    recording.command_failed = true;
    recording.command_status = describe(status);
  }
  recording.sampling_note = std::to_string(options.frequency) + " Hz";
  if (recording.description.empty()) recording.description = join(options.command);
  return -1;
}

// Folds what perf script prints for `data`. Returns -1 on success, else the exit code.
int fold_perf_data(const Options& options, const std::string& perf, const std::string& data, Recording& recording) {
  std::string fold_error;
  std::string script_errors;
  const ExitStatus script = run_streaming(
      {perf, "script", "-i", data, "-F", "comm,pid,tid,period,event,ip,sym,dso"},
      [&](std::istream& in) {
        if (!fold_perf_script(in, recording.profile, fold_error) && fold_error.empty())
          fold_error = "unreadable output";
      },
      script_errors);
  if (!script.ok() || !fold_error.empty()) {
    std::fprintf(stderr, "hone: error: perf script could not read %s (%s)%s%s\n%s", data.c_str(),
                 script.ok() ? "bad output" : describe(script).c_str(), fold_error.empty() ? "" : ": ",
                 fold_error.c_str(), script_errors.c_str());
    return options.input.empty() ? 1 : 2;
  }
  return -1;
}

// Records the command (or takes --input) and folds the recording. Returns -1 on success, else the exit
// code.
int record_with_perf(const Options& options, Recording& recording) {
  std::string perf;
  if (const int code = find_working_perf(perf); code >= 0) return code;
  // Holds perf.data until it is folded; removed with everything in it (never following a link).
  hone::support::TemporaryDirectory temporary("hone-profile");
  std::string data = options.input;
  if (!options.command.empty()) {
    if (const int code = record_command(options, perf, temporary, data, recording); code >= 0) return code;
  } else if (!file_has_data(data)) {
    std::fprintf(stderr, "hone: error: cannot read %s: no such file, or it is empty\n", data.c_str());
    return 2;
  } else if (recording.description.empty()) {
    recording.description = data;
  }
  return fold_perf_data(options, perf, data, recording);
}

// Writes the flame graph (and the folded stacks) and prints the summary.
int render(const Options& options, const Recording& recording) {
  const FoldedProfile& profile = recording.profile;
  if (profile.samples == 0) {
    std::fprintf(stderr,
                 "hone: error: no samples were recorded%s: the command finished before the first sample "
                 "(1/%ld s of CPU time), or spent its time waiting rather than running; profile a longer run or "
                 "raise --frequency\n",
                 recording.command_failed ? (" (the command failed: " + recording.command_status + ")").c_str() : "",
                 options.frequency);
    return 1;
  }
  const std::string event = profile.events.empty() ? "samples" : profile.events.front();
  const bool time_weights = profile.events.size() == 1 && event_counts_time(event);
  FlameGraphOptions graph;
  graph.title = "hone profile: " + recording.description;
  graph.subtitle = std::to_string(profile.samples) + " samples of " + event +
                   (recording.sampling_note.empty() ? std::string() : " at " + recording.sampling_note);
  if (time_weights) {
    char cpu[64];
    std::snprintf(cpu, sizeof cpu, ", %.2f s of CPU time", static_cast<double>(profile.total_weight) / 1e9);
    graph.subtitle += cpu;
  }
  graph.weight_unit = time_weights ? "ns" : "";
  if (!write_file(options.output, render_flame_graph(profile, graph))) return 2;
  if (!options.folded.empty() && !write_file(options.folded, folded_text(profile))) return 2;

  // The summary goes to stderr by default: the profiled command shares hone's stdout, and a report
  // mixed into its output would corrupt whatever reads that output.
  std::string report = "hone profile: " + graph.subtitle + "\n";
  SummaryOptions summary;
  summary.top = static_cast<std::size_t>(options.top);
  summary.weight_is_ns = time_weights;
  report += format_summary(profile, summary);
  report += "\nFlame graph: " + options.output +
            " (open it in a browser: hover for details, click to zoom, Ctrl-F to search)\n";
  if (!options.folded.empty()) report += "Folded stacks: " + options.folded + "\n";
  if (options.report.empty() || options.report == "-") {
    std::FILE* stream = options.report.empty() ? stderr : stdout;
    std::fputs(report.c_str(), stream);
    std::fflush(stream);
  } else if (!write_file(options.report, report)) {
    return 2;
  } else {
    std::fprintf(stderr, "hone profile: report in %s, flame graph in %s\n", options.report.c_str(),
                 options.output.c_str());
  }
  if (recording.command_failed) {
    std::fprintf(stderr, "hone: warning: the command failed (%s); the profile covers its run up to that point\n",
                 recording.command_status.c_str());
    return 1;
  }
  return 0;
}

int run(const Options& options) {
  Recording recording;
  recording.description = options.title;
  const int code =
      options.perf_script.empty() ? record_with_perf(options, recording) : fold_script_file(options, recording);
  if (code >= 0) return code;
  return render(options, recording);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const int code = parse_options(argc, argv, options); code >= 0) return code;
  return run(options);
}
