// Known answers for response-file expansion, which the wrapper and `hone vec` share.
#include "support/response_files.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace hone::support {
namespace {

TEST(SupportResponseFiles, GccQuotingRules) {
  EXPECT_EQ(split_response_text("-O2 \"-c\"\n'my file.c' -o\\ x out.o\n"),
            (std::vector<std::string>{"-O2", "-c", "my file.c", "-o x", "out.o"}));
  EXPECT_EQ(split_response_text("'' a"), (std::vector<std::string>{"", "a"}));
  EXPECT_TRUE(split_response_text(" \t\r\n").empty());
}

TEST(SupportResponseFiles, ExpandsNestedFilesAndKeepsUnreadableOnes) {
  const std::string directory = testing::TempDir();
  std::ofstream(directory + "hone_inner.rsp") << "-o out.o";
  std::ofstream(directory + "hone_outer.rsp") << "-c a.c @" + directory + "hone_inner.rsp";
  bool error = false;
  EXPECT_EQ(expand_response_files({"clang", "@" + directory + "hone_outer.rsp"}, error),
            (std::vector<std::string>{"clang", "-c", "a.c", "-o", "out.o"}));
  EXPECT_FALSE(error);
  EXPECT_EQ(expand_response_files({"@/nonexistent/hone.rsp", "@"}, error),
            (std::vector<std::string>{"@/nonexistent/hone.rsp", "@"}));
  EXPECT_TRUE(error);
  std::remove((directory + "hone_inner.rsp").c_str());
  std::remove((directory + "hone_outer.rsp").c_str());
}

TEST(SupportResponseFiles, RelativeNamesOpenAgainstTheGivenDirectory) {
  const std::string directory = testing::TempDir();
  std::ofstream(directory + "hone_relative.rsp") << "-c b.c";
  bool error = false;
  EXPECT_EQ(expand_response_files({"@hone_relative.rsp"}, error, directory),
            (std::vector<std::string>{"-c", "b.c"}));
  EXPECT_FALSE(error);
  std::remove((directory + "hone_relative.rsp").c_str());
}

} // namespace
} // namespace hone::support
