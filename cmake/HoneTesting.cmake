# Test helpers: GoogleTest unit executables, Google Benchmark executables (smoke-run by ctest) and lit
# suites. Everything a user does on the command line is a lit test; C++ units are gtest; performance
# claims live in benchmarks, which ctest only smoke-runs so the suite stays fast and deterministic.

find_package(GTest REQUIRED)
include(GoogleTest)

# hone_add_gtest(<name> SOURCES <files...> LIBS <targets...>): one unit-test executable whose tests
# become individual ctest entries labelled "unit".
function(hone_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  hone_target_defaults(${name})
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()

# hone_add_benchmark(<name> SOURCES <files...> LIBS <targets...>): a Google Benchmark executable,
# smoke-run by ctest with a tiny minimum time (label "bench"); run it directly for real figures.
function(hone_add_benchmark name)
  if(NOT HONE_BUILD_BENCHMARKS)
    return()
  endif()
  find_package(benchmark REQUIRED)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark)
  hone_target_defaults(${name})
  add_test(NAME bench.${name} COMMAND ${name} --benchmark_min_time=0.001)
  set_tests_properties(bench.${name} PROPERTIES LABELS bench)
endfunction()

# hone_add_lit_suite(<folder under tests/lit> [DEPENDS targets...] [LABELS labels...]): one ctest entry
# that runs that lit folder. `ninja check` builds everything and runs the whole ctest suite.
function(hone_add_lit_suite folder)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LABELS" ${ARGN})
  if(NOT HONE_LIT_PY)
    message(FATAL_ERROR "lit.py not found under ${HONE_LLVM_ROOT}: run scripts/setup (llvm-19-tools)")
  endif()
  add_test(NAME lit.${folder}
           COMMAND ${Python3_EXECUTABLE} ${HONE_LIT_PY} -v --no-progress-bar
                   --param hone_site_config=${PROJECT_BINARY_DIR}/tests/lit/lit.site.cfg.py
                   ${PROJECT_SOURCE_DIR}/tests/lit/${folder})
  set_tests_properties(lit.${folder} PROPERTIES LABELS "lit;${ARG_LABELS}")
endfunction()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
