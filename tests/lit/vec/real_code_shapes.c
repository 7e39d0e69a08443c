// REQUIRES: analyzers
// Shapes of loops in real C code (first seen in mawk's top findings with a profile): a search that only
// steps a cursor gets the library-search hint, whatever LLVM's category; a list walk through a trailing
// pointer (q = p; p = q->next) and a loop that frees through the project's own allocator (zfree) are
// never vectorizable and shown only with --all.
// RUN: %hone vec %s -- -O2 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %hone vec --all %s -- -O2 | FileCheck %s --check-prefix=ALL
#include <stddef.h>

// CHECK: real_code_shapes.c:[[@LINE+3]]:3: warning: loop not vectorized: unknown trip count in 'skip_spaces' [hone-vec-trip-count]
// CHECK: real_code_shapes.c:[[@LINE+2]]:3: note: hint: a search: the loop only steps until an element fails its test
const char *skip_spaces(const char *s) {
  while (*s == ' ') s++;
  return s;
}

// CHECK: real_code_shapes.c:[[@LINE+2]]:3: note: hint: a search: the loop only steps until an element fails its test
const char *skip_flags(const char *q) {
  while (*q == '-' || *q == '+' || *q == ' ' || *q == '#' || *q == '0')
    q++;
  return q;
}

struct node { int key; struct node *next; };
// CHECK-NOT: warning: {{.*}}'unlink_key'
// ALL: real_code_shapes.c:[[@LINE+5]]:3: note: hint: never vectorizable: the loop walks a linked structure ('p = q->next')
void unlink_key(struct node *head, int key) {
  struct node dummy, *q = &dummy, *p;
  dummy.next = head;
  p = head;
  while (p) {
    if (p->key == key) q->next = p->next;
    else q = p;
    p = q->next;
  }
}

void zfree(void *p, size_t size);
struct cell { int type; void *ptr; };
// CHECK-NOT: warning: {{.*}}'destroy_cells'
// ALL: real_code_shapes.c:[[@LINE+2]]:3: note: hint: never vectorizable: the loop calls 'zfree'
void destroy_cells(struct cell *cells, int n) {
  for (int i = 0; i < n; i++)
    if (cells[i].type == 2) zfree(cells[i].ptr, 16);
}


// FNV-1: a serial chain of two different updates of h, never vectorizable.
// CHECK-NOT: warning: {{.*}}'fnv1'
// ALL: real_code_shapes.c:[[@LINE+3]]:3: note: hint: never vectorizable: the loop updates 'h' from itself by two different operations
unsigned fnv1(const unsigned char *s, unsigned long len) {
  unsigned h = 2166136261u;
  while (len-- != 0) {
    h ^= *s++;
    h *= 16777619u;
  }
  return h;
}
// CHECK: hone vec: 5 loops in 1 translation unit
