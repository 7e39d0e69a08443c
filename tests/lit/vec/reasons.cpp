// REQUIRES: analyzers
// One C++ loop per reason category, in C++ shapes: range-for over std::vector, member functions,
// templates (every instantiation has the loop's location: one finding), lambdas, <cmath>, iterators.
// RUN: %hone vec %s -- -std=c++20 -O2 > %t.out
// RUN: FileCheck %s < %t.out
// __restrict inserted into a member function's definition (scratch copy) makes its gather vectorize
// with AVX2 gathers; its one caller passes pointers hone cannot follow, so the fix is not verified.
// RUN: %hone vec --try-fixes --category aliasing %s -- -std=c++20 -O2 -mavx2 | FileCheck %s --check-prefix=FIX
#include <cmath>
#include <list>
#include <vector>

// CHECK: reasons.cpp:[[@LINE+3]]:3: warning: loop not vectorized: floating-point reduction needs reassociation in 'total' [hone-vec-fp-reassociation]
double total(const std::vector<double>& values) {
  double sum = 0;
  for (double value : values)
    sum += value;
  return sum;
}

struct Image {
  // FIX: reasons.cpp:[[@LINE+4]]:5: note: vectorizes, but call sites at {{/.*}}reasons.cpp:[[@LINE+9]]:3 may overlap (hone cannot tell what 'out' (passed for 'out') points to): with '__restrict' on 'out', 'lut' and 'in' in the definition of 'Image::remap' the loop vectorizes (width 8, interleave 1)
  // CHECK: reasons.cpp:[[@LINE+3]]:5: warning: loop not vectorized: pointers may alias in 'Image::remap' [hone-vec-aliasing]
  // CHECK: note: hint: the compiler cannot rule out that the pointers overlap: if 'out', 'lut' and 'in' never point into the same array, declare them '__restrict' in 'Image::remap'
  void remap(float* out, const float* lut, const int* in, int n) const {
    for (int i = 0; i < n; ++i)
      out[i] = lut[in[i]];
  }
};
void remap_all(const Image& image, float* out, const float* lut, const int* in, int n) {
  image.remap(out, lut, in, n);
}

// CHECK: reasons.cpp:[[@LINE+4]]:3: warning: loop not vectorized: unknown trip count in 'count_items' [hone-vec-trip-count]
int count_items(const std::list<int>& items) {
  int count = 0;
  auto it = items.begin();
  while (it != items.end() && *it != 0) {
    ++count;
    ++it;
  }
  return count;
}

// CHECK: reasons.cpp:[[@LINE+4]]:3: warning: loop not vectorized: call that cannot be vectorized in 'weigh' [hone-vec-call]
// CHECK: note: hint: the call to 'weight' (line [[@LINE+4]]) cannot be vectorized: hoist it out of the loop
int weight(int value);
void weigh(int* out, const int* in, int n) {
  for (int i = 0; i < n; ++i)
    out[i] = weight(in[i]);
}

// CHECK: reasons.cpp:[[@LINE+3]]:3: warning: loop not vectorized: call that cannot be vectorized in 'logs' [hone-vec-call]
// CHECK: note: hint: math library calls may set errno
void logs(std::vector<double>& values) {
  for (double& value : values)
    value = std::log(value);
}

// CHECK: reasons.cpp:[[@LINE+2]]:3: warning: loop not vectorized: control flow in 'decode' [hone-vec-control-flow]
void decode(int* codes, int n) {
  for (int i = 0; i < n; ++i) {
    switch (codes[i]) {
      case 0: codes[i] = 4; break;
      case 1: codes[i] = 9; break;
      case 2: codes[i] = 1; break;
      default: codes[i] = 0;
    }
  }
}

// One finding for the template, whichever instantiations exist.
// CHECK: reasons.cpp:[[@LINE+3]]:3: warning: loop not vectorized: loop-carried memory dependence in 'running' [hone-vec-dependence]
template <typename T>
void running(T* values, int n) {
  for (int i = 1; i < n; ++i)
    values[i] += values[i - 1];
}
template void running<float>(float*, int);
template void running<int>(int*, int);

// CHECK: reasons.cpp:[[@LINE+4]]:3: warning: loop not vectorized: value used outside the loop in 'last_negative' [hone-vec-value-outside-loop]
int last_negative(const std::vector<int>& values) {
  int where = -1;
  int n = static_cast<int>(values.size());
  for (int i = 0; i < n; ++i)
    if (values[i] < 0)
      where = i * values[i];
  return where;
}

// CHECK: reasons.cpp:[[@LINE+3]]:5: warning: loop not vectorized: unsupported instruction in 'blink' [hone-vec-unsupported-instruction]
void blink(volatile int* port, int n) {
  auto pulse = [&] {
    for (int i = 0; i < n; ++i)
      port[i] = 1;
  };
  pulse();
}

// CHECK: reasons.cpp:[[@LINE+3]]:3: warning: loop not vectorized: vectorization disabled in 'untouched' [hone-vec-disabled]
void untouched(std::vector<float>& values) {
#pragma clang loop vectorize(disable)
  for (float& value : values)
    value += 1.0f;
}

// CHECK: reasons.cpp:[[@LINE+2]]:3: warning: loop not vectorized: not profitable in 'odd_even' [hone-vec-not-profitable]
void odd_even(int* a, const int* b, const int* c, int n) {
  for (int i = 0; i < n; ++i) {
    if (i % 2)
      a[i] = b[i] / c[i];
    else
      a[i] = 0;
  }
}
// System headers are excluded: no finding from <vector> or <list>.
// CHECK-NOT: /usr/include
// CHECK: hone vec: 11 loops in 1 translation unit: 0 vectorized, 11 not vectorized (1 fp-reassociation, 1 aliasing, 1 trip-count, 2 call, 1 control-flow, 1 dependence, 1 value-outside-loop, 1 unsupported-instruction, 1 disabled, 1 not-profitable), 0 outer, 0 without a verdict
