// REQUIRES: analyzers
// JSON and SARIF say what the report was measured with: per TU the compiler, the first line of its
// --version, the absolute compile folder and the flags after hone's rewriting.
// RUN: cd %S && %hone vec --format json %s -- -O2 -mavx2 | FileCheck %s
// RUN: cd %S && %hone vec --format sarif %s -- -O2 | FileCheck %s --check-prefix=SARIF
// CHECK: "compiles": [
// CHECK-NEXT: {
// CHECK-NEXT: "compiler": "{{.*}}clang",
// CHECK-NEXT: "compiler_version": "{{.*}}clang version 19.{{.*}}",
// CHECK-NEXT: "directory": "/{{.*}}",
// CHECK-NEXT: "file": "{{.*}}json_compiles.c",
// CHECK-NEXT: "flags": [
// CHECK-NEXT: "-O2",
// CHECK-NEXT: "-mavx2"
// SARIF: "compiler_version": "{{.*}}clang version 19.
float sum(const float *a, int n) {
  float s = 0;
  for (int i = 0; i < n; i++)
    s += a[i];
  return s;
}
