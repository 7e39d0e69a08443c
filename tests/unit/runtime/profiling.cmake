# Units of runtime/profiling (issue 6), included from tests/unit/CMakeLists.txt (paths relative to
# tests/unit). The second executable compiles the same zone macros with HONE_PROFILING_DISABLED.
find_package(nlohmann_json REQUIRED)
hone_add_gtest(runtime_profiling_tests
  SOURCES
    runtime/profiling_histogram_test.cpp
    runtime/profiling_zone_test.cpp
    runtime/profiling_trace_test.cpp
    runtime/profiling_stream_test.cpp
    runtime/profiling_perfetto_test.cpp
    runtime/profiling_compiled_out_test.cpp
  LIBS hone_runtime nlohmann_json::nlohmann_json)
set_source_files_properties(runtime/profiling_compiled_out_test.cpp PROPERTIES
  COMPILE_DEFINITIONS HONE_PROFILING_DISABLED)
