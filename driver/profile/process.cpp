// Child processes for `hone profile` (see process.h), started through support/process: captured
// output goes to a memory file, so a chatty child never blocks on a full pipe; perf script's stdout is
// a pipe read while it runs.
#include "driver/profile/process.h"

namespace hone::profile {
namespace {

ExitStatus run_spec(const support::ProcessSpec& spec) {
  ExitStatus status;
  static_cast<support::Outcome&>(status) = support::run(spec);
  if (!status.started) status.error = "cannot run " + spec.argv.front() + ": " + status.start_error;
  return status;
}

support::ProcessSpec spec_of(const std::vector<std::string>& argv) {
  support::ProcessSpec spec;
  spec.argv = argv;
  return spec;
}

}  // namespace

ExitStatus run_captured(const std::vector<std::string>& argv, std::string& output) {
  support::ProcessSpec spec = spec_of(argv);
  spec.stdin_from_null = true;
  spec.stdout_sink = support::Sink::capture;
  spec.stderr_sink = support::Sink::into_stdout;
  ExitStatus status = run_spec(spec);
  output = std::move(status.stdout_text);
  return status;
}

ExitStatus run_foreground(const std::vector<std::string>& argv) {
  support::ProcessSpec spec = spec_of(argv);
  spec.ignore_interrupts = true;
  return run_spec(spec);
}

ExitStatus run_streaming(const std::vector<std::string>& argv, const std::function<void(std::istream&)>& consume,
                         std::string& error_output) {
  support::ProcessSpec spec = spec_of(argv);
  spec.stdin_from_null = true;
  spec.stdout_sink = support::Sink::stream;
  spec.on_stdout = consume;
  spec.stderr_sink = support::Sink::capture;
  ExitStatus status = run_spec(spec);
  error_output = std::move(status.stderr_text);
  return status;
}

std::string describe(const ExitStatus& status) {
  return status.started ? support::describe_outcome(status) : status.error;
}

}  // namespace hone::profile
