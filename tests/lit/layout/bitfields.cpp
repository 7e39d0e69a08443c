// Bit-fields: offsets as byte:bit, unused bits inside a storage unit as bit holes (as pahole counts
// them: 29 + 2 bit holes, 51 bits of tail bit padding), and no order suggested: d's storage unit (an
// unsigned long at byte 8) holds c too, and storage units move whole (bitfield_order.cpp), so no figure
// is better than a wrong one.
// REQUIRES: analyzers
// RUN: %hone layout --all %s -- -std=c++20 | FileCheck %s
// CHECK: bitfields.cpp:[[@LINE+1]]:8: note: struct 'Bits' (16 bytes, 1 cache line) has 10 bytes of padding and 2 bits [hone-layout]
struct Bits { unsigned a : 3; unsigned b : 30; char c; unsigned long d : 5; };
// CHECK-NEXT: struct Bits {
// CHECK-NEXT:   unsigned int a:3; /* 0:0 1 */
// CHECK-NEXT:   /* XXX 29 bits hole */
// CHECK-NEXT:   unsigned int b:30; /* 4:0 4 */
// CHECK-NEXT:   /* XXX 2 bits hole */
// CHECK-NEXT:   char c; /* 8 1 */
// CHECK-NEXT:   unsigned long d:5; /* 9:0 1 */
// CHECK-NEXT:   /* tail bit padding: 51 bits */
// CHECK-NEXT:   /* size: 16, align: 8, padding: 10 bytes, cachelines: 1 */
// CHECK-NEXT: };
// CHECK-NOT: suggested order
Bits bits;
