// REQUIRES: analyzers
// Reasons from the shape of the loop body (analyzers/vectorize/body_shapes.h), on loops of the kinds
// TSVC exercises: LLVM says "unsafe dependent memory operations", "value that could not be identified
// as reduction is used outside the loop", "cannot identify array bounds" or "could not determine number
// of loop iterations" for all of them; what stops each is different, and so is what to do:
// a recurrence along one dimension of a 2-D array, a dependence without a cycle (split the loop), a read
// placed after a store (read it first), a step that keeps offsets apart, a fixed element the loop also
// writes, a prefix sum, packing, an arg max, the last matching index, a wrap-around scalar, stores to two
// arrays on two paths, and a conditional store the next iteration reads.
// RUN: %hone vec %s -- -O2 -march=x86-64-v3 > %t.out
// RUN: FileCheck %s < %t.out
// RUN: %hone vec --format json %s -- -O2 -march=x86-64-v3 | FileCheck %s --check-prefix=JSON
#define N 256
float a[N], b[N], c[N], d[N], e[N];
float aa[N][N], bb[N][N];

// CHECK: body_shapes.c:[[@LINE+4]]:5: warning: loop not vectorized: loop-carried memory dependence in 'column_recurrence' [hone-vec-dependence]
// CHECK: body_shapes.c:[[@LINE+3]]:5: note: hint: proved dependent (distance 1): 'aa[j - 1][i]' reads what 'aa[j][i]' stored 1 iteration earlier, a true recurrence
void column_recurrence(void) {
  for (int i = 0; i < N; i++)
    for (int j = 1; j < N; j++)
      aa[j][i] = aa[j - 1][i] + bb[j][i];
}

// b[i - 1] is read a step after b[i] is stored, but b never depends on a: splitting vectorizes both.
// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: proved dependent (distance 1), but not a recurrence: 'b[i - 1]' reads what 'b[i]' stored 1 iteration earlier, and no value in the loop depends on its own earlier value
void split_me(void) {
  for (int i = 1; i < N - 1; i++) {
    a[i] = b[i - 1] + c[i] * d[i];
    b[i] = b[i + 1] - e[i] * d[i];
  }
}

// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: 'a[i + 1]' is read after 'a[i]' is stored in the same iteration
void read_after_store(void) {
  for (int i = 0; i < N - 1; i++) {
    a[i] = b[i] + c[i];
    d[i] = a[i] + a[i + 1];
  }
}

// With a step of 5, a[i] and a[i + 1] are never the same element in two iterations: no "distance 1"
// recurrence; the read of a[i + 5] after the store of a[i] is what is left.
// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: 'a[i + 5]' is read after 'a[i]' is stored in the same iteration
void step_five(void) {
  for (int i = 0; i < N - 5; i += 5) {
    a[i] = a[i + 1] * a[i];
    a[i + 1] = a[i + 2] * a[i + 1];
    a[i + 2] = a[i + 3] * a[i + 2];
    a[i + 3] = a[i + 4] * a[i + 3];
    a[i + 4] = a[i + 5] * a[i + 4];
  }
}

// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: 'a[N / 2]' reads an element of the array that 'a[i]' writes: the two meet once
void fixed_element(void) {
  for (int i = 0; i < N; i++)
    a[i] = a[N / 2] + b[i];
}

// CHECK: body_shapes.c:[[@LINE+4]]:3: warning: loop not vectorized: loop-carried memory dependence in 'running_total'
// CHECK: body_shapes.c:[[@LINE+3]]:3: note: hint: 'sum' is a running total stored in every iteration (a prefix sum)
void running_total(void) {
  float sum = 0;
  for (int i = 0; i < N; i++) {
    sum += a[i];
    b[i] = sum;
  }
}

// CHECK: body_shapes.c:[[@LINE+3]]:3: note: hint: 'j' advances only when the condition holds and indexes an array (packing or unpacking
int pack(void) {
  int j = -1;
  for (int i = 0; i < N; i++)
    if (b[i] > 0) {
      j++;
      a[j] = b[i];
    }
  return j;
}

// CHECK: body_shapes.c:[[@LINE+5]]:3: warning: loop not vectorized: value used outside the loop in 'arg_max' [hone-vec-value-outside-loop]
// CHECK: body_shapes.c:[[@LINE+4]]:3: note: hint: 'index' records where the running max or min 'x' was found (an arg max or arg min)
int arg_max(void) {
  float x = a[0];
  int index = 0;
  for (int i = 0; i < N; i++)
    if (a[i] > x) {
      x = a[i];
      index = i;
    }
  return index;
}

// CHECK: body_shapes.c:[[@LINE+3]]:3: note: hint: 'j' keeps the last index at which a condition held; clang 19 does not vectorize that form, but does vectorize the same value written as a max
int last_negative(void) {
  int j = -1;
  for (int i = 0; i < N; i++)
    if (a[i] < 0)
      j = i;
  return j;
}

// CHECK: body_shapes.c:[[@LINE+3]]:3: note: hint: 's' is read before it is assigned in the iteration, so each iteration uses the value the previous one left (a wrap-around scalar)
void wrap_around(void) {
  float s = 0;
  for (int i = 0; i < N; i++) {
    a[i] = s * e[i];
    s = b[i] + c[i];
    b[i] = a[i] + d[i];
  }
}

// LLVM: "cannot identify array bounds"; every index is i, so no '__restrict' or bounds advice: the two
// paths' stores are what it merged.
// CHECK: body_shapes.c:[[@LINE+3]]:3: warning: loop not vectorized: control flow in 'two_paths' [hone-vec-control-flow]
// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: 'b' and 'a' are stored on different paths through the body
void two_paths(void) {
  for (int i = 0; i < N - 1; ++i) {
    if (c[i] < 0)
      b[i] = a[i] + d[i] * d[i];
    else
      a[i] = c[i] + d[i] * e[i];
  }
}

// LLVM: "could not determine number of loop iterations" for a loop with a fixed bound.
// CHECK: body_shapes.c:[[@LINE+3]]:3: warning: loop not vectorized: loop-carried memory dependence in 'conditional_next'
// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: 'c[i]' reads what 'c[i + 1]' stored 1 iteration earlier on one path of a branch
void conditional_next(void) {
  for (int i = 0; i < N - 1; ++i) {
    if (b[i] < 0)
      goto store;
    a[i] = c[i] + d[i] * e[i];
    goto next;
  store:
    c[i + 1] = a[i] + d[i] * d[i];
  next:;
  }
}

// The next iteration's a[i] overwrites this iteration's a[i + 1]: in vector form the order swaps. Reading
// a[i + 1] first (the read-after-store fix) would leave that; taking the last statement out of the loop
// (only the last iteration's store survives) vectorizes it (checked with clang 19 -O2 -march=x86-64-v3).
// CHECK: body_shapes.c:[[@LINE+3]]:3: warning: loop not vectorized: loop-carried memory dependence in 'two_stores'
// CHECK: body_shapes.c:[[@LINE+2]]:3: note: hint: 'a[i + 1]' stores an element that 'a[i]' stores again 1 iteration later (two stores to one element)
void two_stores(void) {
  for (int i = 0; i < N - 1; ++i) {
    a[i] = b[i] + c[i] * d[i];
    b[i] = c[i] + b[i];
    a[i + 1] = b[i] + a[i + 1] * d[i];
  }
}

// A float advanced by a constant: an induction, not a running total of data; computed from the index it
// vectorizes without flags (checked).
// CHECK: body_shapes.c:[[@LINE+4]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'float_induction'
// CHECK: body_shapes.c:[[@LINE+3]]:3: note: hint: 's' grows by the same amount in every iteration (a floating-point induction)
void float_induction(void) {
  float s = 0;
  for (int i = 0; i < N; i++) {
    s += 2.0f;
    a[i] = s * b[i];
  }
}

// JSON: "dependence_kind": "recurrence"
// JSON: "dependence_kind": "no-cycle"
// JSON: "scalar_shape": "scan"
// JSON: "dependence_kind": "store-order"
// JSON: "scalar_shape": "induction"
