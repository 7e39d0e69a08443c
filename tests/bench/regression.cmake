# runtime/stats and runtime/regression benchmarks (issue 8), included from tests/bench/CMakeLists.txt.
hone_add_benchmark(regression_bench SOURCES regression_bench.cpp LIBS hone_runtime)
