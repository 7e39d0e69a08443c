/* Word-count table: open addressing with linear probing. */
#include <string.h>
#include "table.h"

#define SLOTS 65536
static char words[SLOTS][24];
static unsigned counts[SLOTS];
static size_t used;

static unsigned long hash_word(const char* word, size_t length) {
  unsigned long h = 1469598103934665603UL;
  for (size_t i = 0; i < length; ++i) h = (h ^ (unsigned char)word[i]) * 1099511628211UL;
  return h;
}

void table_add(const char* word, size_t length) {
  if (length > 23) length = 23;
  unsigned long slot = hash_word(word, length) & (SLOTS - 1);
  while (counts[slot] != 0) {
    if (strncmp(words[slot], word, length) == 0 && words[slot][length] == '\0') {
      counts[slot]++;
      return;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
  memcpy(words[slot], word, length);
  words[slot][length] = '\0';
  counts[slot] = 1;
  used++;
}

unsigned long table_checksum(void) {
  unsigned long sum = 0;
  for (size_t i = 0; i < SLOTS; ++i) sum = sum * 31 + counts[i];
  return sum;
}

size_t table_size(void) { return used; }
