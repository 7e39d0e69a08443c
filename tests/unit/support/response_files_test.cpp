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
  EXPECT_EQ(expand_response_files({"@hone_relative.rsp"}, error, directory), (std::vector<std::string>{"-c", "b.c"}));
  EXPECT_FALSE(error);
  std::remove((directory + "hone_relative.rsp").c_str());
}

// Issue 11 item 7: a file that names itself was expanded 30^8 times (still running after 20 s).
TEST(SupportResponseFiles, ACycleStaysLiteralAndIsAnError) {
  const std::string directory = testing::TempDir();
  const std::string self = directory + "hone_self.rsp";
  std::string text = "-c a.c";
  for (int i = 0; i < 30; ++i) text += " @" + self;
  std::ofstream(self) << text;
  bool error = false;
  std::vector<std::string> expanded = expand_response_files({"@" + self}, error);
  ASSERT_EQ(expanded.size(), 32u);
  EXPECT_EQ(expanded[0], "-c");
  EXPECT_EQ(expanded[2], "@" + self);
  EXPECT_TRUE(error);

  // Two files naming each other: each is expanded once, then the name that closes the cycle stays.
  std::ofstream(directory + "hone_ping.rsp") << "-DPING @" + directory + "hone_pong.rsp";
  std::ofstream(directory + "hone_pong.rsp") << "-DPONG @" + directory + "hone_ping.rsp";
  error = false;
  EXPECT_EQ(expand_response_files({"@" + directory + "hone_ping.rsp"}, error),
            (std::vector<std::string>{"-DPING", "-DPONG", "@" + directory + "hone_ping.rsp"}));
  EXPECT_TRUE(error);
  for (const char* name : {"hone_self.rsp", "hone_ping.rsp", "hone_pong.rsp"}) std::remove((directory + name).c_str());
}

TEST(SupportResponseFiles, TheSameFileTwiceOutsideACycleIsFine) {
  const std::string directory = testing::TempDir();
  std::ofstream(directory + "hone_leaf.rsp") << "-DLEAF";
  bool error = false;
  EXPECT_EQ(expand_response_files({"@" + directory + "hone_leaf.rsp", "@" + directory + "hone_leaf.rsp"}, error),
            (std::vector<std::string>{"-DLEAF", "-DLEAF"}));
  EXPECT_FALSE(error);
  std::remove((directory + "hone_leaf.rsp").c_str());
}

// No cycle, but each level names the next 30 times: 30^7 expansions without a bound on files opened.
TEST(SupportResponseFiles, ExponentialChainsStopAtTheBound) {
  const std::string directory = testing::TempDir();
  for (int level = 0; level < 8; ++level) {
    std::string text = "-DL" + std::to_string(level);
    for (int i = 0; i < 30 && level < 7; ++i)
      text += " @" + directory + "hone_level" + std::to_string(level + 1) + ".rsp";
    std::ofstream(directory + "hone_level" + std::to_string(level) + ".rsp") << text;
  }
  bool error = false;
  std::vector<std::string> expanded = expand_response_files({"@" + directory + "hone_level0.rsp"}, error);
  EXPECT_TRUE(error);
  EXPECT_LT(expanded.size(), 200000u);
  for (int level = 0; level < 8; ++level)
    std::remove((directory + "hone_level" + std::to_string(level) + ".rsp").c_str());
}

}  // namespace
}  // namespace hone::support
