// Checks which headers hone layout counts as public interface: files and directories installed by a
// CMake build folder's cmake_install.cmake (with a subdirectory's script pulled in by include(), and
// the line breaks CMake writes between FILES and the paths), an include/ tree, --public-headers, and
// nothing else.
#include <gtest/gtest.h>

#include "public_headers.h"

#include <cstdlib>
#include <fstream>
#include <string>

namespace hone::layout {
namespace {

class PublicHeadersTest : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/hone-public-headers-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    folder_ = pattern;
    ASSERT_EQ(std::system(("mkdir -p " + folder_ + "/build/sub").c_str()), 0);
  }
  void TearDown() override { std::system(("rm -rf " + folder_).c_str()); }
  void write(const std::string& name, const std::string& text) { std::ofstream(folder_ + "/" + name) << text; }
  std::string folder_;
};

TEST_F(PublicHeadersTest, ReadsInstallRulesOfEveryKindAndSubdirectories) {
  write("build/cmake_install.cmake",
        "  file(INSTALL DESTINATION \"${CMAKE_INSTALL_PREFIX}/lib\" TYPE STATIC_LIBRARY FILES \"/p/build/liba.a\")\n"
        "  file(INSTALL DESTINATION \"${CMAKE_INSTALL_PREFIX}/include/a\" TYPE FILE FILES\n"
        "    \"/p/src/a.h\"\n    \"/p/src/b.h\"\n    )\n"
        "  include(\"" +
            folder_ + "/build/sub/cmake_install.cmake\")\n");
  write("build/sub/cmake_install.cmake",
        "  file(INSTALL DESTINATION \"${CMAKE_INSTALL_PREFIX}/include\" TYPE DIRECTORY FILES \"/p/headers\")\n"
        "  include(\"" +
            folder_ + "/build/cmake_install.cmake\")\n");  // a loop must not hang
  PublicHeaders headers(folder_ + "/build", "");
  EXPECT_EQ(headers.installed_files(), (std::set<std::string>{"/p/src/a.h", "/p/src/b.h"}));
  EXPECT_EQ(headers.installed_directories(), std::vector<std::string>{"/p/headers/"});
  EXPECT_NE(headers.why("/p/src/a.h").find("installed by " + folder_ + "/build/cmake_install.cmake"),
            std::string::npos);
  EXPECT_NE(headers.why("/p/headers/deep/c.h").find("(directory /p/headers/)"), std::string::npos);
  EXPECT_EQ(headers.why("/p/headers2/c.h"), "");
  EXPECT_EQ(headers.why("/p/build/liba.a"), "");  // not a header rule
  EXPECT_EQ(headers.why("/p/src/private.h"), "");
}

TEST_F(PublicHeadersTest, IncludeTreeAndPatternWithoutABuildFolder) {
  PublicHeaders headers("", "/vendor/api/");
  EXPECT_NE(headers.why("/p/include/lib/x.h").find("include/ tree"), std::string::npos);
  EXPECT_EQ(headers.why("/p/include/lib/x.cpp"), "");  // a source file is nobody's interface
  EXPECT_EQ(headers.why("/p/includes/x.h"), "");
  EXPECT_NE(headers.why("/p/vendor/api/y.h").find("--public-headers '/vendor/api/'"), std::string::npos);
}

TEST_F(PublicHeadersTest, ABuildFolderWithoutInstallRules) {
  PublicHeaders headers(folder_ + "/build", "");
  EXPECT_TRUE(headers.installed_files().empty());
  EXPECT_EQ(headers.why("/p/src/a.h"), "");
}

}  // namespace
}  // namespace hone::layout
