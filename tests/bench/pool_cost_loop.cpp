// The loop pool_instructions.py runs under callgrind: ObjectPool create/destroy pairs, repeated N
// times (argv[2]) in one of three shapes (argv[1]):
//   one       one pool: the fast path alone;
//   apart8    two pools created 8 apart (seven others in between, alive and idle), alternating: the
//             pattern that made them share a thread-cache entry before issue 14's fix;
//   nine      nine live pools in turn: the ninth uses a per-thread overflow cache.
// Each iteration is one pair per pool it touches (one, two or nine pairs).
#include <hone/object_pool.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

struct Object64 {
  long values[8];
};

long run(std::vector<std::unique_ptr<hone::ObjectPool<Object64>>>& pools, const std::vector<std::size_t>& used,
         long iterations) {
  long sum = 0;
  for (long i = 0; i < iterations; ++i) {
    for (const std::size_t p : used) {
      Object64* object = pools[p]->create();
      object->values[0] = i;
      sum += object->values[0];
      pools[p]->destroy(object);
    }
  }
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: pool_cost_loop one|apart8|nine ITERATIONS\n");
    return 2;
  }
  const long iterations = std::strtol(argv[2], nullptr, 10);
  std::vector<std::unique_ptr<hone::ObjectPool<Object64>>> pools;
  for (int p = 0; p < 9; ++p) pools.push_back(std::make_unique<hone::ObjectPool<Object64>>());
  std::vector<std::size_t> used;
  if (std::strcmp(argv[1], "one") == 0) {
    used = {0};
  } else if (std::strcmp(argv[1], "apart8") == 0) {
    used = {0, 8};
  } else if (std::strcmp(argv[1], "nine") == 0) {
    used = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  } else {
    std::fprintf(stderr, "pool_cost_loop: unknown shape '%s'\n", argv[1]);
    return 2;
  }
  const long sum = run(pools, used, iterations);
  std::printf("%ld\n", sum);
  return 0;
}
