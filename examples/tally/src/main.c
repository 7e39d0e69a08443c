/* tally's command line: `tally FILE...` runs each program's `fn main()` in turn. */
#include <stdio.h>
#include <stdlib.h>

#include "tally.h"

static char* read_file(const char* path) {
  FILE* file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "tally: error: cannot open '%s'\n", path);
    exit(2);
  }
  size_t capacity = 4096, size = 0;
  char* text = malloc(capacity);
  size_t got;
  while (text && (got = fread(text + size, 1, capacity - size - 1, file)) > 0) {
    size += got;
    if (capacity - size < 2) text = realloc(text, capacity *= 2);
  }
  fclose(file);
  if (!text) fatal("out of memory");
  text[size] = '\0';
  return text;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: tally PROGRAM.tl...\n");
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    char* source = read_file(argv[i]);
    Program* program = parse_program(source, argv[i]);
    run_program(program);
  }
  return 0;
}
