# Units of driver/profile (issue 6), included from tests/unit/CMakeLists.txt (paths relative to
# tests/unit).
hone_add_gtest(hone_profile_tests SOURCES driver/profile_test.cpp LIBS hone_profile)
