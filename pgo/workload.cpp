// Running workloads: placeholder expansion ({bin}, {bin:NAME}, {source}, {root}, {work}), one run
// with its output captured to files, and the judgement of a run (status, signal, timeout) into an
// error that names the workload and where hone.yaml defines it.
#include <cstdlib>

#include "pgo/context.h"
#include "pgo/error.h"
#include "pgo/hashing.h"

namespace hone::pgo {

namespace fs = std::filesystem;

std::string expand(const std::string& text, const std::map<std::string, std::string>& values,
                   const std::string& location) {
  std::string result;
  size_t position = 0;
  while (position < text.size()) {
    size_t open = text.find('{', position);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    std::string name = text.substr(open + 1, close - open - 1);
    result += text.substr(position, open - position);
    auto found = values.find(name);
    if (found == values.end()) {
      std::string known;
      for (const auto& [key, value] : values) known += " {" + key + "}";
      fail_input(location + ": unknown placeholder '{" + name + "}' in '" + text + "' (known:" + known + ")");
    }
    result += found->second;
    position = close + 1;
  }
  return result + text.substr(position);
}

WorkloadRun run_workload(const Context& context, const Workload& workload,
                         const std::map<std::string, fs::path>& binaries,
                         const std::map<std::string, std::string>& extra_env, const fs::path& output_dir,
                         const std::string& run_label) {
  fs::create_directories(output_dir);
  fs::path scratch = output_dir / (workload.name + "." + run_label + ".work");
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  std::map<std::string, std::string> values = {{"source", context.config.source_dir.string()},
                                               {"root", context.config.root.string()},
                                               {"work", scratch.string()}};
  for (const auto& [name, path] : binaries) values["bin:" + name] = path.string();
  values["bin"] = binaries.at(context.config.binaries.front().name).string();

  ProcessSpec spec;
  for (const std::string& word : workload.command) spec.argv.push_back(expand(word, values, workload.location));
  spec.env = workload.env;
  for (const auto& [name, value] : extra_env) spec.env[name] = value;
  spec.cwd = workload.cwd;
  spec.timeout_seconds = workload.timeout_seconds;
  WorkloadRun run;
  run.stdout_file = output_dir / (workload.name + "." + run_label + ".out");
  run.stderr_file = output_dir / (workload.name + "." + run_label + ".err");
  spec.stdout_file = run.stdout_file;
  spec.stderr_file = run.stderr_file;
  run.result = run_process(spec);
  if (run.result.started) run.stdout_hash = hash_file(run.stdout_file);
  std::error_code error;
  fs::remove_all(scratch, error);
  return run;
}

void check_workload(const Workload& workload, const WorkloadRun& run, const std::string& what) {
  const ProcessResult& result = run.result;
  bool ok = result.started && !result.timed_out && result.signal == 0 && result.exit_code == workload.expected_exit;
  if (ok) return;
  ProcessSpec spec;
  spec.argv = workload.command;
  spec.timeout_seconds = workload.timeout_seconds;
  std::string outcome = describe_outcome(result, spec);
  if (result.started && !result.timed_out && result.signal == 0)
    outcome += " (expected " + std::to_string(workload.expected_exit) + "; set expected_exit if that is normal)";
  std::string stderr_tail = tail_of_file(run.stderr_file, 10);
  fail_job(what + " workload '" + workload.name + "' (" + workload.location + ") " + outcome +
           (stderr_tail.empty() ? "" : "\n  its stderr ended with:\n" + stderr_tail) +
           "  full output: " + run.stdout_file.string() + ", " + run.stderr_file.string());
}

std::string format_seconds(double seconds) {
  char buffer[32];
  if (seconds < 1)
    std::snprintf(buffer, sizeof(buffer), "%.0f ms", seconds * 1000);
  else if (seconds < 100)
    std::snprintf(buffer, sizeof(buffer), "%.1f s", seconds);
  else
    std::snprintf(buffer, sizeof(buffer), "%.0f s", seconds);
  return buffer;
}

}  // namespace hone::pgo
