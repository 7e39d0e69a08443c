// REQUIRES: analyzers
// --export-fixes FILE writes the source edits --try-fixes verified as clang-tidy's fixes YAML, for
// clang-apply-replacements (LLVM 19, from clang-tools-19): `__restrict` where every caller passes
// distinct arrays ('pick', and both loops of 'pick_twice', whose shared edits are written once). Not
// written: a fix that is not verified (callers that may overlap, callers not seen), one that reorders
// floating-point math (the reduction pragma), one that needs a compiler flag (-fno-math-errno), and the
// fixes of a suppressed loop. The user's file is never written by hone; applying the YAML changes exactly
// the verified lines, and the loops then vectorize.
// RUN: rm -rf %t && mkdir -p %t/yaml && cp %s %t/prog.c && cp %s %t/orig.c
// RUN: %hone vec --try-fixes --export-fixes %t/yaml/fixes.yaml %t/prog.c -- -O2 -mavx2 > %t/report.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=ERR < %t/err.txt
// ERR: hone: note: 1 finding suppressed by NOLINT comments naming the check
// ERR: hone: --export-fixes wrote 3 verified fixes to {{.*}}fixes.yaml (apply with clang-apply-replacements)
// RUN: cmp %t/prog.c %t/orig.c
// RUN: FileCheck %s --check-prefix=YAML < %t/yaml/fixes.yaml
// YAML:      MainSourceFile:  '{{.*}}prog.c'
// YAML-NEXT: Diagnostics:
// YAML-NEXT:   - DiagnosticName:  hone-vec-aliasing
// YAML-NEXT:     DiagnosticMessage:
// YAML-NEXT:       Message:         'loop not vectorized: pointers may alias in ''pick'''
// YAML-NEXT:       FilePath:        '{{.*}}prog.c'
// YAML-NEXT:       FileOffset:      {{[0-9]+}}
// YAML-NEXT:       Replacements:
// YAML-NEXT:         - FilePath:        '{{.*}}prog.c'
// YAML-NEXT:           Offset:          {{[0-9]+}}
// YAML-NEXT:           Length:          0
// YAML-NEXT:           ReplacementText: '__restrict '
// YAML-NOT:  'gather'
// YAML-NOT:  'exported'
// YAML-NOT:  'sum'
// YAML-NOT:  'roots'
// YAML:      in ''pick_twice'''
// YAML:      in ''pick_twice'''
// YAML-NOT:  'skipped'
// RUN: grep -c "ReplacementText: '__restrict '" %t/yaml/fixes.yaml | FileCheck %s --check-prefix=COUNT
// COUNT: 6
// RUN: %llvm_bin/clang-apply-replacements %t/yaml
// RUN: not diff %t/orig.c %t/prog.c > %t/diff.txt
// RUN: FileCheck %s --check-prefix=DIFF < %t/diff.txt
// DIFF:      < __attribute__((noinline)) static void pick(int *out, const int *in, const int *idx, int n) {
// DIFF-NEXT: ---
// DIFF-NEXT: > __attribute__((noinline)) static void pick(int *__restrict out, const int *__restrict in, const int *__restrict idx, int n) {
// DIFF-NEXT: {{[0-9]+}}c{{[0-9]+}}
// DIFF-NEXT: < __attribute__((noinline)) static void pick_twice(int *out, const int *in, const int *idx, int n) {
// DIFF-NEXT: ---
// DIFF-NEXT: > __attribute__((noinline)) static void pick_twice(int *__restrict out, const int *__restrict in, const int *__restrict idx, int n) {
// DIFF-NOT:  {{.}}
// The fixed loops vectorize.
// RUN: %hone vec %t/prog.c -- -O2 -mavx2 2> /dev/null | FileCheck %s --check-prefix=AFTER
// AFTER-NOT: in 'pick
// AFTER: in 'gather'
// AFTER-NOT: in 'pick
//
// Without --try-fixes nothing is verified, so nothing is written (and the file says so).
// RUN: %hone vec --export-fixes %t/plain.yaml %t/orig.c -- -O2 -mavx2 2>&1 > /dev/null | FileCheck %s --check-prefix=PLAIN
// PLAIN: hone: --export-fixes wrote 0 verified fixes to {{.*}}plain.yaml (apply with clang-apply-replacements); without --try-fixes no fix is verified, so none is written
// RUN: FileCheck %s --check-prefix=EMPTY < %t/plain.yaml
// EMPTY-NOT: Replacements
#include <math.h>

void gather(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}

__attribute__((noinline)) static void pick(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}

__attribute__((noinline)) static void pick_twice(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
  for (int i = 0; i < n; i++)
    out[i] += in[idx[i]];
}

__attribute__((noinline)) static void skipped(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)  // NOLINT(hone-vec-aliasing)
    out[i] = in[idx[i]];
}

void exported(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}

float sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

void roots(double *a, int n) {
  for (int i = 0; i < n; i++)
    a[i] = sqrt(a[i]);
}

int buf[4096], idx[4096], dst[4096], other[4096];

int run(void) {
  gather(buf, buf, idx, 4096);
  pick(dst, buf, idx, 4096);
  pick(&other[0], buf + 0, idx, 4096);
  pick_twice(other, buf, idx, 4096);
  pick_twice(dst, other, idx, 4096);
  skipped(dst, buf, idx, 4096);
  skipped(other, dst, idx, 4096);
  return 0;
}
