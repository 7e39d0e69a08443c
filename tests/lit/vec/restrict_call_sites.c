// REQUIRES: analyzers
// A `__restrict` fix is verified only when every call of the function hone can see passes objects
// that do not overlap: `gather(buf, buf, idx, n)` below would print another sum with the fix applied,
// so that fix is "vectorizes, but call sites ... may overlap"; a function no analysed file calls is
// "unchecked"; one whose callers all pass distinct arrays is verified. Without --try-fixes the
// callers are still named.
// RUN: %hone vec --try-fixes %s -- -O2 -mavx2 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %hone vec %s -- -O2 -mavx2 | FileCheck %s --check-prefix=PLAIN
// RUN: %hone vec --try-fixes --format json %s -- -O2 -mavx2 | FileCheck %s --check-prefix=JSON

// CHECK: restrict_call_sites.c:[[@LINE+4]]:3: warning: loop not vectorized: pointers may alias in 'gather'
// CHECK: restrict_call_sites.c:[[@LINE+3]]:3: note: vectorizes, but call sites at {{/.*}}restrict_call_sites.c:[[@LINE+24]]:3 may overlap ('buf' is passed for both 'out' and 'in'): with '__restrict' on 'out', 'in' and 'idx' in the definition of 'gather' the loop vectorizes (width 8, interleave 1), but '__restrict' would be a false promise
// PLAIN: restrict_call_sites.c:[[@LINE+2]]:3: note: callers: call sites at {{/.*}}restrict_call_sites.c:[[@LINE+23]]:3 may overlap ('buf' is passed for both 'out' and 'in')
void gather(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}

// CHECK: restrict_call_sites.c:[[@LINE+3]]:3: warning: loop not vectorized: pointers may alias in 'pick'
// CHECK: restrict_call_sites.c:[[@LINE+2]]:3: note: verified: with '__restrict' on 'out', 'in' and 'idx' in the definition of 'pick' the loop vectorizes (width 8, interleave 1); every call of 'pick' in the analysed files (2) passes distinct objects
__attribute__((noinline)) static void pick(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}

// CHECK: restrict_call_sites.c:[[@LINE+3]]:3: warning: loop not vectorized: pointers may alias in 'exported'
// CHECK: restrict_call_sites.c:[[@LINE+2]]:3: note: unchecked: called from outside the database: no call of 'exported' is in the analysed files: with '__restrict' on 'out', 'in' and 'idx' in the definition of 'exported' the loop vectorizes
void exported(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}

int buf[4096], idx[4096], dst[4096], other[4096];

int run(int *p, int *q) {
  gather(buf, buf, idx, 4096);
  pick(dst, buf, idx, 4096);
  pick(&other[0], buf + 0, idx, 4096);
  return p == q;
}

// Pointers hone cannot follow may overlap.
// CHECK: restrict_call_sites.c:[[@LINE+3]]:3: warning: loop not vectorized: pointers may alias in 'copy_through'
// CHECK: restrict_call_sites.c:[[@LINE+2]]:3: note: vectorizes, but call sites at {{/.*}}restrict_call_sites.c:[[@LINE+5]]:43 may overlap (hone cannot tell what 'p' (passed for 'out') points to)
__attribute__((noinline)) static void copy_through(int *out, const int *in, const int *idx, int n) {
  for (int i = 0; i < n; i++)
    out[i] = in[idx[i]];
}
void use_pointers(int *p, const int *q) { copy_through(p, q, idx, 4096); }

// JSON: "call_sites": {
// JSON-NEXT: "calls": 1,
// JSON: "safety": "may-overlap"
// JSON: "label": "call-sites-may-overlap"
// JSON-NEXT: "reorders_fp": false,
// JSON-NEXT: "vectorizes": true,
// JSON-NEXT: "verified": false,
