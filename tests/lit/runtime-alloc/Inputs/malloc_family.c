// A plain C program that knows nothing of hone: one call of every allocation function of the C
// library, each with a request size in its own power-of-two class, so the preload library's report
// shows exactly which calls it counted. Two calls that must fail count nothing. It writes with
// write(2), not stdio, whose buffers would be allocations of their own. Exit 1 if the C library's
// answers are wrong (a block smaller than asked, misaligned, or malloc_usable_size disagreeing).
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check(void* block, size_t size, size_t alignment) {
  if (block == NULL || malloc_usable_size(block) < size) return 0;
  if (alignment != 0 && (uintptr_t)block % alignment != 0) return 0;
  memset(block, 0xab, size);
  return 1;
}

int main(void) {
  int ok = 1;
  char* a = malloc(100);                        // [64 B, 128 B)
  ok &= check(a, 100, 0);
  char* b = calloc(10, 30);                     // [256 B, 512 B)
  ok &= b != NULL && b[0] == 0 && b[299] == 0;
  a = realloc(a, 3000);                         // a free and [2 KiB, 4 KiB)
  ok &= check(a, 3000, 0) && (unsigned char)a[99] == 0xab;
  void* c = NULL;
  ok &= posix_memalign(&c, 64, 5000) == 0;      // [4 KiB, 8 KiB)
  ok &= check(c, 5000, 64);
  void* d = aligned_alloc(128, 10240);          // [8 KiB, 16 KiB)
  ok &= check(d, 10240, 128);
  void* e = memalign(256, 20000);               // [16 KiB, 32 KiB)
  ok &= check(e, 20000, 256);
  void* f = valloc(40000);                      // [32 KiB, 64 KiB)
  ok &= check(f, 40000, 4096);
  void* g = pvalloc(70000);                     // [64 KiB, 128 KiB)
  ok &= check(g, 70000, 4096);
  void* h = reallocarray(NULL, 1000, 150);      // [128 KiB, 256 KiB)
  ok &= check(h, 150000, 0);
  // Failures: nothing allocated, nothing counted.
  void* never = NULL;
  ok &= posix_memalign(&never, 3, 10) == EINVAL && never == NULL;
  ok &= calloc(SIZE_MAX / 2, 4) == NULL;
  ok &= reallocarray(NULL, SIZE_MAX / 2, 4) == NULL;
  free(a);
  free(b);
  free(c);
  free(d);
  free(e);
  free(f);
  free(g);
  free(h);
  free(NULL);  // not a free
  const char* verdict = ok ? "malloc family ok\n" : "malloc family WRONG\n";
  if (write(1, verdict, strlen(verdict)) < 0) return 2;
  return ok ? 0 : 1;
}
