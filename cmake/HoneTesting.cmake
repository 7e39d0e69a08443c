# Test helpers: GoogleTest unit executables, Google Benchmark executables (smoke-run by ctest) and lit
# suites. Everything a user does on the command line is a lit test; C++ units are gtest; performance
# claims live in benchmarks, which ctest only smoke-runs so the suite stays fast and deterministic.
#
# Every helper records what the suite needs built in the global property HONE_CHECK_DEPENDS, so
# `ninja check` (tests/CMakeLists.txt) builds exactly what ctest then runs, never a stale binary.

find_package(GTest REQUIRED)
include(GoogleTest)

# hone_add_gtest(<name> SOURCES <files...> LIBS <targets...>): one unit-test executable whose tests
# become individual ctest entries labelled "unit".
function(hone_add_gtest name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  # Tests may use every part (ARCHITECTURE.md), so they name headers from the repository root
  # ("driver/wrapper/classify.h"); the libraries keep that root to themselves.
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  hone_target_defaults(${name})
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
  set_property(GLOBAL APPEND PROPERTY HONE_CHECK_DEPENDS ${name})
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
  set_property(GLOBAL APPEND PROPERTY HONE_CHECK_DEPENDS ${name})
endfunction()

# hone_add_lit_suite(<folder under tests/lit> [DEPENDS targets...] [LABELS labels...]): one ctest entry
# that runs that lit folder, and a target `check-lit-<folder>` that builds what the folder runs and
# then runs it. DEPENDS names the targets its tests run or link besides `hone` (which every suite
# uses); targets this configuration does not build (hone-analyze with HONE_BUILD_ANALYZERS=OFF) are
# skipped, and the tests that need them are UNSUPPORTED through lit's features. `ninja check` builds
# every suite's DEPENDS; a ctest run on a tree where one is missing reports the test as not run
# (REQUIRED_FILES) instead of failing inside lit.
function(hone_add_lit_suite folder)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LABELS" ${ARGN})
  if(NOT HONE_LIT_PY)
    message(FATAL_ERROR "lit.py not found under ${HONE_LLVM_ROOT}: run scripts/setup (llvm-19-tools)")
  endif()
  # Each run also writes every test's result (and why an unsupported one did not run) to
  # tests/lit-results/<folder>.xml, which scripts/test-summary counts test by test.
  set(lit_command ${Python3_EXECUTABLE} ${HONE_LIT_PY} -v --no-progress-bar
                  --xunit-xml-output=${PROJECT_BINARY_DIR}/tests/lit-results/${folder}.xml
                  --param hone_site_config=${PROJECT_BINARY_DIR}/tests/lit/lit.site.cfg.py
                  ${PROJECT_SOURCE_DIR}/tests/lit/${folder})
  file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/tests/lit-results)
  add_test(NAME lit.${folder} COMMAND ${lit_command})
  set(built "")
  set(files "")
  foreach(target IN ITEMS hone ${ARG_DEPENDS})
    if(TARGET ${target})
      list(APPEND built ${target})
      list(APPEND files $<TARGET_FILE:${target}>)
    endif()
  endforeach()
  list(REMOVE_DUPLICATES built)
  list(REMOVE_DUPLICATES files)
  set_tests_properties(lit.${folder} PROPERTIES LABELS "lit;${ARG_LABELS}" REQUIRED_FILES "${files}")
  add_custom_target(check-lit-${folder}
    COMMAND ${lit_command}
    DEPENDS ${built}
    COMMENT "lit: tests/lit/${folder}"
    USES_TERMINAL)
  set_property(GLOBAL APPEND PROPERTY HONE_CHECK_DEPENDS ${built})
endfunction()

# lit runs under Debian's python3 where there is one (it has python3-psutil from scripts/setup, which lit's
# per-test time limit needs), not a pyenv or virtualenv interpreter found first on PATH.
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
