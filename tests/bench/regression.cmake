# runtime/stats and runtime/regression benchmarks (issues 8 and 14), included from
# tests/bench/CMakeLists.txt. regression_monitor_v1 is the issue 8 monitor, kept as the side-by-side
# baseline of the new record().
hone_add_benchmark(regression_bench SOURCES regression_bench.cpp regression_monitor_v1.cpp LIBS hone_runtime)
# The loop regression_instructions.py runs under callgrind (instructions per record). Built with the
# benchmarks; not a ctest entry (callgrind takes tens of seconds).
if(HONE_BUILD_BENCHMARKS)
  add_executable(regression_record_loop regression_record_loop.cpp regression_monitor_v1.cpp)
  target_link_libraries(regression_record_loop PRIVATE hone_runtime)
  hone_target_defaults(regression_record_loop)
endif()
# Error rates of the issue 8 monitor and the new one on the same seeded data (docs/runtime.md).
if(HONE_BUILD_BENCHMARKS)
  add_executable(regression_error_rates regression_error_rates.cpp regression_monitor_v1.cpp)
  target_link_libraries(regression_error_rates PRIVATE hone_runtime)
  hone_target_defaults(regression_error_rates)
endif()
