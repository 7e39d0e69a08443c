// An outside program using ObjectPool with default options: prints whether the pool's debug checks
// are on (they count live objects; without them live_objects() is 0 and no operation takes the
// pool's mutex) and, given "double-free", releases one object twice so the checks can catch it.
// Built by tests/lit/runtime-install/*.test with plain compiler lines and through CMake.
#include <hone/object_pool.h>

#include <cstdio>
#include <cstring>

namespace {
struct Order {
  long id;
  double price;
};
}  // namespace

int main(int argc, char** argv) {
  hone::ObjectPool<Order> orders;
  hone::PoolHandle<Order> order = orders.make(Order{42, 9.5});
  std::printf("pool checks %s, live objects %zu\n", hone::k_pool_checks_default ? "on" : "off",
              orders.live_objects());
  std::fflush(stdout);  // the checks abort the process below
  if (argc > 1 && std::strcmp(argv[1], "double-free") == 0) {
    Order* raw = orders.create(Order{7, 1.0});
    orders.destroy(raw);
    orders.destroy(raw);
    std::puts("double free not caught");
  }
  return 0;
}
