/* A small program with a branchy hot loop, enough for a profile to say something. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += (i % 7 == 0) ? i / 3 : i % 11;
  printf("sum %ld\n", sum);
  return 0;
}
