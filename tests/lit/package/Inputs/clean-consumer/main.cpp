// A program of a user's project: one profiling zone around some work, and the runtime's version.
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
  std::printf("built %zu strings\n", build_strings());
  for (const auto& zone : hone::profiling::snapshot()) {
    std::printf("zone %s count %llu\n", zone.name.c_str(), static_cast<unsigned long long>(zone.count));
  }
  return 0;
}
