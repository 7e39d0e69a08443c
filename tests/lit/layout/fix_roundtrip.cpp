// --fix round trip on a copy: the fixed file compiles, the program prints the same values, sizeof
// shrinks, every field keeps its comments and attributes, and the mem-initializer list follows the
// new order (so -Werror=reorder-ctor still passes). Running --fix again changes nothing.
// REQUIRES: analyzers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/prog.cpp
// RUN: %clangxx -std=c++20 -Werror=reorder-ctor %t/prog.cpp -o %t/before && %t/before > %t/before.txt
// RUN: %hone layout --fix %t/prog.cpp -- -std=c++20 > %t/report.txt 2> %t/summary.txt
// RUN: FileCheck %s --check-prefix=REPORT < %t/report.txt
// RUN: FileCheck %s --check-prefix=SUMMARY < %t/summary.txt
// RUN: FileCheck %s --check-prefix=SOURCE < %t/prog.cpp
// RUN: %clangxx -std=c++20 -Werror=reorder-ctor %t/prog.cpp -o %t/after && %t/after > %t/after.txt
// RUN: FileCheck %s --check-prefix=BEFORE < %t/before.txt
// RUN: FileCheck %s --check-prefix=AFTER < %t/after.txt
// RUN: head -1 %t/before.txt > %t/before.values && head -1 %t/after.txt > %t/after.values
// RUN: diff %t/before.values %t/after.values
// RUN: cp %t/prog.cpp %t/prog.fixed.cpp
// RUN: %hone layout --fix %t/prog.cpp -- -std=c++20 2>&1 | FileCheck %s --check-prefix=AGAIN
// RUN: diff %t/prog.cpp %t/prog.fixed.cpp
// REPORT: prog.cpp:[[@LINE+3]]:8: warning: struct 'Account'
// REPORT: prog.cpp:[[@LINE+2]]:8: note: --fix: reordered the fields of 'Account' (40 -> 24 bytes); also reordered the mem-initializer list of the constructor at {{.*}}prog.cpp:[[@LINE+11]]:3
// SUMMARY: hone: --fix reordered 1 record in 1 file
struct Account {
  // Set once at creation.
  char kind;  // 'c' or 's'
  double balance; /* in euros */
  [[maybe_unused]] bool frozen;
  long id;
  // Last character of the owner's name.
  char initial;
  int flags;
  Account(char k, double b, long i) : kind(k), balance(b), frozen(false), id(i), initial('z'), flags(3) {}
  double total() const { return balance * 2; }
};
// SOURCE:      struct Account {
// SOURCE-NEXT:   double balance; /* in euros */
// SOURCE-NEXT:   long id;
// SOURCE-NEXT:   int flags;
// SOURCE-NEXT:   // Set once at creation.
// SOURCE-NEXT:   char kind;  // 'c' or 's'
// SOURCE-NEXT:   {{\[\[}}maybe_unused]] bool frozen;
// SOURCE-NEXT:   // Last character of the owner's name.
// SOURCE-NEXT:   char initial;
// SOURCE-NEXT:   Account(char k, double b, long i) : balance(b), id(i), flags(3), kind(k), frozen(false), initial('z') {}
// BEFORE: c 12.5 0 42 z 3 25
// BEFORE-NEXT: sizeof 40
// AFTER: c 12.5 0 42 z 3 25
// AFTER-NEXT: sizeof 24
// AGAIN: hone: --fix reordered 0 records in 0 files
#include <cstdio>
int main() {
  Account account('c', 12.5, 42);
  std::printf("%c %g %d %ld %c %d %g\n", account.kind, account.balance, account.frozen, account.id, account.initial,
              account.flags, account.total());
  std::printf("sizeof %zu\n", sizeof(Account));
}
