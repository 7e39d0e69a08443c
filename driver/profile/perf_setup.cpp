// Checks before profiling (see perf_setup.h).
//
// perf_event_paranoid levels (Documentation/admin-guide/sysctl/kernel.rst; Debian adds level 3):
//   -1 everything allowed; 0 no raw tracepoints for users; 1 user and kernel profiling of one's own
//   processes; 2 user-space profiling only (the upstream default); 3 (Debian, Ubuntu, Android) no
//   perf events at all for users without CAP_PERFMON. hone samples the kernel too when it may (a
//   program stuck in system calls shows where), else adds ":u" to the event.
#include "driver/profile/perf_setup.h"

#include "driver/profile/process.h"

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace hone::profile {

std::optional<std::string> find_perf(const char* hone_perf, const char* path) {
  if (hone_perf != nullptr && hone_perf[0] != '\0') {
    std::string resolved = resolve_executable(hone_perf, path);
    if (resolved.empty()) return std::nullopt;
    return resolved;
  }
  std::string resolved = resolve_executable("perf", path);
  if (resolved.empty()) return std::nullopt;
  return resolved;
}

std::string perf_missing_message(const char* hone_perf) {
  if (hone_perf != nullptr && hone_perf[0] != '\0') {
    return std::string("HONE_PERF is set to '") + hone_perf +
           "', which is not an executable; point it at the perf binary or unset it to use 'perf' from PATH";
  }
  return "Linux perf is not installed (no 'perf' on PATH). Install it: 'sudo apt-get install linux-perf' "
         "(Debian), 'sudo apt-get install linux-tools-common linux-tools-$(uname -r)' (Ubuntu), "
         "'sudo dnf install perf' (Fedora); or set HONE_PERF to a perf binary";
}

ParanoidVerdict judge_paranoid(std::optional<int> paranoid, bool privileged) {
  ParanoidVerdict verdict;
  if (!paranoid) {
    verdict.message =
        "this kernel has no perf events (/proc/sys/kernel/perf_event_paranoid does not exist): it was built "
        "without CONFIG_PERF_EVENTS, or /proc is not mounted; inside a container, run it with perf events "
        "allowed (e.g. docker --cap-add PERFMON or a seccomp profile that permits perf_event_open)";
    return verdict;
  }
  if (privileged || *paranoid <= 1) {
    verdict.allowed = true;
    return verdict;
  }
  if (*paranoid == 2) {
    verdict.allowed = true;
    verdict.user_space_only = true;
    verdict.message = "perf_event_paranoid is 2: sampling user space only (kernel time shows as gaps); "
                      "'sudo sysctl kernel.perf_event_paranoid=1' includes the kernel";
    return verdict;
  }
  verdict.message = "perf_event_paranoid is " + std::to_string(*paranoid) +
                    ", which forbids profiling for users without CAP_PERFMON. Allow it with "
                    "'sudo sysctl kernel.perf_event_paranoid=1' (user space and kernel) or =2 (user space only); "
                    "to keep it after a reboot, put 'kernel.perf_event_paranoid = 1' in "
                    "/etc/sysctl.d/99-perf.conf. Or run hone profile as root";
  return verdict;
}

std::optional<int> read_paranoid() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  int value = 0;
  if (!(in >> value)) return std::nullopt;
  return value;
}

bool has_perf_privilege() {
  if (geteuid() == 0) return true;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    unsigned long long capabilities = 0;
    std::istringstream(line.substr(7)) >> std::hex >> capabilities;
    constexpr unsigned long long k_cap_sys_admin = 1ull << 21;
    constexpr unsigned long long k_cap_perfmon = 1ull << 38;
    return (capabilities & (k_cap_sys_admin | k_cap_perfmon)) != 0;
  }
  return false;
}

bool hardware_cycles_available(const std::string& perf, const std::string& modifier) {
  std::string output;
  const ExitStatus status = run_captured({perf, "stat", "-x,", "-e", "cycles" + modifier, "true"}, output);
  if (!status.ok()) return false;
  // perf stat -x, prints "<count>,,cycles,..." or "<not supported>,,cycles,..." / "<not counted>".
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.find(",cycles") == std::string::npos) continue;
    return !line.empty() && line[0] >= '0' && line[0] <= '9';
  }
  return false;
}

}  // namespace hone::profile
