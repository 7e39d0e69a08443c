// The reference loops at -O2 with the vectorizers off: the strict, in-order scalar baseline.
#include "simd_reference.h"

#define HONE_REFERENCE_NAMESPACE hone_ref_o2
#include "simd_reference_loops.inc"
