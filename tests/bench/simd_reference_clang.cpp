// The reference loops compiled by clang 19 instead of the build's compiler, at -O3 -march=native and
// at -O3 -march=native -ffast-math (the namespace comes from the command line: hone_ref_clang or
// hone_ref_clang_fast; tests/bench/pool_simd.cmake builds both). With -ffast-math the compiler may
// reorder floating-point reductions and vectorizes sum and dot itself: the row issue 14 asked for.
#include "simd_reference.h"

#ifndef HONE_REFERENCE_NAMESPACE
#error "compile with -DHONE_REFERENCE_NAMESPACE=hone_ref_clang or hone_ref_clang_fast"
#endif
#include "simd_reference_loops.inc"
