/* A tiny bytecode interpreter dispatching with computed gotos (labels as values), the way fast
   interpreters do. LLVM 19's BOLT cannot rewrite such a dispatch loop in a position-independent
   executable and names the function in a BOLT-ERROR line: hone must skip it and retry. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static long interpret(const unsigned char* code, int length, long steps) {
  static void* const dispatch[] = {&&op_add, &&op_sub, &&op_mul, &&op_halt};
  long accumulator = 1;
  long pc = 0;
#define NEXT goto* dispatch[code[pc++ % length]]
  NEXT;
op_add:
  accumulator += 3;
  if (pc > steps) return accumulator;
  NEXT;
op_sub:
  accumulator -= 1;
  NEXT;
op_mul:
  accumulator = accumulator * 3 % 1000003;
  NEXT;
op_halt:
  return accumulator;
#undef NEXT
}

int main(int argc, char** argv) {
  long steps = argc > 1 ? atol(argv[1]) : 1000;
  unsigned char code[64];
  for (int i = 0; i < 64; ++i) code[i] = (unsigned char)(i * 7 % 3);
  printf("%ld\n", interpret(code, 64, steps));
  return 0;
}
