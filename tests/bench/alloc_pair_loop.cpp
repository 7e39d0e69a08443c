// The loop measured by alloc_instructions.py: `alloc_pair_loop <iterations>` makes that many
// operator new(32) / sized operator delete pairs. Built twice, like alloc_bench: alloc_pair_loop
// (the C++ runtime's own operator new/delete, the baseline) and alloc_pair_loop_tracked (linked with
// hone::alloc_tracking), so callgrind's instruction counts of the two give the exact cost tracking
// adds to one allocation + free, free of the timing noise of a shared machine.
#include <cstdio>
#include <cstdlib>
#include <new>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: alloc_pair_loop <iterations>\n");
    return 2;
  }
  const long iterations = std::atol(argv[1]);
  for (long i = 0; i < iterations; ++i) {
    void* block = ::operator new(32);
    asm volatile("" : : "r"(block) : "memory");  // the pair must really happen
    ::operator delete(block, 32);
  }
  return 0;
}
