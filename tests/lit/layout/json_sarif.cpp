// --format json and --format sarif produce documents that parse, carry the finding and its savings.
// RUN: %hone layout --format json %s -- -std=c++20 > %t.json
// RUN: %python -c "import json,sys; d=json.load(open(sys.argv[1])); print('parsed', type(d).__name__)" %t.json | FileCheck %s --check-prefix=PARSE
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: %hone layout --format sarif %s -- -std=c++20 > %t.sarif
// RUN: %python -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['version'], len(d['runs'][0]['results']))" %t.sarif | FileCheck %s --check-prefix=SARIF
// RUN: not %hone layout --format xml %s -- -std=c++20 2>&1 | FileCheck %s --check-prefix=BADFMT
// PARSE: parsed
// JSON: Holey
// SARIF: 2.1.0 1
// BADFMT: hone: error:
struct Holey {
  char a;
  double b;
  char c;
  double d;
  char e;
};
Holey holey;
