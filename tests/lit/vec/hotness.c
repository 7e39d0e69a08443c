// REQUIRES: analyzers, llvm-profdata
// With a real profile (instrumented build, a run, llvm-profdata merge) the remarks carry hotness and
// the missed loops are ranked by it: the hot loop first, although it comes later in the file.
// RUN: rm -rf %t && mkdir -p %t/project/.hone/merge
// RUN: %clang -O2 -fprofile-instr-generate %s -o %t/program
// RUN: env LLVM_PROFILE_FILE=%t/program.profraw %t/program
// RUN: llvm-profdata merge -o %t/program.profdata %t/program.profraw
// RUN: %hone vec --profile %t/program.profdata %s -- -O2 | FileCheck %s
// CHECK: hotness.c:[[@LINE+25]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'hot_sum' (hotness {{[0-9]+}}) [hone-vec-fp-reassociation]
// CHECK: hotness.c:[[@LINE+17]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'cold_sum' (hotness {{[0-9]+}}) [hone-vec-fp-reassociation]
//
// Without --profile, the profile `hone pgo` left in .hone/merge is found and used.
// RUN: cp %t/program.profdata %t/project/.hone/merge/merged-0123abcd.profdata
// RUN: cd %t/project && %hone vec %s -- -O2 2> %t/auto.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=AUTO < %t/auto.err
// AUTO: hone: note: ranking by the profile '{{.*}}merged-0123abcd.profdata' from hone pgo (--no-profile to ignore it)
// RUN: cd %t/project && %hone vec --no-profile %s -- -O2 2>&1 | FileCheck %s --check-prefix=NOPROFILE
// NOPROFILE-NOT: (hotness
// NOPROFILE-NOT: ranking by the profile
//
// A file that is not an indexed profile is refused before anything is compiled.
// RUN: echo garbage > %t/bad.profdata
// RUN: not %hone vec --profile %t/bad.profdata %s -- -O2 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: hone: error: '{{.*}}bad.profdata' is not an indexed LLVM profile
float cold_sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

float hot_sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * 0.5f;
  return s;
}

float data[1000];

int main(void) {
  float total = cold_sum(data, 10);
  for (int round = 0; round < 2000; round++)
    total += hot_sum(data, 1000);
  return total > 1.0f;
}
