// REQUIRES: analyzers, llvm-profdata
// Profile mode with several compiled copies of one loop. Each run of a source loop runs exactly one of
// its copies, so the copies' counts add up; what ranks a missed loop is the count of its copies that
// run scalar, since those are what a fix would speed up:
//   - 'scale' is unswitched at -O3 into a vectorized copy, which runs 2000 times over 1024 elements,
//     and a scalar copy (a recurrence), which runs once: it ranks last, with the scalar copy's count;
//   - 'accumulate' is inlined into 'left' and 'right', each copy running 300 elements 2000 times: its
//     count is their sum and ranks it above 'dot' (500 elements 2000 times), which beats either copy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O3 -fprofile-instr-generate %s -o %t/program
// RUN: env LLVM_PROFILE_FILE=%t/program.profraw %t/program
// RUN: llvm-profdata merge -o %t/program.profdata %t/program.profraw
// RUN: %hone vec --profile %t/program.profdata %s -- -O3 > %t/out.txt
// RUN: FileCheck %s < %t/out.txt
// CHECK: hotness_copies.c:[[@LINE+23]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'accumulate' (hotness [[ACC:[0-9]+]]) [hone-vec-fp-reassociation]
// CHECK: hotness_copies.c:[[@LINE+22]]:3: note: hotness summed over 2 compiled copies (inlined or instantiated into 2 functions)
// CHECK: hotness_copies.c:[[@LINE+30]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'dot' (hotness {{[0-9]+}})
// CHECK: hotness_copies.c:[[@LINE+10]]:3: warning: loop vectorized in 1 of 2 copies, not in the other: {{.*}} in 'scale' (hotness [[SCALAR:[0-9]+]])
// CHECK: hotness_copies.c:[[@LINE+9]]:3: note: vectorized in 1 of 2 compiled copies (copies the optimizer made in 'scale' (unswitched or versioned)); hotness [[SCALAR]] in the copies not vectorized, {{[0-9]+}} in the vectorized ones
// The JSON keeps each copy's own count and the total.
// RUN: %hone vec --format json --profile %t/program.profdata %s -- -O3 | FileCheck %s --check-prefix=JSON
// JSON: "all_copies_hotness":
float a[1024], b[1024];
volatile int mode = 1;

// The vectorized copy is hot, the scalar one cold.
__attribute__((noinline)) void scale(int n, int vectorizable) {
  for (int i = 1; i < n; i++) {
    if (vectorizable)
      a[i] = b[i] * 2.0f;
    else
      a[i] = a[i - 1] + b[i];
  }
}

static inline float accumulate(const float *p, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += p[i];
  return s;
}
__attribute__((noinline)) float left(int n) { return accumulate(a, n); }
__attribute__((noinline)) float right(int n) { return accumulate(b, n); }

__attribute__((noinline)) float dot(int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

int main(void) {
  float t = 0;
  for (int r = 0; r < 2000; r++) {
    scale(1024, mode);
    t += left(300) + right(300) + dot(500);
  }
  scale(1024, 0);
  return t > 1.0f;
}
