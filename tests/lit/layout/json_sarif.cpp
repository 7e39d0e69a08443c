// --format json and --format sarif produce documents that parse, carry the finding and its savings;
// the SARIF log has the properties SARIF 2.1.0 requires (Inputs/check_sarif.py) and no placeholder
// informationUri (hone has no public home page to point at).
// REQUIRES: analyzers
// RUN: %hone layout --format json %s -- -std=c++20 > %t.json
// RUN: %python -c "import json,sys; d=json.load(open(sys.argv[1])); print('parsed', type(d).__name__)" %t.json | FileCheck %s --check-prefix=PARSE
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: %hone layout --format sarif %s -- -std=c++20 > %t.sarif
// RUN: %python -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['version'], len(d['runs'][0]['results']))" %t.sarif | FileCheck %s --check-prefix=SARIF
// RUN: %python %S/Inputs/check_sarif.py %t.sarif | FileCheck %s --check-prefix=VALID
// RUN: %python -c "import json,sys; d=json.load(open(sys.argv[1])); print('informationUri' in d['runs'][0]['tool']['driver'])" %t.sarif | FileCheck %s --check-prefix=NOURI
// A partial run (a TU that does not parse) says so in the invocation.
// RUN: echo 'struct Broken { int x = ; };' > %t.broken.cpp
// RUN: not %hone layout --format sarif %t.broken.cpp %s -- -std=c++20 > %t.partial.sarif 2> /dev/null
// RUN: %python %S/Inputs/check_sarif.py %t.partial.sarif | FileCheck %s --check-prefix=VALID
// RUN: %python -c "import json,sys; i=json.load(open(sys.argv[1]))['runs'][0]['invocations'][0]; print(i['executionSuccessful'], i['toolExecutionNotifications'][0]['message']['text'])" %t.partial.sarif | FileCheck %s --check-prefix=PARTIAL
// RUN: not %hone layout --format xml %s -- -std=c++20 2>&1 | FileCheck %s --check-prefix=BADFMT
// PARSE: parsed
// JSON: Holey
// SARIF: 2.1.0 1
// VALID: ok: 1 results
// NOURI: False
// PARTIAL: False translation unit did not parse: {{.*}}broken.cpp
// BADFMT: hone: error:
struct Holey {
  char a;
  double b;
  char c;
  double d;
  char e;
};
Holey holey;
