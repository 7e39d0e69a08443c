// Every figure must equal pahole's reading of the same structs in a -g object.
// REQUIRES: analyzers, pahole
// RUN: %clangxx -std=c++20 -g -c %s -o %t.o
// RUN: pahole -C Mixed %t.o | FileCheck %s --check-prefix=PAHOLE
// RUN: %hone layout %s --all -- -std=c++20 | FileCheck %s --check-prefix=HONE

struct Mixed { char a; double b; short c; int d; char e; };
Mixed mixed;

// PAHOLE: char a; /* 0 1 */
// PAHOLE: XXX 7 bytes hole
// PAHOLE: double b; /* 8 8 */
// PAHOLE: short c; /* 16 2 */
// PAHOLE: XXX 2 bytes hole
// PAHOLE: int d; /* 20 4 */
// PAHOLE: char e; /* 24 1 */
// PAHOLE: size: 32, cachelines: 1, members: 5
// PAHOLE: sum members: 16, holes: 2, sum holes: 9
// PAHOLE: padding: 7

// HONE: struct 'Mixed' (32 bytes, 1 cache line) has 16 bytes of padding
// HONE: char a; /* 0 1 */
// HONE-NEXT: XXX 7 bytes hole
// HONE-NEXT: double b; /* 8 8 */
// HONE-NEXT: short c; /* 16 2 */
// HONE-NEXT: XXX 2 bytes hole
// HONE-NEXT: int d; /* 20 4 */
// HONE-NEXT: char e; /* 24 1 */
// HONE-NEXT: tail padding: 7 bytes
