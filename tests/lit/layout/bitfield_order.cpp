// Records with bit-fields get an order too: each storage unit of bit-fields (named or unnamed) moves
// whole, every field is placed by the ABI's bit-field rule, and the size claimed is the size the
// compiler gives the fixed record. --fix moves unnamed bit-fields like fields; the program prints the
// same. glibc's struct timex: its eleven reserved `int :32;` are shown as declarations (not as 44 bytes
// of tail padding), and the order found reaches 200 bytes (all its bits packed: nothing smaller exists).
// REQUIRES: analyzers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/bits.cpp
// RUN: %clangxx -std=c++20 %t/bits.cpp -o %t/before && %t/before > %t/before.txt
// RUN: %hone layout --fix %t/bits.cpp -- -std=c++20 | FileCheck %s
// RUN: %clangxx -std=c++20 -DFIXED %t/bits.cpp -o %t/after && %t/after > %t/after.txt
// RUN: diff %t/before.txt %t/after.txt
// RUN: printf '#include <sys/timex.h>\nstruct timex t;\n' > %t/timex.c
// RUN: %hone layout --system-headers --header-filter 'timex' %t/timex.c -- | FileCheck %s --check-prefix=TIMEX
// CHECK: bits.cpp:[[@LINE+2]]:8: warning: struct 'Flags' (40 bytes, 1 cache line) has {{.*}}; the order tag, kind, ready, mode, level, id, value saves 16 bytes (40 -> 24, cache lines 1 -> 1) [hone-padding]
// CHECK: note: --fix: reordered the fields of 'Flags' (40 -> 24 bytes)
struct Flags {
  char tag = 't';
  long id = 42;
  unsigned ready : 1 = 1;
  unsigned mode : 3 = 5;
  int : 28;
  char kind = 'k';
  double value = 2.5;
  unsigned short level : 4 = 9;
};
#ifdef FIXED
static_assert(sizeof(Flags) == 24);
#endif
// TIMEX: struct 'timex' (208 bytes, 4 cache lines) has 56 bytes of padding; the order time, offset, {{.*}} saves 8 bytes (208 -> 200, cache lines 4 -> 4)
// TIMEX:      int tai; /* 160 4 */
// TIMEX-NEXT: int :32; /* 164:0 4 */
// TIMEX-NOT:  tail padding: 44 bytes
// TIMEX:      /* size: 208, align: 8, padding: 56 bytes (44 in unnamed bit-fields), cachelines: 4 */
// TIMEX:      suggested order (minimum size):
// TIMEX:      /* size: 200, align: 8, padding: 48 bytes (44 in unnamed bit-fields), cachelines: 4 */
#include <cstdio>
int main() {
  Flags flags;
  std::printf("%c %ld %u %u %c %g %u\n", flags.tag, flags.id, flags.ready, flags.mode, flags.kind, flags.value,
              flags.level);
}
