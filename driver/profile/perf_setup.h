// Everything `hone profile` checks before it runs perf: where perf is, whether it runs at all, whether
// the kernel lets this user sample (perf_event_paranoid), and which event to sample.
//
// Each check returns a verdict with the message to print, so the messages (what is wrong, what to
// do) are decided in one place and unit-tested without changing the machine's settings.
#pragma once

#include <optional>
#include <string>

namespace hone::profile {

// HONE_PERF if set, else the first executable "perf" on PATH; nullopt if there is none.
std::optional<std::string> find_perf(const char* hone_perf, const char* path);

// What to tell the user when perf is not installed (exit 2).
std::string perf_missing_message(const char* hone_perf);

struct ParanoidVerdict {
  bool allowed = false;
  bool user_space_only = false;  // sample with ":u" (exclude the kernel)
  std::string message;           // why not, and what to run; or a note about user-space-only
};

// `paranoid` is /proc/sys/kernel/perf_event_paranoid (nullopt when the file is missing: a kernel
// without perf events); `privileged` is root or CAP_PERFMON / CAP_SYS_ADMIN.
ParanoidVerdict judge_paranoid(std::optional<int> paranoid, bool privileged);

// Reads /proc/sys/kernel/perf_event_paranoid.
std::optional<int> read_paranoid();

// Root, or CAP_PERFMON (38) or CAP_SYS_ADMIN (21) in this process's effective capabilities.
bool has_perf_privilege();

// True when `perf stat -e cycles` counts on this machine (hardware counters are exposed; virtual
// machines often have none). `modifier` is "" or ":u".
bool hardware_cycles_available(const std::string& perf, const std::string& modifier);

}  // namespace hone::profile
