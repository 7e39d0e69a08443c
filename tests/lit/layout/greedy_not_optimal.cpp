// Optimality where the classic greedy order (decreasing alignment, as pahole --reorganize and the
// static analyzer's padding checker do) is not optimal: the fields start at byte 9, after a dynamic
// base whose tail padding the ABI lets them reuse. Greedy keeps x, s, c (x@12, s@16, c@18: 24 bytes);
// the minimum is c, s, x (c@9, s@10, x@12: 16 bytes).
// REQUIRES: analyzers
// RUN: %hone layout %s -- -std=c++20 | FileCheck %s
struct Base { virtual void f(); char tag; };
// CHECK: greedy_not_optimal.cpp:[[@LINE+1]]:8: warning: struct 'Node' (24 bytes, 1 cache line) has 8 bytes of padding; the order c, s, x saves 8 bytes (24 -> 16, cache lines 1 -> 1) [hone-padding]
struct Node : Base { int x; short s; char c; };
// CHECK:      suggested order (minimum size):
// CHECK-NEXT: struct Node {
// CHECK-NEXT:   /* primary base Base */ /* 0 9 */
// CHECK-NEXT:   char c; /* 9 1 */
// CHECK-NEXT:   short s; /* 10 2 */
// CHECK-NEXT:   int x; /* 12 4 */
// CHECK-NEXT:   /* size: 16, align: 8, padding: 0 bytes, cachelines: 1 */
Node node;
// A sizeof check by the compiler itself on the suggested order.
// RUN: %clangxx -std=c++20 -fsyntax-only -DREORDERED %s
#ifdef REORDERED
struct NodeReordered : Base { char c; short s; int x; };
static_assert(sizeof(Node) == 24 && sizeof(NodeReordered) == 16);
#endif
