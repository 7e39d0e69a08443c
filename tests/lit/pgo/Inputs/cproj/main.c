/* wordfreq N [SEED]: generates N pseudo-random words and counts distinct ones. Exit 3 on N < 0. */
#include <stdio.h>
#include <stdlib.h>
#include "table.h"

int hot_count_words(const char* text, unsigned long length);

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
  if (n < 0) {
    fprintf(stderr, "wordfreq: negative count\n");
    return 3;
  }
  char* text = malloc((size_t)n * 8 + 1);
  unsigned long length = 0;
  for (long i = 0; i < n; ++i) {
    int letters = 1 + (int)((seed >> 7) % 5);
    for (int j = 0; j < letters; ++j) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      text[length++] = (char)('a' + (seed >> 59) % 6);
    }
    text[length++] = ' ';
  }
  int words = hot_count_words(text, length);
  printf("words %d distinct %zu checksum %lu\n", words, table_size(), table_checksum());
  free(text);
  return 0;
}
