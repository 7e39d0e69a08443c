/* The hot path: split generated text into words and count them. */
#include "table.h"

int hot_count_words(const char* text, unsigned long length) {
  int words = 0;
  unsigned long start = 0;
  for (unsigned long i = 0; i <= length; ++i) {
    char c = i < length ? text[i] : ' ';
    int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      if (i > start) {
        table_add(text + start, i - start);
        words++;
      }
      start = i + 1;
    }
  }
  return words;
}
