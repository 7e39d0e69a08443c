# runtime/profiling benchmarks (issue 6), included from tests/bench/CMakeLists.txt.
hone_add_benchmark(profiling_bench SOURCES profiling_bench.cpp LIBS hone_runtime)
# The loop that zone_instructions.py runs under callgrind (instructions per zone). Built with the
# benchmarks; not a ctest entry (callgrind takes tens of seconds).
if(HONE_BUILD_BENCHMARKS)
  add_executable(zone_cost_loop zone_cost_loop.cpp)
  target_link_libraries(zone_cost_loop PRIVATE hone_runtime)
  hone_target_defaults(zone_cost_loop)
endif()
