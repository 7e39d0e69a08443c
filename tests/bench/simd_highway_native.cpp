// Highway's static target for -march=native (AVX3, i.e. AVX-512, on an AVX-512 machine).
#define HONE_HIGHWAY_NAMESPACE hone_highway_native
#include "simd_highway_static.inc"
