# hone-sample-profile's units (issue 16): perf script parsing, the sample profile text, symbolization of
# a binary the test builds with clang-19. Built with the converter, i.e. with HONE_BUILD_ANALYZERS.
if(TARGET hone_sample_profile)
  hone_add_gtest(hone_sample_profile_test SOURCES pgo/sample_profile_test.cpp LIBS hone_sample_profile)
  target_compile_definitions(hone_sample_profile_test PRIVATE HONE_TEST_LLVM_BIN_DIR="${HONE_LLVM_BIN_DIR}")
endif()
