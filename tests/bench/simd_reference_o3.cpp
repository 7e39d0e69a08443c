// The reference loops at -O3 -march=native: the compiler's own auto-vectorization for this machine
// (floating-point reductions stay in order without -ffast-math, as the language requires).
#include "simd_reference.h"

#define HONE_REFERENCE_NAMESPACE hone_ref_o3
#include "simd_reference_loops.inc"
