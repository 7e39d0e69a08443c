// gcc_profile: the pieces of GCC's PGO that hone parses or computes without running GCC: the object
// behind a mangled .gcda name, the GCOV_PREFIX redirection, the profile warnings of an optimize build's
// log (both quoting styles GCC uses), and the listing and hashing of a .gcda folder.
#include "pgo/gcc_profile.h"
#include "pgo/toolchain.h"
#include "scratch_folder.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace hone::pgo;

using hone::pgo::test::scratch_folder;

TEST(GccProfile, ObjectPathOfAMangledName) {
  EXPECT_EQ(gcda_object_path("CMakeFiles#app.dir#main.c.gcda"), fs::path("CMakeFiles/app.dir/main.c"));
  EXPECT_EQ(gcda_object_path("main.c.gcda"), fs::path("main.c"));
  // An object outside -fprofile-prefix-path keeps its absolute path; ".." is written as '^'.
  EXPECT_EQ(gcda_object_path("#tmp#b#obj#x.c.gcda"), fs::path("/tmp/b/obj/x.c"));
  EXPECT_EQ(gcda_object_path("^#lib#util.c.gcda"), fs::path("../lib/util.c"));
  // Only the file name counts; a name without the extension is kept whole.
  EXPECT_EQ(gcda_object_path("raw/large/src#a.c.gcda"), fs::path("src/a.c"));
  EXPECT_EQ(gcda_object_path("x"), fs::path("x"));
}

TEST(GccProfile, RedirectStripsEveryCompiledInFolder) {
  auto env = gcov_redirect_environment("/w/.hone/instrument/profiles", "/w/.hone/train/raw/small");
  EXPECT_EQ(env["GCOV_PREFIX"], "/w/.hone/train/raw/small");
  EXPECT_EQ(env["GCOV_PREFIX_STRIP"], "4");
  EXPECT_EQ(gcov_redirect_environment("/p/", "/f")["GCOV_PREFIX_STRIP"], "1");
  EXPECT_EQ(gcov_redirect_environment("/a/./b/../c", "/f")["GCOV_PREFIX_STRIP"], "2");
}

TEST(GccProfile, FlagsNameTheBuildFolder) {
  auto instrument = gcc_instrument_flags("/w/.hone/instrument/build");
  ASSERT_FALSE(instrument.empty());
  EXPECT_EQ(instrument[0], "-fprofile-prefix-path=/w/.hone/instrument/build");
  EXPECT_NE(std::find(instrument.begin(), instrument.end(), "-ftest-coverage"), instrument.end());
  auto optimize = gcc_optimize_flags("/w/.hone/optimize/build");
  EXPECT_EQ(optimize[0], "-fprofile-prefix-path=/w/.hone/optimize/build");
  EXPECT_NE(std::find(optimize.begin(), optimize.end(), "-Wmissing-profile"), optimize.end());
  EXPECT_EQ(std::find(optimize.begin(), optimize.end(), "-ftest-coverage"), optimize.end());
}

TEST(GccProfile, ReadsTheProfileWarningsOfABuildLog) {
  fs::path folder = scratch_folder("log");
  std::ofstream(folder / "build.log")
      << "[1/3] Building C object CMakeFiles/app.dir/other.c.o\n"
         "../other.c: In function \xE2\x80\x98g\xE2\x80\x99:\n"
         "../other.c:1:1: warning: \xE2\x80\x98/w/m/CMakeFiles#app.dir#other.c.gcda\xE2\x80\x99 profile count data "
         "file not found [-Wmissing-profile]\n"
         "main.c:5:5: warning: profile for function 'h' not found in profile data [-Wmissing-profile]\n"
         "main.c:9:5: warning: profile for function 'h' not found in profile data [-Wmissing-profile]\n"
         "main.c:7:5: warning: the control flow of function 'f' does not match its profile data (counter "
         "'arcs') [-Wcoverage-mismatch]\n"
         "main.c:8:5: warning: number of counters in profile data for function \xE2\x80\x98k\xE2\x80\x99 does not "
         "match its profile data (counter 'arcs', expected 3 and have 4) [-Wcoverage-mismatch]\n"
         "[3/3] Linking C executable app\n";
  GccProfileUse use = read_gcc_profile_use(folder / "build.log");
  EXPECT_EQ(use.objects_without_profile, std::vector<std::string>{"/w/m/CMakeFiles#app.dir#other.c.gcda"});
  EXPECT_EQ(use.functions_without_profile, std::vector<std::string>{"h"});  // once, not per warning
  EXPECT_EQ(use.functions_with_stale_profile, (std::vector<std::string>{"f", "k"}));
  // No log: nothing to report, no crash.
  GccProfileUse none = read_gcc_profile_use(folder / "missing.log");
  EXPECT_TRUE(none.objects_without_profile.empty() && none.functions_without_profile.empty());
  fs::remove_all(folder);
}

TEST(GccProfile, ListsAndHashesAGcdaFolder) {
  fs::path folder = scratch_folder("list");
  fs::create_directories(folder / "sub");
  std::ofstream(folder / "b#x.c.gcda") << "one";
  std::ofstream(folder / "sub" / "a.c.gcda") << "two";
  std::ofstream(folder / "notes.gcno") << "not a profile";
  auto files = gcda_files(folder);
  EXPECT_EQ(files, (std::vector<fs::path>{"b#x.c.gcda", "sub/a.c.gcda"}));
  EXPECT_TRUE(gcda_files(folder / "absent").empty());
  const std::string before = hash_gcda_folder(folder);
  std::ofstream(folder / "notes.gcno") << "changed";  // not part of the profile
  EXPECT_EQ(hash_gcda_folder(folder), before);
  std::ofstream(folder / "sub" / "a.c.gcda") << "three";
  EXPECT_NE(hash_gcda_folder(folder), before);
  fs::remove_all(folder);
}

TEST(GccProfile, CompilerKindFromVersionText) {
  EXPECT_EQ(compiler_kind("Debian clang version 19.1.7 (3+b1)\nTarget: x86_64-pc-linux-gnu\n"), CompilerKind::clang);
  const std::string gcc_text =
      " (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\nThis is free "
      "software; see the source for copying conditions.  There is NO\nwarranty;\n";
  EXPECT_EQ(compiler_kind("gcc-12" + gcc_text), CompilerKind::gcc);
  EXPECT_EQ(compiler_kind("cc" + gcc_text), CompilerKind::gcc);  // renamed: known by the licence lines
  // Other GNU programs name the FSF too; they are not compilers.
  EXPECT_EQ(compiler_kind("cat (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\nLicense "
                          "GPLv3+: GNU GPL version 3 or later\n"),
            CompilerKind::other);
  EXPECT_EQ(compiler_kind(""), CompilerKind::other);
}

TEST(GccProfile, GnuVersionFromVersionText) {
  EXPECT_EQ(parse_gnu_version("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022\n"), "12.2.0");
  EXPECT_EQ(parse_gnu_version("gcov-tool (Debian 12.2.0-14+deb12u1) 12.2.0\n"), "12.2.0");
  EXPECT_EQ(parse_gnu_version("gcc (GCC) 13.2.1 20231011 (Red Hat 13.2.1-4)\n"), "13.2.1");
  EXPECT_EQ(parse_gnu_version("gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0"), "11.4.0");
  EXPECT_EQ(parse_gnu_version("cc 12.2.0\n"), "12.2.0");  // no package: the last word
  EXPECT_EQ(parse_gnu_version("no version here\n"), "");
  EXPECT_EQ(parse_gnu_version(""), "");
}

TEST(GccProfile, NoGcovSymbolsInThisExecutable) {
  EXPECT_FALSE(has_gcov_symbols("/proc/self/exe"));
  EXPECT_FALSE(has_gcov_symbols("/nonexistent/binary"));
}

TEST(GccProfile, GcovSymbolsInAnInstrumentedProgram) {
  if (std::system("gcc-12 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "gcc-12 is not installed";
  fs::path folder = scratch_folder("symbols");
  std::ofstream(folder / "p.c") << "int main(void) { return 0; }\n";
  const std::string build = "cd '" + folder.string() +
                            "' && gcc-12 -O2 -fprofile-generate p.c -o instrumented && gcc-12 -O2 p.c -o plain && "
                            "strip -o stripped instrumented";
  ASSERT_EQ(std::system(build.c_str()), 0);
  EXPECT_TRUE(has_gcov_symbols(folder / "instrumented"));
  EXPECT_FALSE(has_gcov_symbols(folder / "plain"));
  // Stripped, libgcov's symbols are gone too: is_gcc_instrumented looks further (below).
  EXPECT_FALSE(has_gcov_symbols(folder / "stripped"));
  fs::remove_all(folder);
}

// What the instrument stage builds: -fprofile-generate=<absolute folder> and -fprofile-prefix-path, as
// gcc_instrument_flags gives them, then `strip` (a build's install step often strips). The stripped binary
// has no __gcov_ symbol left but still holds the .gcda path under the folder; a plain build of the same
// source, and one instrumented into another folder, are not taken for this pipeline's instrumented build.
TEST(GccProfile, StrippedInstrumentedProgramIsRecognised) {
  if (std::system("gcc-12 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "gcc-12 is not installed";
  fs::path folder = scratch_folder("stripped");
  const fs::path profiles = folder / "default-profiles";
  std::ofstream(folder / "p.c") << "int main(int argc, char** argv) { return argc > 1 ? argv[1][0] : 0; }\n";
  std::string flags;
  for (const std::string& flag : gcc_instrument_flags(folder)) flags += " '" + flag + "'";
  const std::string build = "cd '" + folder.string() + "' && gcc-12 -O2 -fprofile-generate='" + profiles.string() +
                            "'" + flags + " p.c -o instrumented && strip -o stripped instrumented && " +
                            "strip --strip-all -R .comment -o stripped-all instrumented && gcc-12 -O2 p.c -o plain && "
                            "strip -o plain-stripped plain";
  ASSERT_EQ(std::system(build.c_str()), 0);
  ASSERT_FALSE(has_gcov_symbols(folder / "stripped"));
  EXPECT_TRUE(is_gcc_instrumented(folder / "instrumented", profiles));
  EXPECT_TRUE(is_gcc_instrumented(folder / "stripped", profiles));
  EXPECT_TRUE(is_gcc_instrumented(folder / "stripped-all", profiles));
  EXPECT_FALSE(is_gcc_instrumented(folder / "plain", profiles));
  EXPECT_FALSE(is_gcc_instrumented(folder / "plain-stripped", profiles));
  EXPECT_FALSE(is_gcc_instrumented(folder / "stripped", folder / "other-profiles"));
  EXPECT_FALSE(is_gcc_instrumented(folder / "p.c", profiles));  // not ELF
  EXPECT_FALSE(is_gcc_instrumented("/nonexistent/binary", profiles));
  fs::remove_all(folder);
}

}  // namespace
