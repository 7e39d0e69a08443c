// A program with one obvious top allocation site, for sites.test: fill_cache() requests 10,240,000
// bytes (20,000 blocks of 512), parse_tokens() 1,600,000 (100,000 of 16) and main() a few more. The
// functions are noinline so each is a frame of its own; the blocks are kept until the end so the
// compiler cannot remove an allocation it sees unused.
#include <cstdio>
#include <vector>

namespace {

std::vector<char*> g_blocks;

__attribute__((noinline)) void fill_cache() {
  for (int i = 0; i < 20000; ++i) g_blocks.push_back(new char[512]);
}

__attribute__((noinline)) void parse_tokens() {
  for (int i = 0; i < 100000; ++i) g_blocks.push_back(new char[16]);
}

}  // namespace

int main() {
  g_blocks.reserve(120000);
  fill_cache();
  parse_tokens();
  for (char* block : g_blocks) delete[] block;
  std::printf("%zu blocks\n", g_blocks.size());
}
