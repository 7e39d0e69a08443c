// Known answers for the contracts between hone's executables (support/contracts.h).
#include "support/contracts.h"

#include <gtest/gtest.h>

namespace hone::support {
namespace {

TEST(SupportLaunchers, EveryLauncherByBaseName) {
  for (std::string_view launcher : {"ccache", "distcc", "sccache", "icecc", "buildcache", "pump"}) {
    EXPECT_TRUE(is_launcher(launcher)) << launcher;
    EXPECT_TRUE(is_launcher("/usr/bin/" + std::string(launcher))) << launcher;
  }
  EXPECT_FALSE(is_launcher("clang"));
  EXPECT_FALSE(is_launcher("hone"));
  EXPECT_FALSE(is_launcher("/usr/lib/ccache/gcc"));
}

TEST(SupportLaunchers, CompilerIndexLooksThroughLaunchers) {
  EXPECT_EQ(compiler_index({"clang", "-c", "a.c"}), 0u);
  EXPECT_EQ(compiler_index({"buildcache", "clang", "-c", "a.c"}), 1u);
  EXPECT_EQ(compiler_index({"ccache", "distcc", "/usr/bin/gcc", "-c", "a.c"}), 2u);
  EXPECT_EQ(compiler_index({"ccache", "-s"}), 0u);  // ccache's own command
  EXPECT_EQ(compiler_index({"ccache"}), 0u);
  EXPECT_EQ(compiler_index({"hone", "clang", "-c", "a.c"}), 0u);
  EXPECT_EQ(compiler_index({"/opt/hone/bin/hone", "ccache", "clang", "-c", "a.c"}, /*skip_hone=*/true), 2u);
}

} // namespace
} // namespace hone::support
