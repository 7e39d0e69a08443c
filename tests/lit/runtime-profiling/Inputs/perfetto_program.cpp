// A small program for perfetto.test: nested zones with a value on the main thread, a named worker
// thread, a counter that goes negative, a frame mark and a message, so that every kind of event the
// Perfetto writer knows appears once or more in the trace.
#include <hone/profiling.h>

#include <chrono>
#include <thread>

int main() {
  hone::profiling::set_thread_name("main loop");
  for (int i = 0; i < 2; ++i) {
    HONE_ZONE("frame work");
    HONE_ZONE_VALUE(7);
    {
      HONE_ZONE("draw");
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    HONE_COUNTER("queue depth", i == 0 ? 3 : -2);
    HONE_FRAME_MARK("frame");
  }
  std::thread([] {
    hone::profiling::set_thread_name("loader");
    HONE_ZONE("load");
    hone::profiling::message("loaded 3 files");
  }).join();
  return 0;
}
