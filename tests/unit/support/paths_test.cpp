// Known answers for the path text helpers every part shares.
#include "support/paths.h"

#include <gtest/gtest.h>

namespace hone::support {
namespace {

TEST(SupportPaths, BaseName) {
  EXPECT_EQ(base_name("a/b/c.cpp"), "c.cpp");
  EXPECT_EQ(base_name("c.cpp"), "c.cpp");
  EXPECT_EQ(base_name("/usr/bin/"), "");
  EXPECT_EQ(base_name(""), "");
}

TEST(SupportPaths, AbsoluteInKeepsAbsolutePaths) {
  EXPECT_EQ(absolute_in("/work", "/src/a.c"), "/src/a.c");
  EXPECT_EQ(absolute_in("/work", "a.c"), "/work/a.c");
  EXPECT_EQ(absolute_in("/work/", "../a.c"), "/work/../a.c");
  EXPECT_EQ(absolute_in("", "a.c"), "a.c");
}

}  // namespace
}  // namespace hone::support
