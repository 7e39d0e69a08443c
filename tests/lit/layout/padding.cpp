// REQUIRES: analyzers
// RUN: %hone layout %s -- -std=c++20 | FileCheck %s

// CHECK: [[@LINE+1]]:8: warning: struct 'Bad' (24 bytes, 1 cache line) has 14 bytes of padding; the order b, a, c saves 8 bytes (24 -> 16, cache lines 1 -> 1) [hone-padding]
struct Bad { char a; double b; char c; };
// CHECK-NEXT: struct Bad {
// CHECK-NEXT:     char a; /* 0 1 */
// CHECK-NEXT:     /* XXX 7 bytes hole */
// CHECK-NEXT:     double b; /* 8 8 */
// CHECK-NEXT:     char c; /* 16 1 */
// CHECK-NEXT:     /* tail padding: 7 bytes */
// CHECK-NEXT:     /* size: 24, align: 8, padding: 14 bytes, cachelines: 1 */

// Reordering saves only 4 bytes: below the default --min-savings of 8.
// CHECK-NOT: 'Small'
struct Small { char a; int b; char c; };

// CHECK: [[@LINE+1]]:27: warning: struct 'Box<double>' (24 bytes
template <class T> struct Box { char tag; T value; char tag2; };
Box<double> box;

// CHECK: [[@LINE+1]]:8: note: struct 'Shared' {{.*}}but is unwise: 'b' is explicitly aligned (64 bytes), typically to keep it on its own cache line (false sharing) [hone-padding-keep-order]
struct Shared { char a; alignas(64) long b; char c; };
