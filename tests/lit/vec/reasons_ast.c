// REQUIRES: analyzers
// Reasons from hone's own reading of the source where LLVM's words mislead: LLVM files an array
// recurrence, a float running max and a conditional float sum all as "value ... used outside the
// loop"; hone files them as a dependence (with its distance), an FP min/max reduction and an FP
// reduction, each with the flags that really vectorize it. A proved dependence and one LLVM could not
// rule out get different hints. "Cannot identify array bounds" on global arrays gets no '__restrict'
// advice. An outer loop whose inner loop became memset is "loop-idiom", not "call". Loops with I/O or
// a list walk are never vectorizable and shown only with --all.
// RUN: %hone vec --try-fixes %s -- -O2 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %hone vec --all %s -- -O2 | FileCheck %s --check-prefix=ALL
// The compiler's quoted text names the conflicting access with an absolute path, also when the file
// is given relative to another folder (clang writes it relative to a folder the user is not told).
// RUN: cd %S/.. && %hone vec vec/reasons_ast.c -- -O2 | FileCheck %s --check-prefix=ABS
// ABS: note: compiler: loop not vectorized: unsafe dependent memory operations in loop.{{.*}} Memory location is the same as accessed at /{{.*}}reasons_ast.c:{{[0-9]+}}:12
#include <stdio.h>

float A[1000], B[1000];
// CHECK: reasons_ast.c:[[@LINE+3]]:3: warning: loop not vectorized: loop-carried memory dependence in 'recurrence' [hone-vec-dependence]
// CHECK: reasons_ast.c:[[@LINE+2]]:3: note: hint: proved dependent (distance 1): 'A[i - 1]' reads what 'A[i]' stored 1 iteration earlier, a true recurrence
void recurrence(int n) {
  for (int i = 1; i < n; i++)
    A[i] = A[i - 1] + B[i];
}

// A recurrence through a pointer parameter: LLVM proves it ("Backward loop carried data dependence"),
// so no '__restrict' fix is offered.
// CHECK: reasons_ast.c:[[@LINE+4]]:3: warning: loop not vectorized: loop-carried memory dependence in 'decay'
// CHECK: reasons_ast.c:[[@LINE+3]]:3: note: hint: proved dependent (distance 1): 'a[i - 1]' reads what 'a[i]' stored 1 iteration earlier
// CHECK-NEXT: reasons_ast.c:[[@LINE+2]]:3: note: no automatic fix to verify for this reason
void decay(float *a, const float *b, int n) {
  for (int i = 1; i < n; i++)
    a[i] = a[i - 1] * 0.5f + b[i];
}

// LLVM could not rule a dependence in or out ("Unknown data dependence"): told apart from a proved one.
// CHECK: reasons_ast.c:[[@LINE+3]]:3: warning: loop not vectorized: loop-carried memory dependence in 'spread'
// CHECK: reasons_ast.c:[[@LINE+2]]:3: note: hint: could not prove independence: the accesses (the conflicting access is at line [[@LINE+3]]) may touch the same memory
void spread(float *a, int n) {
  for (int i = 0; i < n; i++)
    a[2 * i] = a[i] + 1;
}

// CHECK: reasons_ast.c:[[@LINE+4]]:3: warning: loop not vectorized: floating-point min/max reduction needs -ffinite-math-only -fno-signed-zeros in 'largest' [hone-vec-fp-min-max]
// CHECK: reasons_ast.c:[[@LINE+3]]:3: note: verified: with -ffinite-math-only -fno-signed-zeros the loop vectorizes (width 4, interleave 2); on hone's generated input (arrays of 4096 values between 1 and 2.7) the results were identical (4353 values compared); correct only if no value is a NaN or an infinity
float largest(const float *a, int n) {
  float m = a[0];
  for (int i = 0; i < n; i++)
    if (a[i] > m)
      m = a[i];
  return m;
}

// CHECK: reasons_ast.c:[[@LINE+3]]:3: warning: loop not vectorized: floating-point min/max reduction needs -ffinite-math-only -fno-signed-zeros in 'smallest'
float smallest(const float *a, int n) {
  float m = a[0];
  for (int i = 0; i < n; i++)
    m = a[i] < m ? a[i] : m;
  return m;
}

// CHECK: reasons_ast.c:[[@LINE+5]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'positive_sum' [hone-vec-fp-reassociation]
// CHECK: reasons_ast.c:[[@LINE+4]]:3: note: hint: 's' is a floating-point sum updated under a condition: clang vectorizes it only with -ffast-math
// CHECK: reasons_ast.c:[[@LINE+3]]:3: note: verified: with -ffast-math the loop vectorizes (width 4, interleave 2); on hone's generated input (arrays of 4096 values between 1 and 2.7) the results changed by up to {{[0-9]\.[0-9]e-[0-9]+}} relative (the return value, of 4353 values compared); correct only if no value is a NaN or an infinity
float positive_sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    if (a[i] > 0)
      s += a[i];
  return s;
}

int G[1000], IDX[1000];
// CHECK: reasons_ast.c:[[@LINE+4]]:3: warning: loop not vectorized: pointers may alias in 'scatter' [hone-vec-aliasing]
// CHECK: reasons_ast.c:[[@LINE+3]]:3: note: hint: the loop accesses 'G' and 'IDX' at an index the compiler cannot bound
// CHECK-NOT: declare them '__restrict'
void scatter(int n) {
  for (int i = 0; i < n; i++)
    G[IDX[i]] = G[i] + 1;
}

// CHECK: reasons_ast.c:[[@LINE+3]]:3: warning: loop not vectorized: an inner loop became a memcpy/memset call in 'clear_rows' [hone-vec-loop-idiom]
// CHECK: reasons_ast.c:[[@LINE+2]]:3: note: hint: the inner loop at line [[@LINE+3]] was replaced by a call to memcpy or memset
void clear_rows(int *dst, int rows, int cols) {
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++)
      dst[r * cols + c] = 0;
  }
}

struct node {
  int value;
  struct node *next;
};
// ALL: reasons_ast.c:[[@LINE+4]]:3: warning: loop not vectorized: unknown trip count in 'walk'
// ALL: reasons_ast.c:[[@LINE+3]]:3: note: hint: never vectorizable: the loop walks a linked structure ('p = p->next')
int walk(struct node *p) {
  int sum = 0;
  for (; p; p = p->next)
    sum += p->value;
  return sum;
}

// ALL: reasons_ast.c:[[@LINE+2]]:3: note: hint: never vectorizable: the loop calls 'printf', which has no vector form
void print_all(const int *a, int n) {
  for (int i = 0; i < n; i++)
    printf("%d\n", a[i]);
}
// CHECK-NOT: in 'walk'
// CHECK-NOT: in 'print_all'
// CHECK: hone vec: {{.*}} not vectorized ({{.*}}), 2 of them never vectorizable (shown with --all)
