// REQUIRES: analyzers
// One C loop per reason category: the finding at the loop's first token, the reason in words, the
// compiler's own text, and the hint that names the variables involved.
// RUN: %hone vec %s -- -O2 > %t.out
// RUN: FileCheck %s < %t.out
#include <math.h>

// CHECK: reasons.c:[[@LINE+4]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'sum' [hone-vec-fp-reassociation]
// CHECK-NEXT: reasons.c:[[@LINE+4]]:7: note: compiler: loop not vectorized: cannot prove it is safe to reorder floating-point operations
float sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

// CHECK: reasons.c:[[@LINE+3]]:3: warning: loop not vectorized: pointers may alias in 'gather' [hone-vec-aliasing]
// CHECK: note: hint: the compiler cannot rule out that the pointers overlap: if 'a', 'b' and 'index' never point into the same array, declare them '__restrict' in 'gather'
void gather(float *a, const float *b, const int *index, int n) {
  for (int i = 0; i < n; i++)
    a[i] = b[index[i]];
}

// CHECK: reasons.c:[[@LINE+4]]:3: warning: loop not vectorized: unknown trip count in 'length' [hone-vec-trip-count]
// CHECK-NEXT: note: compiler: loop not vectorized: could not determine number of loop iterations
int length(const int *a) {
  int i = 0;
  while (a[i] != 0)
    i++;
  return i;
}

// CHECK: reasons.c:[[@LINE+5]]:3: warning: loop not vectorized: call that cannot be vectorized in 'notify_all' [hone-vec-call]
// CHECK-NEXT: reasons.c:[[@LINE+5]]:5: note: compiler: loop not vectorized: call instruction cannot be vectorized
// CHECK: note: hint: the call to 'notify' (line [[@LINE+4]]) cannot be vectorized: hoist it out of the loop
extern void notify(int value);
void notify_all(const int *a, int n) {
  for (int i = 0; i < n; i++)
    notify(a[i]);
}

// CHECK: reasons.c:[[@LINE+3]]:3: warning: loop not vectorized: call that cannot be vectorized in 'roots' [hone-vec-call]
// CHECK: note: hint: math library calls may set errno, which keeps them scalar: compile with -fno-math-errno
void roots(double *a, int n) {
  for (int i = 0; i < n; i++)
    a[i] = sqrt(a[i]);
}

// CHECK: reasons.c:[[@LINE+4]]:3: warning: loop not vectorized: control flow in 'classify' [hone-vec-control-flow]
// CHECK-NEXT: note: compiler: loop not vectorized: loop contains a switch statement
// CHECK: note: hint: replace the switch with if/else or a lookup table
void classify(int *a, int n) {
  for (int i = 0; i < n; i++) {
    switch (a[i]) {
      case 0: a[i] = 5; break;
      case 1: a[i] = 7; break;
      case 3: a[i] = 9; break;
      default: a[i] = 2;
    }
  }
}

// CHECK: reasons.c:[[@LINE+5]]:3: warning: loop not vectorized: loop-carried memory dependence in 'prefix' [hone-vec-dependence]
// CHECK-NEXT: reasons.c:[[@LINE+5]]:10: note: compiler: loop not vectorized: unsafe dependent memory operations in loop. {{.*}} Backward loop carried data dependence. Memory location is the same as accessed at {{.*}}reasons.c:[[@LINE+5]]:12
// CHECK-NEXT: reasons.c:[[@LINE+4]]:12: note: the conflicting access
// CHECK: note: hint: proved dependent (distance 1): 'a[i - 1]' reads what 'a[i]' stored 1 iteration earlier, a true recurrence
void prefix(float *a, const float *b, int n) {
  for (int i = 1; i < n; i++)
    a[i] = a[i - 1] + b[i];
}

// CHECK: reasons.c:[[@LINE+4]]:3: warning: loop not vectorized: value used outside the loop in 'last_big' [hone-vec-value-outside-loop]
// CHECK-NEXT: note: compiler: loop not vectorized: value that could not be identified as reduction is used outside the loop
int last_big(const int *a, int n) {
  int last = 0;
  for (int i = 0; i < n; i++)
    if (a[i] > 3)
      last = i * a[i];
  return last;
}

// CHECK: reasons.c:[[@LINE+3]]:3: warning: loop not vectorized: unsupported instruction in 'fill_device' [hone-vec-unsupported-instruction]
// CHECK-NEXT: note: compiler: loop not vectorized: instruction cannot be vectorized
void fill_device(volatile int *registers, int n) {
  for (int i = 0; i < n; i++)
    registers[i] = i;
}

// CHECK: reasons.c:[[@LINE+4]]:3: warning: loop not vectorized: vectorization disabled in 'keep_scalar' [hone-vec-disabled]
// CHECK: note: hint: the loop has '#pragma clang loop vectorize(disable)' or 'vectorize_width(1)'
void keep_scalar(float *a, int n) {
#pragma clang loop vectorize(disable)
  for (int i = 0; i < n; i++)
    a[i] += 1;
}

// CHECK: reasons.c:[[@LINE+5]]:3: warning: loop not vectorized: not profitable in 'alternate' [hone-vec-not-profitable]
// CHECK-NEXT: note: compiler: the cost-model indicates that vectorization is not beneficial
// CHECK: note: heuristic: the loop branches on the induction variable ('i % 2'); splitting it removes the branch
// CHECK: note: heuristic: pointer parameters 'a', 'b' and 'c' are accessed in the loop, one is written, and none is '__restrict': they may alias
void alternate(int *a, const int *b, const int *c, int n) {
  for (int i = 0; i < n; i++) {
    if (i % 2)
      a[i] = b[i] / c[i];
    else
      a[i] = 0;
  }
}

// Vectorized loops are counted, not reported (without --all).
// CHECK-NOT: scale
void scale(float *a, int n) {
  for (int i = 0; i < n; i++)
    a[i] *= 2.0f;
}

// CHECK: hone vec: 12 loops in 1 translation unit: 1 vectorized, 11 not vectorized (1 fp-reassociation, 1 aliasing, 1 trip-count, 2 call, 1 control-flow, 1 dependence, 1 value-outside-loop, 1 unsupported-instruction, 1 disabled, 1 not-profitable), 0 outer, 0 without a verdict
