// Known answers for the contracts between hone's executables (support/contracts.h).
#include "support/contracts.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

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

namespace hone::support {
namespace {

// Known answers: FNV-1a 64 computed independently (Python) from the documented key text.
TEST(SupportRecordNames, KnownAnswers) {
  EXPECT_EQ(record_file_name("/work/build", "../src/a.c", "a.o"), "a-5338bfc9933487f3.opt.yaml");
  EXPECT_EQ(record_file_name("/w", "a.c", ""), "a-dc362f463aec0e3c.opt.yaml");  // no -o
  EXPECT_EQ(record_file_name("/w", ".hidden.c", ".hidden.o"), ".hidden-fb9ee50e6e9ef4b3.opt.yaml");
  EXPECT_EQ(record_file_name("/w", ".profile", ""), ".profile-89658f0a5029d2b5.opt.yaml");
  EXPECT_EQ(record_file_name("/w", "/src/x.c", "obj/x.o"), "x-1446463951b77e14.opt.yaml");
}

// A scratch folder with a real build folder, a symlink to it, and a response file.
class SupportRecordEntries : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/hone-record-names-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    real_ = root_ + "/real";
    link_ = root_ + "/link";
    ASSERT_EQ(mkdir(real_.c_str(), 0755), 0);
    ASSERT_EQ(symlink(real_.c_str(), link_.c_str()), 0);
    std::ofstream(real_ + "/args.rsp") << "-O2 -c 'a.c' -o out/a.o\n";
  }
  void TearDown() override {
    std::remove((real_ + "/args.rsp").c_str());
    std::remove(link_.c_str());
    rmdir(real_.c_str());
    rmdir(root_.c_str());
  }
  std::string root_, real_, link_;
};

TEST_F(SupportRecordEntries, SymlinkedWorkingFolderGivesThePhysicalName) {
  const DatabaseEntry entry{link_, "a.c", "", {"clang", "-O2", "-c", "a.c", "-o", "a.o"}};
  EXPECT_EQ(record_file_name(entry), record_file_name(real_, "a.c", "a.o"));
  EXPECT_NE(record_file_name(entry), record_file_name(link_, "a.c", "a.o"));
  // The entry's file written through the symlink, the argument relative: still the argument's spelling.
  const DatabaseEntry absolute{link_, link_ + "/a.c", "", {"clang", "-c", "a.c", "-o", "a.o"}};
  EXPECT_EQ(record_file_name(absolute), record_file_name(real_, "a.c", "a.o"));
}

TEST_F(SupportRecordEntries, ResponseFilesAreExpandedInTheEntryDirectory) {
  const DatabaseEntry entry{link_, "a.c", "", {"ccache", "clang", "@args.rsp"}};
  EXPECT_EQ(record_file_name(entry), record_file_name(real_, "a.c", "out/a.o"));
}

TEST_F(SupportRecordEntries, OutputFieldFirstThenDashO) {
  const DatabaseEntry with_field{real_, "a.c", "obj/a.o", {"clang", "-c", "a.c", "-o", "other.o"}};
  EXPECT_EQ(record_file_name(with_field), record_file_name(real_, "a.c", "obj/a.o"));
  const DatabaseEntry joined{real_, "a.c", "", {"clang", "-c", "./a.c", "-oa.o"}};
  EXPECT_EQ(record_file_name(joined), record_file_name(real_, "./a.c", "a.o"));
  const DatabaseEntry no_output{real_, ".hidden.c", "", {"clang", "-c", ".hidden.c"}};
  EXPECT_EQ(record_file_name(no_output), record_file_name(real_, ".hidden.c", ""));
}

} // namespace
} // namespace hone::support
