// `// NOLINT(hone-padding)` on a record's line, or `// NOLINTNEXTLINE(...)` on the line before, drops
// that finding from the text, JSON and SARIF reports, from --fail-on, --fix and --export-fixes; a glob
// (`hone-*`) names several checks; a bare `// NOLINT` (clang-tidy's, for other checks) and a NOLINT
// naming another check do not silence hone. stderr says how many findings were suppressed.
// REQUIRES: analyzers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/prog.cpp && cp %s %t/orig.cpp
// RUN: %hone layout %t/prog.cpp -- -std=c++20 > %t/report.txt 2> %t/err.txt
// RUN: FileCheck %s --check-prefix=TEXT < %t/report.txt
// RUN: FileCheck %s --check-prefix=NOTE < %t/err.txt
// TEXT-NOT: 'Named'
// TEXT-NOT: 'NextLine'
// TEXT-NOT: 'Globbed'
// TEXT:     prog.cpp:[[@LINE+12]]:8: warning: struct 'Bare'
// TEXT-NOT: 'Named'
// TEXT:     prog.cpp:[[@LINE+21]]:8: warning: struct 'OtherCheck'
// TEXT-NOT: 'Named'
// TEXT-NOT: 'NextLine'
// TEXT-NOT: 'Globbed'
// NOTE: hone: note: 3 findings suppressed by NOLINT comments naming the check
struct Named {  // NOLINT(hone-padding)
  char a;
  double b;
  char c;
};
struct Bare {  // NOLINT
  char a;
  double b;
  char c;
};
// NOLINTNEXTLINE(bugprone-something, hone-padding)
struct NextLine {
  char a;
  double b;
  char c;
};
struct OtherCheck {  // NOLINT(hone-layout)
  char a;
  double b;
  char c;
};
struct Globbed {  /* NOLINT(hone-*) */
  char a;
  double b;
  char c;
};
// NOLINTNEXTLINE(hone-padding)

struct TooFar {  // NOLINTNEXTLINE reaches the next line only
  char a;
  double b;
  char c;
};
// TEXT: prog.cpp:[[@LINE-5]]:8: warning: struct 'TooFar'

// JSON and SARIF leave them out too.
// RUN: %hone layout %t/prog.cpp --format json -- -std=c++20 2>/dev/null | FileCheck %s --check-prefix=JSON
// JSON-NOT: "Named"
// JSON-NOT: "NextLine"
// JSON-NOT: "Globbed"
// JSON: "record": "Bare"
// RUN: %hone layout %t/prog.cpp --format sarif -- -std=c++20 2>/dev/null | FileCheck %s --check-prefix=SARIF
// SARIF-NOT: 'Named'
// SARIF: 'Bare'
// SARIF-NOT: 'Named'

// --fail-on padding: exit 1 while an unsuppressed finding is left, 0 once all are suppressed.
// RUN: %hone layout %t/prog.cpp --fail-on padding -- -std=c++20 > /dev/null 2>&1; echo "exit=$?" > %t/exit.txt
// RUN: FileCheck %s --check-prefix=FAIL < %t/exit.txt
// FAIL: exit=1
// RUN: sed -e 's|struct Bare {  // NOLINT|struct Bare {  // NOLINT(hone-padding)|' -e 's|struct OtherCheck {  // NOLINT(hone-layout)|struct OtherCheck {  // NOLINT(hone-layout,hone-padding)|' -e 's|^struct TooFar {|struct TooFar {  // NOLINT(hone-padding)|' %t/orig.cpp > %t/all.cpp
// RUN: %hone layout %t/all.cpp --fail-on padding -- -std=c++20 > %t/all.txt 2> %t/all.err; echo "exit=$?" >> %t/all.txt
// RUN: FileCheck %s --check-prefix=ALLSUPPRESSED < %t/all.txt
// RUN: FileCheck %s --check-prefix=ALLNOTE < %t/all.err
// ALLSUPPRESSED-NOT: warning
// ALLSUPPRESSED: exit=0
// ALLNOTE: hone: note: 6 findings suppressed

// --fix leaves the suppressed records as they are and reorders the others.
// RUN: %hone layout --fix %t/prog.cpp -- -std=c++20 > /dev/null 2> %t/fix.txt
// RUN: FileCheck %s --check-prefix=FIX < %t/fix.txt
// FIX: hone: --fix reordered 3 records in 1 file
// RUN: FileCheck %s --check-prefix=FIXED < %t/prog.cpp
// FIXED:      struct Named {  // NOLINT(hone-padding)
// FIXED-NEXT:   char a;
// FIXED-NEXT:   double b;
// FIXED:      struct Bare {  // NOLINT
// FIXED-NEXT:   double b;
// FIXED:      struct NextLine {
// FIXED-NEXT:   char a;
// FIXED-NEXT:   double b;
// FIXED:      struct OtherCheck {  // NOLINT(hone-layout)
// FIXED-NEXT:   double b;
// FIXED:      struct Globbed {  /* NOLINT(hone-*) */
// FIXED-NEXT:   char a;
// FIXED-NEXT:   double b;
// FIXED:      struct TooFar {
// FIXED-NEXT:   double b;

Named named;
Bare bare;
NextLine next_line;
OtherCheck other_check;
Globbed globbed;
TooFar too_far;
