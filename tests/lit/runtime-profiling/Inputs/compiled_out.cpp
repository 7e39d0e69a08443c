// Zones for compiled_out.test. With -DHONE_PROFILING_DISABLED the zones must leave nothing behind;
// with -DNO_ZONES the same functions are built with no zone written at all, as the reference.
#include "hone/profiling.h"

#if defined(NO_ZONES)
#undef HONE_ZONE
#undef HONE_FUNCTION_ZONE
#define HONE_ZONE(name) static_cast<void>(0)
#define HONE_FUNCTION_ZONE() static_cast<void>(0)
#undef HONE_ZONE_DYNAMIC
#undef HONE_ZONE_VALUE
#undef HONE_COUNTER
#undef HONE_FRAME_MARK
#undef HONE_MESSAGE
#define HONE_ZONE_DYNAMIC(name) static_cast<void>([&] { static_cast<void>(name); })
#define HONE_ZONE_VALUE(value) static_cast<void>(0)
#define HONE_COUNTER(name, value) static_cast<void>(0)
#define HONE_FRAME_MARK(name) static_cast<void>(0)
#define HONE_MESSAGE(text) static_cast<void>(0)
#endif

int checksum(const int* values, int count) {
  HONE_FUNCTION_ZONE();
  int sum = 0;
  for (int i = 0; i < count; ++i) {
    HONE_ZONE("compiled out zone");
    sum = sum * 31 + values[i];
  }
  // The trace extras leave nothing behind either (not even the names).
  const char* dynamic_name = "compiled out dynamic zone";
  HONE_ZONE_DYNAMIC(dynamic_name);
  HONE_ZONE_VALUE(sum);
  HONE_COUNTER("compiled out counter", sum);
  HONE_FRAME_MARK("compiled out frame");
  HONE_MESSAGE("compiled out message");
  return sum;
}
