// Virtual bases and the vtable pointer: a diamond's non-virtual bases at their offsets (size = the
// base's nvsize), the shared virtual base after the fields, and no suggestion (the ABI places virtual
// bases last). Offsets equal clang -fdump-record-layouts: bases [0, 16], vbase 32, d at byte 25.
// REQUIRES: analyzers
// RUN: %hone layout --all %s -- -std=c++20 | FileCheck %s
struct VBase { long v; };
// CHECK: virtual_bases.cpp:[[@LINE+1]]:8: note: struct 'Left' (24 bytes, 1 cache line) has 7 bytes of padding [hone-layout]
struct Left : virtual VBase { char l; };
// CHECK-NEXT: struct Left {
// CHECK-NEXT:   /* vtable pointer */ /* 0 8 */
// CHECK-NEXT:   char l; /* 8 1 */
// CHECK-NEXT:   /* XXX 7 bytes hole */
// CHECK-NEXT:   /* virtual base VBase */ /* 16 8 */
// CHECK-NEXT:   /* size: 24, align: 8, padding: 7 bytes, cachelines: 1 */
struct Right : virtual VBase { char r; };
// CHECK: virtual_bases.cpp:[[@LINE+1]]:8: note: struct 'Diamond' (40 bytes, 1 cache line) has 13 bytes of padding [hone-layout]
struct Diamond : Left, Right { char d; };
// CHECK-NEXT: struct Diamond {
// CHECK-NEXT:   /* primary base Left */ /* 0 9 */
// CHECK-NEXT:   /* XXX 7 bytes hole */
// CHECK-NEXT:   /* base Right */ /* 16 9 */
// CHECK-NEXT:   char d; /* 25 1 */
// CHECK-NEXT:   /* XXX 6 bytes hole */
// CHECK-NEXT:   /* virtual base VBase */ /* 32 8 */
// CHECK-NEXT:   /* size: 40, align: 8, padding: 13 bytes, cachelines: 1 */
// CHECK-NOT: suggested order
Diamond diamond;
