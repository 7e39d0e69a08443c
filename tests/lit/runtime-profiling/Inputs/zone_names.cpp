// Zone names for literal-only.test: a string literal compiles; a variable (whose text the profiler
// could not keep, since it stores the pointer) must not.
#include "hone/profiling.h"

#include <string>

void literal() { HONE_ZONE("a literal"); }

#if defined(POINTER_NAME)
void pointer(const char* name) { HONE_ZONE(name); }
#endif

#if defined(STRING_NAME)
void string(const std::string& name) { HONE_ZONE(name.c_str()); }
#endif
