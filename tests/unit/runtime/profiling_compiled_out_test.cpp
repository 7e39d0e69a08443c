// Built with HONE_PROFILING_DISABLED: the zone macros must expand to nothing, so a zone entered here
// never appears in a report even though recording is switched on.
#include "hone/profiling.h"

#include <gtest/gtest.h>

#ifndef HONE_PROFILING_DISABLED
#error "this file must be compiled with HONE_PROFILING_DISABLED"
#endif

namespace {

void compiled_out_function() {
  HONE_FUNCTION_ZONE();
  HONE_ZONE("compiled out zone");
  const char* dynamic_name = "compiled out dynamic zone";
  HONE_ZONE_DYNAMIC(dynamic_name);
  HONE_ZONE_VALUE(42);
  HONE_COUNTER("compiled out counter", 1);
  HONE_FRAME_MARK("compiled out frame");
  HONE_MESSAGE("compiled out message");
}

TEST(ProfilingCompiledOut, MacrosRecordNothing) {
  hone::profiling::set_enabled(true);
  for (int i = 0; i < 10; ++i) compiled_out_function();
  for (const auto& zone : hone::profiling::snapshot()) {
    EXPECT_NE(zone.name, "compiled out zone");
    EXPECT_NE(zone.name, "compiled_out_function");
    EXPECT_NE(zone.name, "compiled out dynamic zone");
  }
}

}  // namespace
