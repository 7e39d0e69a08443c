# Benchmarks of runtime/pool and runtime/simd (issue 7), included from tests/bench/CMakeLists.txt.
# Figures and how they were taken: docs/runtime.md.

# Pools: one source, three executables. mimalloc and jemalloc replace malloc/operator new for the
# whole process when linked (Debian builds them unprefixed), so each gets its own executable; every
# executable also runs the hone pools, the side-by-side baseline.
hone_add_benchmark(hone_bench_pool SOURCES pool_bench.cpp LIBS hone_runtime)
if(HONE_BUILD_BENCHMARKS AND NOT HONE_SANITIZE)
  # (a sanitizer's own malloc interposer and a replacement allocator cannot both own malloc)
  find_library(HONE_MIMALLOC_LIBRARY NAMES mimalloc DOC "libmimalloc-dev, for the pool benchmarks")
  find_library(HONE_JEMALLOC_LIBRARY NAMES jemalloc DOC "libjemalloc-dev, for the pool benchmarks")
  if(HONE_MIMALLOC_LIBRARY)
    hone_add_benchmark(hone_bench_pool_mimalloc SOURCES pool_bench.cpp
                       LIBS ${HONE_MIMALLOC_LIBRARY} hone_runtime)
    target_compile_definitions(hone_bench_pool_mimalloc PRIVATE HONE_BENCH_ALLOCATOR="mimalloc")
  endif()
  if(HONE_JEMALLOC_LIBRARY)
    hone_add_benchmark(hone_bench_pool_jemalloc SOURCES pool_bench.cpp
                       LIBS ${HONE_JEMALLOC_LIBRARY} hone_runtime)
    target_compile_definitions(hone_bench_pool_jemalloc PRIVATE HONE_BENCH_ALLOCATOR="jemalloc")
  endif()
endif()

# SIMD: the kernels (every target) against the same loops written plainly in simd_reference_loops.inc,
# compiled twice: at -O2 with the vectorizer off (the strict scalar loop) and at -O3 -march=native
# (the compiler's best auto-vectorized loop for this machine). The -O3 file also holds the
# read-stream loop that measures memory bandwidth in the same run, and a Google Highway sum/dot (the
# alternative implementation the kernels were measured against; docs/runtime.md says why intrinsics
# won).
hone_add_benchmark(hone_bench_simd
  SOURCES simd_bench.cpp simd_reference_o2.cpp simd_reference_o3.cpp simd_bandwidth.cpp
  LIBS hone_runtime)
if(TARGET hone_bench_simd)
  # The Highway rows need only its headers (libhwy-dev); without them the rows are left out.
  find_path(HONE_HWY_INCLUDE_DIR hwy/highway.h DOC "Google Highway headers (libhwy-dev)")
  if(HONE_HWY_INCLUDE_DIR)
    target_sources(hone_bench_simd PRIVATE simd_highway.cpp)
    target_include_directories(hone_bench_simd PRIVATE ${HONE_HWY_INCLUDE_DIR})
    target_compile_definitions(hone_bench_simd PRIVATE HONE_BENCH_HAVE_HIGHWAY=1)
  endif()
  set_source_files_properties(simd_reference_o2.cpp PROPERTIES COMPILE_OPTIONS
    "-O2;-fno-tree-vectorize;-fno-tree-slp-vectorize")
  set_source_files_properties(simd_reference_o3.cpp PROPERTIES COMPILE_OPTIONS "-O3;-march=native")
  set_source_files_properties(simd_highway.cpp PROPERTIES COMPILE_OPTIONS "-O2;-mavx2;-mfma")
  set_source_files_properties(simd_bandwidth.cpp PROPERTIES COMPILE_OPTIONS "-O2;-mavx2")
endif()
