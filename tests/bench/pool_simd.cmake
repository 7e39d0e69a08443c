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
# won, and tests/bench/runtime_ratios.py for the full comparison).
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
  # (Highway 1.0.3 compiles its static AVX2 target only with all of these; with -mavx2 -mfma alone it
  # silently built SSSE3/SSE4 code, which made the comparison in docs/runtime.md before issue 14 invalid)
  set_source_files_properties(simd_highway.cpp PROPERTIES COMPILE_OPTIONS
    "-O2;-mavx2;-mfma;-mbmi;-mbmi2;-mf16c;-maes;-mpclmul")
  set_source_files_properties(simd_bandwidth.cpp PROPERTIES COMPILE_OPTIONS "-O2;-mavx2")
endif()

# SIMD ratios (issue 14): hone's kernels against a correctly built Highway (static AVX2, static
# -march=native, dynamic dispatch through libhwy), against the strict loop, GCC -O3 -march=native, and
# clang 19 -O3 -march=native with and without -ffast-math, at n = 4 and 64 and in L1, L2 and 64 MiB.
# tests/bench/runtime_ratios.py runs it. The clang rows are objects compiled by clang++-19 whatever the
# build's compiler; rows whose tool is missing are left out (the executable says which).
hone_add_benchmark(hone_bench_simd_ratios SOURCES simd_ratios_bench.cpp simd_reference_o2.cpp simd_reference_o3.cpp
                   LIBS hone_runtime)
if(TARGET hone_bench_simd_ratios)
  find_library(HONE_HWY_LIBRARY NAMES hwy DOC "libhwy (libhwy-dev), for Highway's dynamic dispatch")
  if(HONE_HWY_INCLUDE_DIR AND HONE_HWY_LIBRARY)
    target_sources(hone_bench_simd_ratios PRIVATE simd_highway_avx2.cpp simd_highway_native.cpp simd_highway_dynamic.cpp)
    target_include_directories(hone_bench_simd_ratios PRIVATE ${HONE_HWY_INCLUDE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(hone_bench_simd_ratios PRIVATE ${HONE_HWY_LIBRARY})
    target_compile_definitions(hone_bench_simd_ratios PRIVATE HONE_BENCH_HAVE_HIGHWAY=1)
    set_source_files_properties(simd_highway_avx2.cpp PROPERTIES COMPILE_OPTIONS
      "-O2;-mavx2;-mfma;-mbmi;-mbmi2;-mf16c;-maes;-mpclmul;-DHWY_COMPILE_ONLY_STATIC=1")
    set_source_files_properties(simd_highway_native.cpp PROPERTIES COMPILE_OPTIONS
      "-O2;-march=native;-DHWY_COMPILE_ONLY_STATIC=1")
  endif()
  find_program(HONE_CLANGXX19 clang++-19 DOC "clang 19, for the clang rows of hone_bench_simd_ratios")
  if(HONE_CLANGXX19)
    foreach(variant clang clang_fast)
      set(object ${CMAKE_CURRENT_BINARY_DIR}/simd_reference_${variant}.o)
      set(fast_math "")
      if(variant STREQUAL "clang_fast")
        set(fast_math "-ffast-math")
      endif()
      add_custom_command(OUTPUT ${object}
        COMMAND ${HONE_CLANGXX19} -std=c++20 -O3 -march=native ${fast_math} -DHONE_REFERENCE_NAMESPACE=hone_ref_${variant}
                -c ${CMAKE_CURRENT_SOURCE_DIR}/simd_reference_clang.cpp -o ${object}
        DEPENDS simd_reference_clang.cpp simd_reference_loops.inc simd_reference.h
        COMMENT "clang++-19 -O3 -march=native ${fast_math} simd_reference_clang.cpp"
        VERBATIM)
      target_sources(hone_bench_simd_ratios PRIVATE ${object})
    endforeach()
    target_compile_definitions(hone_bench_simd_ratios PRIVATE HONE_BENCH_HAVE_CLANG=1)
  endif()
endif()
