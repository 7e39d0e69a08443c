// packed and aligned attributes: a packed record has no holes and is never reordered (its layout is
// the point); an aligned record's tail padding reaches its alignment.
// REQUIRES: analyzers
// RUN: %hone layout --all --min-savings 1 %s -- -std=c++20 | FileCheck %s
// CHECK: packed_aligned.cpp:[[@LINE+1]]:32: note: struct 'Packed' (7 bytes, 1 cache line) has 0 bytes of padding [hone-layout]
struct __attribute__((packed)) Packed { char a; int b; short c; };
// CHECK-NEXT: struct Packed {
// CHECK-NEXT:   char a; /* 0 1 */
// CHECK-NEXT:   int b; /* 1 4 */
// CHECK-NEXT:   short c; /* 5 2 */
// CHECK-NEXT:   /* size: 7, align: 1, padding: 0 bytes, cachelines: 1 */
Packed packed;
// CHECK: packed_aligned.cpp:[[@LINE+1]]:20: note: struct 'Aligned' (32 bytes, 1 cache line) has 27 bytes of padding [hone-layout]
struct alignas(32) Aligned { char a; int b; };
// CHECK-NEXT: struct Aligned {
// CHECK-NEXT:   char a; /* 0 1 */
// CHECK-NEXT:   /* XXX 3 bytes hole */
// CHECK-NEXT:   int b; /* 4 4 */
// CHECK-NEXT:   /* tail padding: 24 bytes */
// CHECK-NEXT:   /* size: 32, align: 32, padding: 27 bytes, cachelines: 1 */
Aligned aligned;
// A packed record whose members are individually aligned still has holes; reordering is refused.
// CHECK: packed_aligned.cpp:[[@LINE+1]]:32: note: struct 'PackedHoles' (24 bytes{{.*}}but is unwise: it is packed: its layout is deliberate [hone-padding-keep-order]
struct __attribute__((packed)) PackedHoles { char a; __attribute__((aligned(8))) long b; char c; };
PackedHoles packed_holes;
