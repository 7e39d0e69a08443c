// Known answers for the GCC tool rule (support/gcc_tools.h) on fake tool folders: the compiler's own name
// pattern first, a tool of another release skipped but remembered for the message, PATH last.
#include "support/gcc_tools.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hone::support {
namespace {

namespace fs = std::filesystem;

// A scratch tree: bin/ holds a cross gcc-12, path/ is PATH. Tools are shell scripts that print a
// --version text.
class SupportGccTools : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/hone-gcc-tools-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    for (const char* folder : {"bin", "path"}) fs::create_directory(root_ / folder);
    tool(root_ / "bin/x86_64-linux-gnu-gcc-12", "x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14) 12.2.0");
    if (const char* path = std::getenv("PATH")) saved_path_ = path;
    setenv("PATH", (root_ / "path").c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", saved_path_.c_str(), 1);
    fs::remove_all(root_);
  }
  static void tool(const fs::path& file, const std::string& version) {
    std::ofstream(file) << "#!/bin/sh\necho '" << version << "'\n";
    chmod(file.c_str(), 0755);
  }
  std::string compiler() const { return (root_ / "bin/x86_64-linux-gnu-gcc-12").string(); }
  fs::path root_;
  std::string saved_path_;
};

TEST_F(SupportGccTools, TheCompilersOwnNamePatternComesFirst) {
  tool(root_ / "bin/x86_64-linux-gnu-gcov-tool-12", "gcov-tool (Debian 12.2.0-14) 12.2.0");
  tool(root_ / "path/gcov-tool-12", "gcov-tool (Debian 12.2.0-14) 12.2.0");
  const GccToolLookup found = find_gcc_tool("gcov-tool", compiler(), 12);
  EXPECT_EQ(found.path, (root_ / "bin/x86_64-linux-gnu-gcov-tool-12").string());
  EXPECT_EQ(found.version, "12.2.0");
  EXPECT_TRUE(found.other_release_path.empty());
}

TEST_F(SupportGccTools, AnotherReleaseIsSkippedAndNamed) {
  tool(root_ / "path/gcov-tool", "gcov-tool (Debian 11.3.0-12) 11.3.0");
  const GccToolLookup missing = find_gcc_tool("gcov-tool", compiler(), 12);
  EXPECT_EQ(missing.path, "");
  EXPECT_EQ(missing.other_release_path, (root_ / "path/gcov-tool").string());
  EXPECT_EQ(missing.other_release_version, "11.3.0");
  // Every place tried, in rule order, each once.
  EXPECT_EQ(missing.looked_at,
            (std::vector<std::string>{(root_ / "bin/x86_64-linux-gnu-gcov-tool-12").string(),
                                      (root_ / "bin/gcov-tool-12").string(), (root_ / "path/gcov-tool").string()}));
  tool(root_ / "path/gcov-tool-12", "gcov-tool (Debian 12.2.0-14) 12.2.0");
  EXPECT_EQ(find_gcc_tool("gcov-tool", compiler(), 12).path, (root_ / "path/gcov-tool-12").string());
  EXPECT_EQ(gcc_tools_package(12), "gcc-12");
}

TEST(SupportGccVersion, FromVersionTexts) {
  EXPECT_EQ(parse_gnu_version("gcov-tool (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright\n"), "12.2.0");
  EXPECT_EQ(parse_gnu_version("gcc (GCC) 13.2.1 20231011 (Red Hat 13.2.1-4)"), "13.2.1");
  EXPECT_EQ(parse_gnu_version(""), "");
}

}  // namespace
}  // namespace hone::support
