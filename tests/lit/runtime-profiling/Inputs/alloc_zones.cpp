// A program that allocates a known amount inside profiling zones, for alloc-args.test: on the main
// thread, twice, "request" holds "allocate" (five 100-byte blocks, kept), "compute" (no allocation)
// and "release" (frees the five), and a worker thread's "worker allocate" makes three 1000-byte
// blocks. (The first "request" also holds the profiler's own first-entry allocations, one
// accumulator per zone entered for the first time; the second holds exactly the program's.)
// The blocks come from ::operator new called directly, which the compiler may not elide, and go
// through volatile pointers so nothing is optimized away.
#include <hone/profiling.h>

#include <cstdio>
#include <new>
#include <thread>

namespace {

void* volatile g_blocks[8];

void allocate(int count, std::size_t bytes) {
  for (int i = 0; i < count; ++i) g_blocks[i] = ::operator new(bytes);
}

void release(int count) {
  for (int i = 0; i < count; ++i) ::operator delete(g_blocks[i]);
}

}  // namespace

int main() {
  hone::profiling::set_thread_name("main");
  for (int round = 0; round < 2; ++round) {
    HONE_ZONE("request");
    {
      HONE_ZONE("allocate");
      HONE_ZONE_VALUE(7);
      allocate(5, 100);
    }
    {
      HONE_ZONE("compute");
    }
    {
      HONE_ZONE("release");
      release(5);
    }
  }
  std::thread worker([] {
    hone::profiling::set_thread_name("worker");
    {
      HONE_ZONE("worker allocate");
      allocate(3, 1000);
    }
    release(3);
  });
  worker.join();
  std::puts("done");
  return 0;
}
