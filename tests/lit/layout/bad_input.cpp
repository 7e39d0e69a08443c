// Bad input: a missing file is a usage error (exit 2); a TU that does not compile is reported by
// name and the others are still analyzed (exit 3, partial report).
// REQUIRES: analyzers
// RUN: not %hone layout %t.missing.cpp -- -std=c++20 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: hone: error:{{.*}}missing.cpp
// RUN: echo 'struct Broken { int x = ; };' > %t.broken.cpp
// RUN: %hone layout %t.broken.cpp %s -- -std=c++20 > %t.out 2> %t.err; echo "exit=$?" >> %t.out
// RUN: FileCheck %s --check-prefix=PARTIAL < %t.out
// RUN: FileCheck %s --check-prefix=ERR < %t.err
// PARTIAL: bad_input.cpp:[[@LINE+3]]:8: warning: struct 'Padded'
// PARTIAL: exit=3
// ERR: broken.cpp
struct Padded {
  char a;
  double b;
  char c;
  double d;
  char e;
};
Padded use_it;
