// REQUIRES: analyzers
// A loop LLVM's cost model rejects ("not beneficial": a gather on plain x86-64, which has no gather
// instruction) vectorizes when the loop pragma forces it, but the model predicts a loss: the fix is
// labelled so and never called verified or faster. The floating-point reduction fix names its flags
// precisely and says the size of the result's change was not measured. --no-time-fixes: without
// hone's benchmark of the fix (vec/fix_timing.c has it) the speed is not measured, and said so.
// RUN: %hone vec --try-fixes --no-time-fixes %s -- -O2 -march=x86-64 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %hone vec --try-fixes --no-time-fixes --format json %s -- -O2 -march=x86-64 | FileCheck %s --check-prefix=JSON
// CHECK-NOT: last bits

// CHECK: cost_model.c:[[@LINE+4]]:3: warning: loop not vectorized: not profitable in 'gather' [hone-vec-not-profitable]
// CHECK: cost_model.c:[[@LINE+3]]:3: note: hint: the cost model expects no gain on this target: a wider -march (if the deployment machines allow it) may change that; '#pragma clang loop vectorize(enable)' forces it, but the cost model predicts it is slower: time it before keeping it
// CHECK-NEXT: cost_model.c:[[@LINE+2]]:3: note: vectorizes; the cost model predicted a loss: with '#pragma clang loop vectorize(enable)' before the loop (forces vectorization; measure it) the loop vectorizes (width 4, interleave 1) only because the pragma overrides LLVM's cost model, which rated it slower than the scalar loop; not measured: time it before keeping it
void gather(float *__restrict out, const float *__restrict table, const int *__restrict index, int n) {
  for (int i = 0; i < n; i++)
    out[i] = table[index[i]];
}

// CHECK: cost_model.c:[[@LINE+5]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'sum'
// CHECK: note: hint: vectorizing keeps one partial result per vector lane and combines them at the end, which reorders the floating-point operations: the result changes by rounding, by an amount that depends on the data (not measured by hone). If that is acceptable, put '#pragma clang loop vectorize(enable)' before the loop (this loop only), or compile the file with -fassociative-math -fno-signed-zeros (both are needed; -ffast-math implies them and also -ffinite-math-only, -fno-math-errno, -freciprocal-math and -fapprox-func)
// CHECK-NEXT: cost_model.c:[[@LINE+3]]:3: note: verified: with '#pragma clang loop vectorize(enable)' before the loop the loop vectorizes (width 4, interleave 2); the floating-point result changes by rounding (the size of the change was not measured); the pragma also overrides the cost model, and the speed was not measured
float sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

// JSON: "forces_vectorization": true,
// JSON-NEXT: "interleave": 1,
// JSON-NEXT: "label": "cost-model-predicted-loss",
// JSON-NEXT: "reorders_fp": false,
// JSON-NEXT: "vectorizes": true,
// JSON-NEXT: "verified": false,
