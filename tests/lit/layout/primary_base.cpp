// A dynamic class: the vtable pointer at 0; a derived class shares it through its primary base and
// reuses the base's tail padding (Itanium ABI: the base is not POD), so 'q' sits at 12, not 16.
// The suggestion moves only the derived class's own fields.
// REQUIRES: analyzers
// RUN: %hone layout --all %s -- -std=c++20 | FileCheck %s
// CHECK: primary_base.cpp:[[@LINE+1]]:8: note: struct 'Poly' (16 bytes, 1 cache line) has 7 bytes of padding [hone-layout]
struct Poly { virtual ~Poly(); char p; };
// CHECK-NEXT: struct Poly {
// CHECK-NEXT:   /* vtable pointer */ /* 0 8 */
// CHECK-NEXT:   char p; /* 8 1 */
// CHECK-NEXT:   /* tail padding: 7 bytes */
// CHECK: primary_base.cpp:[[@LINE+1]]:8: warning: struct 'Derived' (24 bytes, 1 cache line) has 10 bytes of padding; the order r, q saves 8 bytes (24 -> 16, cache lines 1 -> 1) [hone-padding]
struct Derived : Poly { int q; char r; };
// CHECK-NEXT: struct Derived {
// CHECK-NEXT:   /* primary base Poly */ /* 0 9 */
// CHECK-NEXT:   /* XXX 3 bytes hole */
// CHECK-NEXT:   int q; /* 12 4 */
// CHECK-NEXT:   char r; /* 16 1 */
// CHECK-NEXT:   /* tail padding: 7 bytes */
// CHECK-NEXT:   /* size: 24, align: 8, padding: 10 bytes, cachelines: 1 */
// CHECK-NEXT: };
// CHECK-NEXT: suggested order (minimum size):
// CHECK-NEXT: struct Derived {
// CHECK-NEXT:   /* primary base Poly */ /* 0 9 */
// CHECK-NEXT:   char r; /* 9 1 */
// CHECK-NEXT:   /* XXX 2 bytes hole */
// CHECK-NEXT:   int q; /* 12 4 */
// CHECK-NEXT:   /* size: 16, align: 8, padding: 2 bytes, cachelines: 1 */
Derived derived;
