// A program of an outside project: one profiling zone, an AllocScope around a loop that allocates,
// and the runtime's version. Prints what it measured; the lit test checks it.
#include <hone/alloc_tracking.h>
#include <hone/profiling.h>
#include <hone/version.h>

#include <cstdio>
#include <string>
#include <vector>

static std::size_t build_strings() {
  HONE_FUNCTION_ZONE();
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i) lines.push_back(std::string(64, 'x'));
  return lines.size();
}

int main() {
  std::printf("runtime %s\n", hone::runtime_version());
  hone::AllocScope scope;
  const std::size_t built = build_strings();
  const hone::AllocStats stats = scope.stats();
  std::printf("built %zu strings, tracking %s, %llu allocations in scope\n", built, hone::alloc_tracking_kind(),
              static_cast<unsigned long long>(stats.allocations));
  for (const auto& zone : hone::profiling::snapshot()) {
    std::printf("zone %s count %llu\n", zone.name.c_str(), static_cast<unsigned long long>(zone.count));
  }
  return 0;
}
