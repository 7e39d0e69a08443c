// A program with one known hot function for the `hone profile` tests: hot_function does ~85% of the
// work, warm_function the rest, both called from run(). The loops depend on argv so the compiler
// cannot fold them; the exit code is argv[2] (default 0), to test a failing command.
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) double hot_function(long n) {
  double sum = 0;
  for (long i = 1; i <= n; ++i) sum += 1.0 / (double)i;
  return sum;
}

__attribute__((noinline)) double warm_function(long n) {
  double sum = 0;
  for (long i = 1; i <= n; ++i) sum += (double)(i % 7);
  return sum;
}

__attribute__((noinline)) double run(long scale) {
  double total = 0;
  for (int round = 0; round < 10; ++round) {
    total += hot_function(6 * scale + round);  // "+ round": no two calls can be merged
    total += warm_function(scale + round);
  }
  return total;
}

int main(int argc, char** argv) {
  const long scale = argc > 1 ? atol(argv[1]) : 1000000;
  printf("result %.3f\n", run(scale));
  return argc > 2 ? atoi(argv[2]) : 0;
}
