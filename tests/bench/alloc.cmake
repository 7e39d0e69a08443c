# runtime/alloc benchmarks (issue 6), included from tests/bench/CMakeLists.txt: one source, built
# untracked (the baseline) and linked with hone::alloc_tracking. alloc_overhead.py prints the ratios.
# Not in sanitizer builds, whose own operator new interposition is what the baseline would measure.
if(NOT HONE_SANITIZE)
  hone_add_benchmark(alloc_bench SOURCES alloc_bench.cpp LIBS hone_runtime)
  hone_add_benchmark(alloc_bench_tracked SOURCES alloc_bench.cpp LIBS hone_alloc_tracking)
  if(TARGET alloc_bench_tracked)
    target_compile_definitions(alloc_bench_tracked PRIVATE HONE_BENCH_TRACKED)
  endif()
endif()
