// Everything the language lets observe member order keeps a record out of the suggestions
// (hone-padding-keep-order), with the reason and the place of the use; what provably cannot observe the
// order (allocations, value construction that does not read `this`) does not. --fix then leaves every
// refused record as it was, and the accepted ones still print the same values.
// REQUIRES: analyzers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/uses.cpp
// RUN: %clangxx -std=c++20 %t/uses.cpp -o %t/before && %t/before > %t/before.txt
// RUN: %hone layout --fix %t/uses.cpp -- -std=c++20 > %t/report.txt 2> %t/summary.txt
// RUN: FileCheck %s < %t/report.txt
// RUN: FileCheck %s --check-prefix=SUMMARY < %t/summary.txt
// RUN: %clangxx -std=c++20 %t/uses.cpp -o %t/after && %t/after > %t/after.txt
// RUN: diff %t/before.txt %t/after.txt
// SUMMARY: hone: --fix reordered 2 records in 1 file
#include <compare>
#include <cstddef>
#include <cstdio>
#include <cstring>

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'DefaultReads' {{.*}}but is unwise: the initializer of 'b' reads 'a' at {{.*}}uses.cpp:[[@LINE+1]]:55, and the new order would initialize 'b' first [hone-padding-keep-order]
struct DefaultReads { int a = 5; char c = 1; long b = a + 1; char d = 2; };

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'CallsMember' {{.*}}but is unwise: the initializer of 'b' calls member 'twice_a' at {{.*}}uses.cpp:[[@LINE+6]]:33, which may read any field [hone-padding-keep-order]
struct CallsMember {
  int a;
  char c;
  long b;
  char d;
  CallsMember() : a(5), c(1), b(twice_a()), d(2) {}
  int twice_a() const { return a * 2; }
};

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'Lambda' {{.*}}but is unwise: the initializer of 'b' captures 'this' at {{.*}}uses.cpp:[[@LINE+1]]:50, which may read any field [hone-padding-keep-order]
struct Lambda { int a = 5; char c = 1; long b = [this] { return a + 1; }(); char d = 2; };

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'Spaceship' {{.*}}but is unwise: its defaulted operator<=> at {{.*}}uses.cpp:[[@LINE+1]]:51 compares the fields in declaration order [hone-padding-keep-order]
struct Spaceship { char a; double b; char c; auto operator<=>(const Spaceship&) const = default; };
// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'Equal' {{.*}}but is unwise: its defaulted operator== at {{.*}}uses.cpp:[[@LINE+1]]:54 compares the fields in declaration order [hone-padding-keep-order]
struct Equal { char a; double b; char c; friend bool operator==(const Equal&, const Equal&) = default; };

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'Offsets' {{.*}}but is unwise: it has its field offsets read by offsetof at {{.*}}uses.cpp:[[@LINE+2]]:15 [hone-padding-keep-order]
struct Offsets { char a; double b; char c; };
static_assert(offsetof(Offsets, c) == 16);

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'Copied' {{.*}}but is unwise: it has its bytes passed to 'memcpy' at {{.*}}uses.cpp:[[@LINE+2]]:46 [hone-padding-keep-order]
struct Copied { char a; double b; char c; };
void save(const Copied& record, char* out) { std::memcpy(out, &record, sizeof record); }
// Copying one object to another of the same type does not depend on the order.
void copy(Copied& to, const Copied& from) { std::memcpy(&to, &from, sizeof to); }

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'Bytes' {{.*}}but is unwise: it has its bytes accessed through a cast to 'const unsigned char *' at {{.*}}uses.cpp:[[@LINE+2]]:51 [hone-padding-keep-order]
struct Bytes { char a; double b; char c; };
unsigned first_byte(const Bytes& bytes) { return *reinterpret_cast<const unsigned char*>(&bytes); }

// CHECK-DAG: uses.cpp:[[@LINE+2]]:8: note: struct 'Pack4' {{.*}}but is unwise: #pragma pack is in effect for it: its layout is deliberate [hone-padding-keep-order]
#pragma pack(push, 4)
struct Pack4 { char a; double b; char c; double d; char e; };
#pragma pack(pop)

// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'InUnion' {{.*}}but is unwise: it is a member of union 'Pun' at {{.*}}uses.cpp:[[@LINE+2]]:34, whose other members may read its fields by position (common initial sequence or type punning) [hone-padding-keep-order]
struct InUnion { char a; double b; char c; };
union Pun { long raw[3]; InUnion view; };

int counter = 0;
// A read of a global the other initializer changes: swapping them changes both values.
// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: note: struct 'ReadWrite' {{.*}}but is unwise: the initializer of 'seen' reads state at {{.*}}uses.cpp:[[@LINE+1]]:43 that the initializer of 'bumped' changes at {{.*}}uses.cpp:[[@LINE+1]]:85, and the new order would run them the other way round [hone-padding-keep-order]
struct ReadWrite { char a = 0; int seen = counter; char b = 0; long bumped = counter++; char c = 0; };

// Accepted: an allocation and a value object built from arguments cannot observe the order.
struct Point {
  Point(int x, int y) : x(x), y(y) {}
  int x;
  int y;
};
// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: warning: struct 'Owner' (32 bytes, 1 cache line) has 13 bytes of padding; the order buffer, point, a, b, c saves 8 bytes
struct Owner {
  char a = 'a';
  Point point{1, 2};
  char b = 'b';
  char* buffer = new char[16];
  char c = 'c';
  ~Owner() { delete[] buffer; }
};
// Accepted: the initializer reads a field that still comes first.
// CHECK-DAG: uses.cpp:[[@LINE+1]]:8: warning: struct 'ReadsEarlier' (24 bytes, 1 cache line) has 10 bytes of padding; the order b, c, a, d saves 8 bytes
struct ReadsEarlier { char a = 3; long b = 7; int c = b * 2; char d = a; };

int main() {
  DefaultReads default_reads;
  CallsMember calls_member;
  Lambda lambda;
  ReadWrite read_write;
  Owner owner;
  ReadsEarlier reads_earlier;
  std::printf("%ld %ld %ld %d %ld\n", default_reads.b, calls_member.b, lambda.b, read_write.seen, read_write.bumped);
  std::printf("%c %d %d %c %c\n", owner.a, owner.point.x, owner.point.y, owner.b, owner.c);
  std::printf("%d %ld %d %d\n", reads_earlier.a, reads_earlier.b, reads_earlier.c, reads_earlier.d);
  Spaceship s1{}, s2{};
  Equal e1{}, e2{};
  Pun pun{};
  Pack4 pack{};
  Copied copied{};
  char out[sizeof(Copied)];
  save(copied, out);
  std::printf("%d %d %d %d %u\n", s1 < s2, e1 == e2, static_cast<int>(pun.raw[0]), pack.a, first_byte(Bytes{}));
}
