// Zones for compiled_out.test. With -DHONE_PROFILING_DISABLED the zones must leave nothing behind;
// with -DNO_ZONES the same functions are built with no zone written at all, as the reference.
#include "hone/profiling.h"

#if defined(NO_ZONES)
#undef HONE_ZONE
#undef HONE_FUNCTION_ZONE
#define HONE_ZONE(name) static_cast<void>(0)
#define HONE_FUNCTION_ZONE() static_cast<void>(0)
#endif

int checksum(const int* values, int count) {
  HONE_FUNCTION_ZONE();
  int sum = 0;
  for (int i = 0; i < count; ++i) {
    HONE_ZONE("compiled out zone");
    sum = sum * 31 + values[i];
  }
  return sum;
}
