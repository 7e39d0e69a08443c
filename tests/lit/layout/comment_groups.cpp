// A comment that stands on its own between fields (a blank line or another comment separates it from the
// next field) heads the group of fields after it. --fix never moves a field out of its group: a record
// whose minimum-size order would mix the groups is left unchanged, with the place of the comment. A
// comment directly above a field (no blank line) is that field's and moves with it.
// REQUIRES: analyzers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/groups.cpp
// RUN: %hone layout --fix %t/groups.cpp -- -std=c++20 > %t/report.txt 2> %t/summary.txt
// RUN: FileCheck %s < %t/report.txt
// RUN: FileCheck %s --check-prefix=SOURCE < %t/groups.cpp
// RUN: FileCheck %s --check-prefix=SUMMARY < %t/summary.txt
// SUMMARY: hone: --fix reordered 1 record in 1 file

// CHECK: groups.cpp:[[@LINE+1]]:8: note: --fix: left 'Options' unchanged: the comment at {{.*}}groups.cpp:[[@LINE+7]]:3 heads a group of fields, and the new order would move 'write_buffer_size' out of its group
struct Options {
  // Parameters that affect behavior

  // If true, the database is created if it is missing.
  bool create_if_missing = false;

  // Parameters that affect performance

  // Bytes to build up in memory before writing a file.
  unsigned long write_buffer_size = 4 << 20;
  bool paranoid_checks = false;
  double compression_ratio = 0.5;
};
Options options;

// CHECK: groups.cpp:[[@LINE+1]]:8: note: --fix: reordered the fields of 'Documented'
struct Documented {
  // The tag.
  char tag;
  // The value.
  double value;
  char other;
};
// SOURCE:      struct Documented {
// SOURCE-NEXT:   // The value.
// SOURCE-NEXT:   double value;
// SOURCE-NEXT:   // The tag.
// SOURCE-NEXT:   char tag;
// SOURCE-NEXT:   char other;
// SOURCE-NEXT: };
Documented documented;
