// A flexible array member: size 0 at the end, aligned to its element; it stays last in the suggestion.
// REQUIRES: analyzers
// RUN: %hone layout --all --min-savings 1 %s -- -std=c++20 | FileCheck %s
// CHECK: flexible_array.cpp:[[@LINE+1]]:8: warning: struct 'Flex' (24 bytes, 1 cache line) has 14 bytes of padding; the order n, tag, count saves 8 bytes (24 -> 16, cache lines 1 -> 1) [hone-padding]
struct Flex { char tag; long n; char count; double data[]; };
// CHECK-NEXT: struct Flex {
// CHECK-NEXT:   char tag; /* 0 1 */
// CHECK-NEXT:   /* XXX 7 bytes hole */
// CHECK-NEXT:   long n; /* 8 8 */
// CHECK-NEXT:   char count; /* 16 1 */
// CHECK-NEXT:   /* XXX 7 bytes hole */
// CHECK-NEXT:   double data[]; /* 24 0 */
// CHECK-NEXT:   /* size: 24, align: 8, padding: 14 bytes, cachelines: 1 */
// CHECK:      suggested order (minimum size):
// CHECK-NEXT: struct Flex {
// CHECK-NEXT:   long n; /* 0 8 */
// CHECK-NEXT:   char tag; /* 8 1 */
// CHECK-NEXT:   char count; /* 9 1 */
// CHECK-NEXT:   /* XXX 6 bytes hole */
// CHECK-NEXT:   double data[]; /* 16 0 */
// CHECK-NEXT:   /* size: 16, align: 8, padding: 6 bytes, cachelines: 1 */
Flex* flex;
