// A long-running program for stream.test: three worker threads (one named) run zones, a counter and
// an occasional message until the process is killed. The main thread waits until the file named by
// argv[2] exists (the streamed trace's second rotated file), then creates argv[1], the "ready"
// signal for run_until_signal.py, and waits to be stopped.
#include <hone/profiling.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

std::atomic<unsigned> g_sink{0};

void handle_request(int worker, int request) {
  HONE_ZONE("handle request");
  {
    HONE_ZONE("decode");
    for (int i = 0; i < 200 + worker; ++i) g_sink.fetch_add(1, std::memory_order_relaxed);
  }
  HONE_COUNTER("requests", request);
  if (request % 1000 == 0) hone::profiling::message("worker " + std::to_string(worker) + " at " + std::to_string(request));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([w] {
      if (w == 0) hone::profiling::set_thread_name("acceptor");
      for (int request = 0;; ++request) {
        handle_request(w, request);
        if (request % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    });
  }
  while (::access(argv[2], F_OK) != 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (std::FILE* ready = std::fopen(argv[1], "w"); ready != nullptr) std::fclose(ready);
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}
