/* A small C program with one hot loop, built by the Makefile next to it. */
#include <stdio.h>
#include <stdlib.h>

static unsigned mix(unsigned value, unsigned round) {
  if (value % 3 == 0) return value * 7 + round;
  if (value % 5 == 0) return value ^ (round << 3);
  return value + 11;
}

int main(int argc, char** argv) {
  unsigned count = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1000;
  unsigned value = 1;
  for (unsigned i = 0; i < count; ++i) value = mix(value, i);
  printf("%u\n", value % 1000);
  return 0;
}
