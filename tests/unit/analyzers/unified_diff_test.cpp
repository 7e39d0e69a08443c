// Checks the unified diff `hone layout --diff` prints: exact hunks for a moved line, merged and split
// hunks around 3 lines of context, a missing final newline, and that `patch` applies the output to
// reproduce the new text (the real patch(1), run on a temporary folder).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "source_rewrite.h"

namespace hone::layout {
namespace {

std::string lines(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) text += "line " + std::to_string(i) + "\n";
  return text;
}

TEST(UnifiedDiff, EqualTextsGiveNothing) {
  EXPECT_EQ(unified_diff("a/f", "b/f", "x\ny\n", "x\ny\n"), "");
}

TEST(UnifiedDiff, MovedLineHasDeletionThenInsertionWithContext) {
  std::string before = "struct S {\n  char a;\n  double b;\n  char c;\n};\n";
  std::string after = "struct S {\n  double b;\n  char a;\n  char c;\n};\n";
  EXPECT_EQ(unified_diff("a/s.h", "b/s.h", before, after),
            "--- a/s.h\n+++ b/s.h\n@@ -1,5 +1,5 @@\n struct S {\n-  char a;\n   double b;\n+  char a;\n"
            "   char c;\n };\n");
}

TEST(UnifiedDiff, FarApartChangesGetSeparateHunks) {
  std::string before = lines(1, 30);
  std::string after = before;
  after.replace(after.find("line 2\n"), 7, "LINE 2\n");
  after.replace(after.find("line 25\n"), 8, "LINE 25\n");
  std::string diff = unified_diff("a/f", "b/f", before, after);
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -22,7 +22,7 @@\n"), std::string::npos) << diff;
}

TEST(UnifiedDiff, MissingFinalNewlineIsMarked) {
  std::string diff = unified_diff("a/f", "b/f", "x\ny", "x\nz");
  EXPECT_NE(diff.find("-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n"), std::string::npos)
      << diff;
}

TEST(UnifiedDiff, PatchReproducesTheNewText) {
  std::string before = lines(1, 40);
  std::string after = before;
  after.replace(after.find("line 10\n"), 8, "");
  after.insert(after.find("line 14\n"), "line 10\n");
  after.replace(after.find("line 33\n"), 8, "changed 33\n");
  namespace fs = std::filesystem;
  fs::path folder = fs::temp_directory_path() / ("hone-diff-test-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  std::ofstream(folder / "file.txt") << before;
  std::ofstream(folder / "file.diff") << unified_diff("a/file.txt", "b/file.txt", before, after);
  std::string command = "cd '" + folder.string() + "' && patch -s -p1 < file.diff";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::stringstream patched;
  patched << std::ifstream(folder / "file.txt").rdbuf();
  EXPECT_EQ(patched.str(), after);
  fs::remove_all(folder);
}

}  // namespace
}  // namespace hone::layout
