// REQUIRES: analyzers
// --try-fixes recompiles a scratch copy with each hinted change and reports whether that loop then
// vectorizes: verified for an FP reduction (loop pragma) and a libm call (-fno-math-errno); for possible
// aliasing, __restrict on the named parameters vectorizes the loop but stays "unchecked" (no caller
// in the file to check it against, see restrict_call_sites.c); no fix at all for a proved recurrence
// (a[i] reads a[i - 1]), where __restrict cannot help; NOT verified for the gather on plain x86-64 (SSE2 has no gather instruction,
// so even without aliasing the cost model says no). The user's file is never written.
// RUN: cp %s %t.c && cp %s %t.orig.c
// RUN: %hone vec --try-fixes %t.c -- -O2 -mavx2 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: cmp %t.c %t.orig.c
// RUN: %hone vec --try-fixes --category aliasing %t.c -- -O2 -march=x86-64 | FileCheck %s --check-prefix=SSE2
// SSE2: .c:[[@LINE+17]]:3: note: not verified: with '__restrict' on 'a', 'b' and 'index' in the definition of 'gather' the loop is still not vectorized: the cost-model indicates that vectorization is not beneficial
// The JSON carries every attempt with its result.
// RUN: %hone vec --try-fixes --format json %t.c -- -O2 -mavx2 | FileCheck %s --check-prefix=JSON
#include <math.h>

// CHECK: .c:[[@LINE+4]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'sum' [hone-vec-fp-reassociation]
// CHECK: .c:[[@LINE+3]]:3: note: verified: with '#pragma clang loop vectorize(enable)' before the loop the loop vectorizes (width 8, interleave 4)
float sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

// CHECK: .c:[[@LINE+3]]:3: warning: loop not vectorized: pointers may alias in 'gather' [hone-vec-aliasing]
// CHECK: .c:[[@LINE+2]]:3: note: unchecked: called from outside the database: no call of 'gather' is in the analysed files: with '__restrict' on 'a', 'b' and 'index' in the definition of 'gather' the loop vectorizes (width 8, interleave 1)
void gather(float *a, const float *b, const int *index, int n) {
  for (int i = 0; i < n; i++)
    a[i] = b[index[i]];
}

// CHECK: .c:[[@LINE+3]]:3: warning: loop not vectorized: call that cannot be vectorized in 'roots' [hone-vec-call]
// CHECK: .c:[[@LINE+2]]:3: note: verified: with -fno-math-errno the loop vectorizes (width 4, interleave 1)
void roots(double *a, int n) {
  for (int i = 0; i < n; i++)
    a[i] = sqrt(a[i]);
}

// CHECK: .c:[[@LINE+3]]:3: warning: loop not vectorized: loop-carried memory dependence in 'prefix' [hone-vec-dependence]
// CHECK: .c:[[@LINE+2]]:3: note: no automatic fix to verify for this reason
void prefix(float *a, const float *b, int n) {
  for (int i = 1; i < n; i++)
    a[i] = a[i - 1] + b[i];
}

// No automatic fix for an unknown trip count: said so, nothing claimed.
// CHECK: .c:[[@LINE+4]]:3: warning: loop not vectorized: unknown trip count in 'length' [hone-vec-trip-count]
// CHECK: .c:[[@LINE+3]]:3: note: no automatic fix to verify for this reason
int length(const int *a) {
  int i = 0;
  while (a[i] != 0)
    i++;
  return i;
}
// CHECK: hone vec: 5 loops in 1 translation unit: 0 vectorized, 5 not vectorized (1 fp-reassociation, 1 aliasing, 1 trip-count, 1 call, 1 dependence), 0 outer, 0 without a verdict

// JSON: "change": "'#pragma clang loop vectorize(enable)' before the loop"
// JSON: "verified": true
// JSON: "width": 8
