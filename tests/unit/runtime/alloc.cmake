# Units of runtime/alloc (issue 6), included from tests/unit/CMakeLists.txt (paths relative to
# tests/unit).
#
# runtime_alloc_counters_tests drives the per-thread counters and the public API with explicit
# record calls; it runs in every build, sanitizers included.
hone_add_gtest(runtime_alloc_counters_tests
  SOURCES runtime/alloc_counters_test.cpp ${PROJECT_SOURCE_DIR}/runtime/alloc/counters.cpp
          ${PROJECT_SOURCE_DIR}/runtime/alloc/sampling.cpp
  LIBS hone_runtime)
target_include_directories(runtime_alloc_counters_tests PRIVATE ${PROJECT_SOURCE_DIR}/runtime/alloc)

# runtime_alloc_tracking_tests links hone::alloc_tracking, which replaces the global operator new and
# delete. Not in sanitizer builds: ASan and TSan interpose operator new/delete themselves to see
# every heap block (ASan's poisoning, new/delete mismatch and leak checks; TSan's shadow memory), and a
# program-provided replacement takes precedence over theirs, so the test would measure the
# replacement while silently switching those checks off. The counting logic under it is covered in
# every build by runtime_alloc_counters_tests.
if(NOT HONE_SANITIZE)
  hone_add_gtest(runtime_alloc_tracking_tests
    SOURCES runtime/alloc_tracking_test.cpp
    LIBS hone_alloc_tracking)
endif()
