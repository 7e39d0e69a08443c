// Empty-base optimization and [[no_unique_address]]: the empty subobject takes no bytes and the next
// member starts at offset 0.
// REQUIRES: analyzers
// RUN: %hone layout --all %s -- -std=c++20 | FileCheck %s
struct Empty {};
// CHECK: empty_bases.cpp:[[@LINE+1]]:8: note: struct 'WithEbo' (8 bytes, 1 cache line) has 3 bytes of padding [hone-layout]
struct WithEbo : Empty { int x; char y; };
// CHECK-NEXT: struct WithEbo {
// CHECK-NEXT:   /* base Empty (empty, EBO) */ /* 0 0 */
// CHECK-NEXT:   int x; /* 0 4 */
// CHECK-NEXT:   char y; /* 4 1 */
// CHECK-NEXT:   /* tail padding: 3 bytes */
// CHECK-NEXT:   /* size: 8, align: 4, padding: 3 bytes, cachelines: 1 */
WithEbo ebo;
// CHECK: empty_bases.cpp:[[@LINE+1]]:8: note: struct 'WithNua' (8 bytes, 1 cache line) has 3 bytes of padding [hone-layout]
struct WithNua { [[no_unique_address]] Empty e; int x; char y; };
// CHECK-NEXT: struct WithNua {
// CHECK-NEXT:   {{\[\[}}no_unique_address]] Empty e; /* 0 0 */
// CHECK-NEXT:   int x; /* 0 4 */
// CHECK-NEXT:   char y; /* 4 1 */
// CHECK-NEXT:   /* tail padding: 3 bytes */
// CHECK-NEXT:   /* size: 8, align: 4, padding: 3 bytes, cachelines: 1 */
WithNua nua;
