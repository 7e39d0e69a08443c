// shapes COUNT ROUNDS: prints the total area, deterministic for given arguments.
#include <cstdio>
#include <cstdlib>
#include "shapes.h"
int main(int argc, char** argv) {
  int count = argc > 1 ? std::atoi(argv[1]) : 1000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 10;
  auto shapes = make_shapes(count, 42);
  std::printf("total %.1f\n", hot_total_area(shapes, rounds));
  return 0;
}
