# runtime/alloc benchmarks (issue 6), included from tests/bench/CMakeLists.txt: one source, built
# untracked (the baseline) and linked with hone::alloc_tracking. alloc_overhead.py prints the ratios.
# Not in sanitizer builds, whose own operator new interposition is what the baseline would measure.
if(NOT HONE_SANITIZE)
  hone_add_benchmark(alloc_bench SOURCES alloc_bench.cpp LIBS hone_runtime)
  hone_add_benchmark(alloc_bench_tracked SOURCES alloc_bench.cpp LIBS hone_alloc_tracking)
  if(TARGET alloc_bench_tracked)
    target_compile_definitions(alloc_bench_tracked PRIVATE HONE_BENCH_TRACKED)
  endif()
  # The loop alloc_instructions.py counts under callgrind (not a ctest entry), built the same two ways.
  if(HONE_BUILD_BENCHMARKS)
    add_executable(alloc_pair_loop alloc_pair_loop.cpp)
    hone_target_defaults(alloc_pair_loop)
    add_executable(alloc_pair_loop_tracked alloc_pair_loop.cpp)
    target_link_libraries(alloc_pair_loop_tracked PRIVATE hone_alloc_tracking)
    hone_target_defaults(alloc_pair_loop_tracked)
  endif()
endif()
