/* The C counterpart of sites.cpp for the preload library: make_rows() requests 8,192,000 bytes
   (2,000 rows of 4,096), make_names() 320,000 (10,000 of 32). */
#include <stdio.h>
#include <stdlib.h>

static void* g_blocks[12000];
static int g_count;

__attribute__((noinline)) static void make_rows(void) {
  for (int i = 0; i < 2000; ++i) g_blocks[g_count++] = malloc(4096);
}

__attribute__((noinline)) static void make_names(void) {
  for (int i = 0; i < 10000; ++i) g_blocks[g_count++] = malloc(32);
}

int main(void) {
  make_rows();
  make_names();
  for (int i = 0; i < g_count; ++i) free(g_blocks[i]);
  printf("%d blocks\n", g_count);
  return 0;
}
