// A small program instrumented with profiling zones, linked against the built libhone_runtime by the
// tests in this folder: a function zone around nested zones, a zone entered from three threads and a
// zone entered only while recording is switched off. Prints the JSON report to stdout when given
// "--json"; the text table comes from HONE_PROFILE=1 at exit.
#include <hone/profiling.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

static void parse_line() {
  HONE_FUNCTION_ZONE();
  for (int i = 0; i < 10; ++i) {
    HONE_ZONE("tokenize");
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

int main(int argc, char** argv) {
  for (int i = 0; i < 20; ++i) parse_line();
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t) {
    workers.emplace_back([] {
      for (int i = 0; i < 1000; ++i) {
        HONE_ZONE("worker step");
      }
    });
  }
  for (auto& worker : workers) worker.join();
  hone::profiling::set_enabled(false);
  {
    HONE_ZONE("never recorded");
  }
  hone::profiling::set_enabled(true);
  if (argc > 1 && std::strcmp(argv[1], "--json") == 0) std::fputs(hone::profiling::report_json().c_str(), stdout);
  return 0;
}
