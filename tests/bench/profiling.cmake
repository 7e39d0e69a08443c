# runtime/profiling benchmarks (issue 6), included from tests/bench/CMakeLists.txt.
hone_add_benchmark(profiling_bench SOURCES profiling_bench.cpp LIBS hone_runtime)
