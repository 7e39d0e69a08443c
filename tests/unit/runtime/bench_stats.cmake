# Units of runtime/stats and runtime/regression (issue 8), included from tests/unit/CMakeLists.txt
# (so paths are relative to tests/unit): the U test against published values, the decision rule, the
# seeded simulation of its error rates, the sequential step detector's simulation and the regression
# monitor.
hone_add_gtest(runtime_bench_stats_tests
  SOURCES
    runtime/stats_mann_whitney_test.cpp
    runtime/stats_simulation_test.cpp
    runtime/stats_step_detector_test.cpp
    runtime/regression_monitor_test.cpp
  LIBS hone_runtime)

# driver/bench: Google Benchmark JSON parsing, thresholds, comparison and formatting.
hone_add_gtest(hone_bench_tests SOURCES driver/bench_compare_test.cpp driver/bench_ab_test.cpp LIBS hone_bench)
