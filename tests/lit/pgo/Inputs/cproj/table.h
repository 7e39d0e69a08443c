/* A tiny open-addressing hash table of word counts. */
#ifndef TABLE_H
#define TABLE_H
#include <stddef.h>
void table_add(const char* word, size_t length);
unsigned long table_checksum(void);
size_t table_size(void);
#endif
