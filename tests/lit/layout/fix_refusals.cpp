// --fix refuses, with the reason, every record it cannot reorder safely, and leaves the file as it
// was; --diff then prints an empty patch. Records whose order other code depends on are not even
// suggested (hone-padding-keep-order).
// REQUIRES: analyzers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/refuse.cpp
// RUN: %hone layout --fix %t/refuse.cpp -- -std=c++20 > %t/report.txt 2> %t/summary.txt
// RUN: FileCheck %s < %t/report.txt
// RUN: FileCheck %s --check-prefix=SUMMARY < %t/summary.txt
// RUN: diff %s %t/refuse.cpp
// RUN: %hone layout --diff %t/refuse.cpp -- -std=c++20 > %t/patch.diff 2> /dev/null
// RUN: not test -s %t/patch.diff
// RUN: not %hone layout --fix --diff %t/refuse.cpp -- -std=c++20 2>&1 | FileCheck %s --check-prefix=BOTH
// SUMMARY: hone: --fix reordered 0 records in 0 files
// BOTH: hone: error: --fix and --diff exclude each other
#include <utility>

// CHECK: refuse.cpp:[[@LINE+2]]:8: warning: struct 'Together'
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: --fix: left 'Together' unchanged: field 'a' shares its declaration with another field (e.g. 'int a, b;'); split the declaration into one field per line first
struct Together { char a, b; double d; char c; };
Together together;

#define FIELD(type, name) type name;
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: --fix: left 'FromMacro' unchanged: field 'b' comes from a macro expansion
struct FromMacro { char a; FIELD(double, b) char c; };
FromMacro from_macro;

// CHECK: refuse.cpp:[[@LINE+1]]:7: note: --fix: left 'Mixed' unchanged: fields 'a' and 'b' are under different access specifiers; moving them would change their access
class Mixed {
 public:
  char a;
 private:
  double b;
 public:
  char c;
  double get() const { return b; }
};
Mixed mixed;

template <class T> struct Box { char tag; T value; char tag2; };
// CHECK: refuse.cpp:[[@LINE-1]]:27: note: --fix: left 'Box<double>' unchanged: it is a template instantiation
Box<double> box;

int next_id();
// Behaviour the new order would change: not suggested at all (order_uses.cpp has every kind).
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: struct 'Effects' {{.*}}but is unwise: the initializers of 'a' and 'b' have side effects (at {{.*}}refuse.cpp:[[@LINE+1]]:26 and {{.*}}refuse.cpp:[[@LINE+1]]:60) that would run in a different order [hone-padding-keep-order]
struct Effects { int a = next_id(); double d = 0; long b = next_id(); char c = 0; };
Effects effects;

struct Noisy { ~Noisy(); char n; };
struct Big { ~Big(); double x; };
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: struct 'Destructors' {{.*}}but is unwise: the destructors of 'first' and 'second' would run in a different order [hone-padding-keep-order]
struct Destructors { Noisy first; double d; Big second; char c; };
Destructors destructors;

// Order used elsewhere: not suggested at all.
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: struct 'Positional' {{.*}}but is unwise: it is initialized by field position at {{.*}}refuse.cpp:[[@LINE+2]]:22 [hone-padding-keep-order]
struct Positional { char a; double b; char c; };
Positional positional{1, 2.0, 3};
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: struct 'Designated' {{.*}}but is unwise: it is initialized with designated initializers at {{.*}}, which C++ requires in declaration order [hone-padding-keep-order]
struct Designated { char a; double b; char c; };
Designated designated{.a = 1, .b = 2.0, .c = 3};
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: struct 'Bound' {{.*}}but is unwise: it is destructured by a structured binding at {{.*}}, which binds the fields in declaration order [hone-padding-keep-order]
struct Bound { char a; double b; char c; };
double sum(Bound bound) {
  auto [x, y, z] = bound;
  return x + y + z;
}
// CHECK: refuse.cpp:[[@LINE+1]]:8: note: struct 'ReadsOther' {{.*}}but is unwise: the initializer of 'b' reads 'a' at {{.*}}refuse.cpp:[[@LINE+1]]:70, and the new order would initialize 'b' first [hone-padding-keep-order]
struct ReadsOther { char a; double b; char c; ReadsOther() : a(1), b(a * 2.0), c(0) {} };
ReadsOther reads_other;
