// REQUIRES: analyzers
// Copies the optimizer makes of one source loop (at -O3 clang unswitches a loop-invariant `if` out of
// a loop, leaving one copy per branch) are one finding, with an honest merge of their verdicts: a loop
// vectorized in one copy and not in the other says so and gives the other copy's reason, whichever
// order the copies' remarks come in. A copy of an outer loop made without its inner loop (for when the
// inner loop runs no iterations) is not the loop the user wrote: it is not filed as a `call` finding.
// RUN: %hone vec %s -- -O3 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %hone vec --all %s -- -O3 | FileCheck %s --check-prefix=ALL
// RUN: %hone vec --all --format json %s -- -O3 | FileCheck %s --check-prefix=JSON
// RUN: FileCheck %s --check-prefix=SUMMARY < %t.out

// CHECK: unswitched.c:[[@LINE+3]]:3: warning: loop vectorized in 1 of 2 copies, not in the other: loop-carried memory dependence in 'scale' [hone-vec-dependence]
// CHECK: unswitched.c:[[@LINE+2]]:3: note: vectorized in 1 of 2 compiled copies (copies the optimizer made in 'scale' (unswitched or versioned))
void scale(float *a, const float *b, int n, int mode) {
  for (int i = 1; i < n; i++) {
    if (mode)
      a[i] = b[i] * 2.0f;
    else
      a[i] = a[i - 1] + b[i];
  }
}

// The vectorized copy's remark comes first, the scalar copy's (no analysis, only the cost model's
// two "not beneficial" remarks) second.
// CHECK: unswitched.c:[[@LINE+3]]:3: warning: loop vectorized in 1 of 2 copies, not in the other: not profitable in 'pick' [hone-vec-not-profitable]
// CHECK: unswitched.c:[[@LINE+2]]:3: note: vectorized in 1 of 2 compiled copies (copies the optimizer made in 'pick' (unswitched or versioned))
void pick(float *restrict a, const float *restrict b, const int *restrict idx, int n, int mode) {
  for (int i = 0; i < n; i++) {
    if (mode)
      a[i] = b[i] * 2.0f;
    else
      a[i] = b[idx[i]];
  }
}

// The other order: the scalar copy first, then the vectorized one.
// CHECK: unswitched.c:[[@LINE+2]]:3: warning: loop vectorized in 1 of 2 copies, not in the other: not profitable in 'pick_other_order' [hone-vec-not-profitable]
void pick_other_order(float *restrict a, const float *restrict b, const int *restrict idx, int n, int mode) {
  for (int i = 0; i < n; i++) {
    if (mode)
      a[i] = b[idx[i]] + 1.0f;
    else
      a[i] = b[i] * 2.0f;
  }
}

// A benchmark's repetition loop: the inner loop vectorizes; the outer loop's copy for n <= 0 (only the
// call left) is not a finding.
// CHECK-NOT: unswitched.c:[[@LINE+6]]:3: warning
// ALL: unswitched.c:[[@LINE+5]]:3: note: outer loop in 'repeat': only innermost loops are vectorized (the optimizer also made a copy of it without its inner loop, for when that loop does not run; its verdict is not reported) [hone-vec-no-verdict]
// ALL: unswitched.c:[[@LINE+5]]:5: note: loop vectorized
// (In the JSON its copy without the inner loop is counted; checked at the end.)
int observe(float *a);
void repeat(float *restrict a, const float *restrict b, int n, int times) {
  for (int round = 0; round < times; round++) {
    for (int i = 0; i < n; i++)
      a[i] = b[i] + 1.0f;
    observe(a);
  }
}
// JSON: "copy_verdicts": [
// JSON-NEXT: {
// JSON-NEXT: "function": "scale",
// JSON-NEXT: "vectorized": true
// JSON: "innerless_copies": 1
// SUMMARY: hone vec: 5 loops in 1 translation unit: 1 vectorized, 3 not vectorized (1 dependence, 2 not-profitable), 1 outer, 0 without a verdict
