# Units of runtime/pool, runtime/simd and runtime/layout (issue 7), included from
# tests/unit/CMakeLists.txt (so paths are relative to tests/unit). Every SIMD target compiled into the
# library and supported by the CPU is tested against the scalar reference on every run.
hone_add_gtest(runtime_pool_simd_tests
  SOURCES
    runtime/layout_test.cpp
    runtime/pool_fixed_arena_test.cpp
    runtime/pool_object_pool_test.cpp
    runtime/simd_dispatch_test.cpp
    runtime/simd_kernels_test.cpp
  LIBS hone_runtime)
