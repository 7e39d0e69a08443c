// The one error path of hone-pgo: a stage that cannot go on throws PgoError with a message that says
// what went wrong and what to do; hone-pgo's main catches it once, prints `hone: error: <message>` and
// exits with its code (1 = the job failed, 2 = bad usage or bad input). Nothing below main prints
// errors itself, so every failure reads the same way.
#pragma once

#include <stdexcept>
#include <string>

#include "support/contracts.h"

namespace hone::pgo {

// The exit codes hone-pgo shares with the other executables (support/contracts.h).
constexpr int k_exit_job_failed = support::k_exit_failed;
constexpr int k_exit_bad_input = support::k_exit_usage;

class PgoError : public std::runtime_error {
public:
  PgoError(int exit_code, const std::string& message) : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

private:
  int exit_code_;
};

// A problem with hone.yaml, the command line or an input file (exit 2).
[[noreturn]] inline void fail_input(const std::string& message) {
  throw PgoError(k_exit_bad_input, message);
}
// A stage that ran and failed: a build, a workload, a tool (exit 1).
[[noreturn]] inline void fail_job(const std::string& message) {
  throw PgoError(k_exit_job_failed, message);
}

}  // namespace hone::pgo
