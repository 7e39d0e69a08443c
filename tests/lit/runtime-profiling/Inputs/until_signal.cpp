// A long-running program instrumented with profiling zones, for signal.test: three worker threads
// (one named) run zones until the process ends; once each has recorded some, the main thread creates
// the file named by argv[1] (the "ready" signal for run_until_signal.py) and waits to be stopped.
// With "own-handler" it installs its own SIGTERM handler before its first zone, so the profiler
// leaves SIGTERM alone; the program then shuts down cleanly and calls flush_outputs() itself.
#include <hone/profiling.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_ready_workers{0};
volatile std::sig_atomic_t g_terminate = 0;

extern "C" void on_terminate(int) {
  g_terminate = 1;
}

void handle_request(int worker) {
  HONE_ZONE("handle request");
  {
    HONE_ZONE("decode");
    std::this_thread::sleep_for(std::chrono::microseconds(20 + worker));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const bool own_handler = argc > 2 && std::strcmp(argv[2], "own-handler") == 0;
  if (own_handler) std::signal(SIGTERM, on_terminate);
  {
    HONE_ZONE("start up");
  }
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([w] {
      if (w == 0) hone::profiling::set_thread_name("acceptor");
      for (int i = 0; !g_stop.load(); ++i) {
        handle_request(w);
        if (i == 100) ++g_ready_workers;
      }
    });
  }
  while (g_ready_workers.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (std::FILE* ready = std::fopen(argv[1], "w"); ready != nullptr) std::fclose(ready);
  while (g_terminate == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Only reached with our own handler: an orderly shutdown.
  g_stop = true;
  for (auto& worker : workers) worker.join();
  std::puts("orderly shutdown");
  std::fflush(stdout);
  hone::profiling::flush_outputs();
  return 0;
}
