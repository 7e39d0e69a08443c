// Known answers for the LLVM tool rule (support/llvm_tools.h): the lookup order on fake tool folders,
// and version parsing of real tools' --version texts.
#include "support/llvm_tools.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hone::support {
namespace {

namespace fs = std::filesystem;

std::string g_llvm_bin_dir;  // the HONE_LLVM_BIN_DIR the lookups below see
const char* test_environment(const char* name) {
  return std::string_view(name) == k_env_llvm_bin_dir && !g_llvm_bin_dir.empty() ? g_llvm_bin_dir.c_str() : nullptr;
}

// A scratch tree: real/ holds a compiler and its tools, link/ a symlink to that compiler, env/ the
// folder HONE_LLVM_BIN_DIR names, path/ a versioned tool, other/ an explicit tool; PATH is path/.
class SupportLlvmTools : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/hone-llvm-tools-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    for (const char* folder : {"real", "link", "env", "path", "other"}) fs::create_directory(root_ / folder);
    tool(root_ / "real/clang-97", "clang version 97.1.2");
    tool(root_ / "real/fake-profdata", "LLVM version 97.1.2");
    fs::create_symlink(root_ / "real/clang-97", root_ / "link/clang-97");
    tool(root_ / "env/fake-profdata", "LLVM version 96.0.0");
    tool(root_ / "path/fake-bolt-97", "LLVM version 97.0.1");
    tool(root_ / "other/my-profdata", "LLVM version 95.0.0");
    if (const char* path = std::getenv("PATH")) saved_path_ = path;
    setenv("PATH", (root_ / "path").c_str(), 1);
    g_llvm_bin_dir.clear();
  }
  void TearDown() override {
    setenv("PATH", saved_path_.c_str(), 1);
    fs::remove_all(root_);
  }
  static void tool(const fs::path& path, const std::string& version) {
    std::ofstream(path) << "#!/bin/sh\necho '" << version << "'\n";
    fs::permissions(path, fs::perms::owner_all);
  }
  LlvmToolLookup find(const std::string& name, const std::string& explicit_path = "") {
    return find_llvm_tool({name, explicit_path, (root_ / "link/clang-97").string(), 97}, test_environment);
  }
  fs::path root_;
  std::string saved_path_;
};

TEST_F(SupportLlvmTools, ExplicitPathFirst) {
  g_llvm_bin_dir = (root_ / "env").string();
  EXPECT_EQ(find("fake-profdata", (root_ / "other/my-profdata").string()).path, root_ / "other/my-profdata");
  EXPECT_EQ(find("fake-profdata", (root_ / "other/missing").string()).path, "");
}

TEST_F(SupportLlvmTools, EnvironmentFolderIsTheOnlyPlaceWhenSet) {
  g_llvm_bin_dir = (root_ / "env").string();
  LlvmToolLookup found = find("fake-profdata");
  EXPECT_EQ(found.path, root_ / "env/fake-profdata");
  EXPECT_TRUE(found.from_environment);
  LlvmToolLookup missing = find("fake-bolt");  // fake-bolt-97 on PATH is not looked at
  EXPECT_EQ(missing.path, "");
  EXPECT_EQ(missing.looked_in, std::vector<std::string>{(root_ / "env").string()});
  EXPECT_EQ(llvm_bin_dir((root_ / "link/clang-97").string(), test_environment), (root_ / "env").string());
}

TEST_F(SupportLlvmTools, BesideTheCompilersRealPathThenDebianFolderThenVersionedName) {
  LlvmToolLookup beside = find("fake-profdata");
  EXPECT_EQ(beside.path, root_ / "real/fake-profdata");
  EXPECT_FALSE(beside.from_environment);
  EXPECT_EQ(llvm_bin_dir((root_ / "link/clang-97").string(), test_environment), (root_ / "real").string());

  LlvmToolLookup versioned = find("fake-bolt");
  EXPECT_EQ(versioned.path, root_ / "path/fake-bolt-97");
  EXPECT_EQ(versioned.looked_in,
            (std::vector<std::string>{(root_ / "real").string(), "/usr/lib/llvm-97/bin", "fake-bolt-97 on PATH"}));
  EXPECT_EQ(find("no-such-tool").path, "");
}

TEST_F(SupportLlvmTools, VersionsOfToolsThatAnswerLate) {
  EXPECT_EQ(llvm_tool_version((root_ / "real/fake-profdata").string()).text, "97.1.2");
  EXPECT_EQ(llvm_tool_version((root_ / "real/fake-profdata").string()).major, 97);
  // llvm-profdata before LLVM 15 answers --version only after a subcommand.
  std::ofstream(root_ / "other/llvm-profdata")
      << "#!/bin/sh\n[ \"$1\" = merge ] && echo 'LLVM version 14.0.6'\nexit 0\n";
  fs::permissions(root_ / "other/llvm-profdata", fs::perms::owner_all);
  EXPECT_EQ(llvm_tool_version((root_ / "other/llvm-profdata").string()).text, "14.0.6");
  EXPECT_EQ(llvm_tool_version((root_ / "other/none").string()).major, 0);
}

TEST(SupportLlvmVersions, KnownAnswers) {
  EXPECT_EQ(parse_llvm_version("Debian clang version 19.1.7 (3~deb12u1)\nTarget: x86_64"), "19.1.7");
  EXPECT_EQ(parse_llvm_version("LLVM (http://llvm.org/):\n  LLVM version 18.1.8\n  Optimized build.\n"), "18.1.8");
  EXPECT_EQ(parse_llvm_version("Debian LLD 19.1.7 (compatible with GNU linkers)\n"), "19.1.7");
  EXPECT_EQ(parse_llvm_version("Debian LLVM version 14.0.6"), "14.0.6");
  EXPECT_EQ(parse_llvm_version("version 3 of something, version 19.1"), "19.1");
  EXPECT_EQ(parse_llvm_version("gcc (Debian 12.2.0-14) 12.2.0"), "");
  EXPECT_EQ(parse_llvm_version(""), "");
}

}  // namespace
}  // namespace hone::support
