// Highway's static AVX2 target, built correctly (see simd_highway_static.inc for the flags it needs).
#define HONE_HIGHWAY_NAMESPACE hone_highway_avx2
#include "simd_highway_static.inc"
