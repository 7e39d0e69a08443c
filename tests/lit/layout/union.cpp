// Unions: every member at offset 0, only tail padding, never a reordering suggestion.
// REQUIRES: analyzers
// RUN: %hone layout --all %s -- -std=c++20 | FileCheck %s
// CHECK: union.cpp:[[@LINE+1]]:7: note: union 'U' (16 bytes, 1 cache line) has 4 bytes of padding [hone-layout]
union U { char c; double d; int i[3]; };
// CHECK-NEXT: union U {
// CHECK-NEXT:   char c; /* 0 1 */
// CHECK-NEXT:   double d; /* 0 8 */
// CHECK-NEXT:   int i[3]; /* 0 12 */
// CHECK-NEXT:   /* tail padding: 4 bytes */
// CHECK-NEXT:   /* size: 16, align: 8, padding: 4 bytes, cachelines: 1 */
// CHECK-NEXT: };
// CHECK-NOT: suggested order
U u;
