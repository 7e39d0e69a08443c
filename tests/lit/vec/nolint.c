// REQUIRES: analyzers
// `// NOLINT(hone-vec-...)` on a loop's first line, or `// NOLINTNEXTLINE(...)` on the line before,
// drops that loop's finding from the text, JSON and SARIF reports and from --fail-on; `hone-vec-*`
// names them all; a bare `// NOLINT` and a NOLINT naming another check do not silence hone. stderr
// says how many findings were suppressed.
// RUN: cp %s %t.c
// RUN: %hone vec %t.c -- -O2 > %t.out 2> %t.err
// RUN: FileCheck %s < %t.out
// RUN: FileCheck %s --check-prefix=NOTE < %t.err
// NOTE: hone: note: 4 findings suppressed by NOLINT comments naming the check
// CHECK-NOT: in 'named'
// CHECK-NOT: in 'next_line'
// CHECK-NOT: in 'globbed'
// CHECK-NOT: in 'sum_and_root'
// CHECK: .c:[[@LINE+23]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'bare' [hone-vec-fp-reassociation]
// CHECK-NOT: in 'named'
// CHECK: .c:[[@LINE+28]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'other_check' [hone-vec-fp-reassociation]
// CHECK-NOT: in 'globbed'
// CHECK-NOT: in 'sum_and_root'
// CHECK: hone vec: {{.*}}
float named(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)  // NOLINT(hone-vec-fp-reassociation)
    s += a[i];
  return s;
}

float next_line(const float *a, int n) {
  float s = 0;
  // NOLINTNEXTLINE(hone-vec-fp-reassociation)
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

float bare(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)  // NOLINT
    s += a[i];
  return s;
}

float other_check(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)  // NOLINT(hone-vec-call, hone-padding)
    s += a[i];
  return s;
}

extern void notify(int value);
void globbed(const int *a, int n) {
  for (int i = 0; i < n; i++)  /* NOLINT(hone-vec-*) */
    notify(a[i]);
}

float sum_and_root(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)  // NOLINT(bugprone-x,hone-vec-*)
    s += a[i];
  return s;
}

// JSON and SARIF leave them out too.
// RUN: %hone vec --format json %t.c -- -O2 2> /dev/null | FileCheck %s --check-prefix=JSON
// JSON-NOT: in 'named'
// JSON-NOT: in 'next_line'
// JSON: in 'bare'
// JSON-NOT: in 'globbed'
// RUN: %hone vec --format sarif %t.c -- -O2 2> /dev/null | FileCheck %s --check-prefix=SARIF
// SARIF-NOT: in 'named'
// SARIF: in 'bare'
// SARIF-NOT: in 'globbed'

// --fail-on: the suppressed call loop does not fail the run; the unsuppressed reductions do.
// RUN: %hone vec --fail-on call %t.c -- -O2 > /dev/null 2>&1; echo "exit=$?" > %t.exit
// RUN: %hone vec --fail-on fp-reassociation %t.c -- -O2 > /dev/null 2>&1; echo "exit=$?" >> %t.exit
// RUN: FileCheck %s --check-prefix=FAIL < %t.exit
// FAIL: exit=0
// FAIL-NEXT: exit=1
