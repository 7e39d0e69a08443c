// REQUIRES: analyzers
// --try-fixes times a fix that forces vectorization in a benchmark hone generates for the loop's
// function (analyzers/vectorize/fix_timing.h): the TU as it is and with the fix, each with a call of
// the function on made-up arrays, run in turn. Whether the fix comes out faster depends on the machine
// and its load, so the figure is matched by shape; what hone says it could not time is matched exactly.
// RUN: rm -rf %t && mkdir -p %t/tmp
// RUN: env TMPDIR=%t/tmp %hone vec --try-fixes %s -- -O2 -march=x86-64 > %t/out 2> %t/err
// RUN: FileCheck %s < %t/out
// RUN: FileCheck %s --check-prefix=TIME < %t/out
// RUN: %hone vec --try-fixes --format json %s -- -O2 -march=x86-64 | FileCheck %s --check-prefix=JSON
// RUN: %hone vec --try-fixes --no-time-fixes %s -- -O2 -march=x86-64 | FileCheck %s --check-prefix=OFF
// The scratch folders with the benchmarks (under TMPDIR) are gone afterwards.
// RUN: test -z "$(ls -A %t/tmp)"

// A float sum: the loop pragma reorders the additions; the call is timed against the loop as it is, and
// the values one call each leaves are compared (4096 + 256 array elements and the sum). Whether the
// flags fix is tried next depends on the timing, so it is not checked here.
// TIME: fix_timing.c:[[@LINE+4]]:3: note: {{(verified: .* measured|vectorizes, but (not measurably faster|measured slower): .* it ran) [0-9]+\.[0-9][0-9]x as fast as the loop as it is \([0-9]+\.[0-9][0-9]x-[0-9]+\.[0-9][0-9]x in 5 rounds of hone's generated benchmark of the function, arrays of 4096 small values, not the program's own data\)}}
// CHECK: fix_timing.c:[[@LINE+3]]:3: note: {{.*}}the results changed by up to {{[0-9]\.[0-9]e-[0-9]+}} relative (the return value, of 4353 values compared)
float sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}

// The function uses an object hone cannot make up (a zeroed one would end the loop at once).
// CHECK: fix_timing.c:[[@LINE+4]]:3: note: verified: {{.*}}; the floating-point result changes by rounding (the size of the change was not measured); the pragma also overrides the cost model, and the speed was not measured (hone cannot call the loop's function: it uses its parameter 'v' of type 'const struct vector *', which hone cannot make up)
struct vector { const float *data; int size; };
float sum_vector(const struct vector *v) {
  float s = 0;
  for (int i = 0; i < v->size; i++)
    s += v->data[i];
  return s;
}

// At most seven iterations (none with hone's count of 4096): too short a call to time the loop in.
// CHECK: fix_timing.c:[[@LINE+3]]:3: note: verified: {{.*}}the speed was not measured (a call took {{[0-9]+}} ns, too short to time the loop: it hardly runs with the made-up arguments)
float sum_tail(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < (n & 7); i++)
    s += a[i];
  return s;
}

// The made-up arguments do not fit: the function reads far past the arrays hone gives it.
// CHECK: fix_timing.c:[[@LINE+4]]:3: note: verified: {{.*}}the speed was not measured (the copy as it is: the benchmark was ended by signal {{[0-9]+}} (the made-up arguments may not fit the function))
float sum_far(const float *a, int n) {
  float s = 0;
  const float *far = a + (long)n * 100000000;
  for (int i = 0; i < n; i++)
    s += far[i];
  return s;
}

// The project's own main is renamed in the benchmark, so a TU with a main can be timed too.
int main(void) { return 0; }

// JSON: "result_change": {
// JSON-NEXT: "max_relative": {{[0-9.e+-]+}},
// JSON-NEXT: "measured": true,
// JSON-NEXT: "values": 4353,
// JSON-NEXT: "where": "the return value"
// JSON: "timing": {
// JSON-NEXT: "elements": 4096,
// JSON-NEXT: "high": {{[0-9.e+-]+}},
// JSON-NEXT: "low": {{[0-9.e+-]+}},
// JSON-NEXT: "measured": true,
// JSON-NEXT: "ns_per_call_as_is": {{[0-9.e+-]+}},
// JSON-NEXT: "rounds": 5,
// JSON-NEXT: "speedup": {{[0-9.e+-]+}}
// JSON: "timing": {
// JSON-NEXT: "measured": false,
// JSON-NEXT: "why": "hone cannot call the loop's function: it uses its parameter 'v' of type 'const struct vector *', which hone cannot make up"

// OFF: fix_timing.c:22:3: note: verified: {{.*}}the pragma also overrides the cost model, and the speed was not measured{{$}}
