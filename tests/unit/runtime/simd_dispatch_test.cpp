// Dispatch: the active target is the best one the CPU supports unless HONE_SIMD_TARGETS restricts it,
// the choice is stable, the free functions use it, and unknown names are reported. The environment
// variable is read once per process, so its effect is checked in child processes (death-test style
// "exit" tests) that set it before the first kernel call.
#include "hone/simd.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace {

using hone::simd::Target;

Target best_supported() {
  for (int t = hone::simd::k_target_count - 1; t > 0; --t) {
    if (hone::simd::kernels_for(static_cast<Target>(t)) != nullptr) {
      return static_cast<Target>(t);
    }
  }
  return Target::scalar;
}

TEST(SimdDispatch, ActiveTargetIsTheBestAllowedAndStable) {
  const char* restriction = std::getenv("HONE_SIMD_TARGETS");
  if (restriction != nullptr && *restriction != '\0') {
    GTEST_SKIP() << "HONE_SIMD_TARGETS is set in this environment";
  }
  EXPECT_EQ(hone::simd::active_target(), best_supported());
  EXPECT_EQ(&hone::simd::kernels(), hone::simd::kernels_for(hone::simd::active_target()));
  EXPECT_EQ(hone::simd::active_target(), hone::simd::active_target());
}

TEST(SimdDispatch, ScalarIsAlwaysAvailable) {
  ASSERT_NE(hone::simd::kernels_for(Target::scalar), nullptr);
  EXPECT_TRUE(hone::simd::cpu_supports(Target::scalar));
  EXPECT_STREQ(hone::simd::target_name(Target::avx512), "avx512");
}

TEST(SimdDispatch, FreeFunctionsCallTheActiveKernels) {
  float a[5] = {1, 2, 3, 4, 5};
  float b[5] = {5, 4, 3, 2, 1};
  float out[5];
  hone::simd::add(a, b, out, 5);
  EXPECT_EQ(out[4], 6.0f);
  EXPECT_EQ(hone::simd::sum(a, 5), 15.0f);
  EXPECT_EQ(hone::simd::dot(a, b, 5), 35.0f);
  EXPECT_EQ(hone::simd::min(a, 5).index, 0u);
  EXPECT_EQ(hone::simd::max(b, 5).value, 5.0f);
  EXPECT_EQ(hone::simd::find(a, 5, 4.0f), 3u);
}

// Child process: restrict, then report the chosen target through the exit code.
[[noreturn]] void exit_with_target(const char* restriction) {
  setenv("HONE_SIMD_TARGETS", restriction, 1);
  std::exit(static_cast<int>(hone::simd::active_target()) + 10);
}

TEST(SimdDispatchDeathTest, EnvironmentRestrictsTheTargets) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(exit_with_target("scalar"), ::testing::ExitedWithCode(10), "");
  if (hone::simd::cpu_supports(Target::sse42)) {
    EXPECT_EXIT(exit_with_target("sse42,scalar"), ::testing::ExitedWithCode(11), "");
  }
  if (hone::simd::cpu_supports(Target::avx2)) {
    // "Everything but AVX-512", the frequency-sensitive user's setting.
    EXPECT_EXIT(exit_with_target("scalar,sse42,avx2"), ::testing::ExitedWithCode(12), "");
  }
}

TEST(SimdDispatchDeathTest, UnknownNamesAreReportedAndIgnored) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(exit_with_target("avx9,scalar"), ::testing::ExitedWithCode(10),
              "hone: warning: HONE_SIMD_TARGETS: unknown target 'avx9' ignored");
}

}  // namespace
