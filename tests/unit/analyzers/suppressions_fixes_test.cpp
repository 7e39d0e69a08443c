// Checks what the analyzers decide from the source text after the analysis: which NOLINT comments
// silence which checks (names, globs, NOLINTNEXTLINE, bare NOLINT ignored), line/column to byte
// offsets, and the clang-apply-replacements YAML written for findings with fixes.
#include <gtest/gtest.h>

#include "export_fixes.h"
#include "suppressions.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdio>
#include <fstream>

namespace hone::analyze {
namespace {

TEST(Suppressions, NamesAndGlobs) {
  EXPECT_TRUE(line_suppresses("struct A {};  // NOLINT(hone-padding)", "NOLINT", "hone-padding"));
  EXPECT_TRUE(line_suppresses("x; // NOLINT(bugprone-foo, hone-padding )", "NOLINT", "hone-padding"));
  EXPECT_TRUE(line_suppresses("x; // NOLINT(hone-vec-*)", "NOLINT", "hone-vec-aliasing"));
  EXPECT_TRUE(line_suppresses("x; // NOLINT(*)", "NOLINT", "hone-layout"));
  EXPECT_FALSE(line_suppresses("x; // NOLINT(hone-vec-*)", "NOLINT", "hone-padding"));
  // hone-padding does not silence hone-padding-keep-order: names are whole, globs say more.
  EXPECT_FALSE(line_suppresses("x; // NOLINT(hone-padding)", "NOLINT", "hone-padding-keep-order"));
  EXPECT_TRUE(line_suppresses("x; // NOLINT(hone-padding*)", "NOLINT", "hone-padding-keep-order"));
}

TEST(Suppressions, BareNolintAndOtherMarkersDoNotCount) {
  EXPECT_FALSE(line_suppresses("x; // NOLINT", "NOLINT", "hone-padding"));
  EXPECT_FALSE(line_suppresses("x; // NOLINT: hone-padding", "NOLINT", "hone-padding"));
  EXPECT_FALSE(line_suppresses("x; // NOLINTNEXTLINE(hone-padding)", "NOLINT", "hone-padding"));
  EXPECT_FALSE(line_suppresses("x; // XNOLINT(hone-padding)", "NOLINT", "hone-padding"));
  EXPECT_FALSE(line_suppresses("x; // NOLINT(hone-padding", "NOLINT", "hone-padding"));
  EXPECT_TRUE(line_suppresses("// NOLINTNEXTLINE(hone-padding)", "NOLINTNEXTLINE", "hone-padding"));
  // A second marker on the line is looked at too.
  EXPECT_TRUE(line_suppresses("// NOLINT // NOLINT(hone-layout)", "NOLINT", "hone-layout"));
}

TEST(Suppressions, Offsets) {
  const std::string text = "ab\ncde\n\nf";
  EXPECT_EQ(offset_in(text, 1, 1), 0u);
  EXPECT_EQ(offset_in(text, 1, 3), 2u);  // the newline: an insertion at the end of the line
  EXPECT_EQ(offset_in(text, 1, 4), std::nullopt);
  EXPECT_EQ(offset_in(text, 2, 2), 4u);
  EXPECT_EQ(offset_in(text, 3, 1), 7u);
  EXPECT_EQ(offset_in(text, 4, 1), 8u);
  EXPECT_EQ(offset_in(text, 5, 1), std::nullopt);
  EXPECT_EQ(offset_in(text, 0, 1), std::nullopt);
}

// A file in the temporary directory with `text`, removed at the end of the test.
struct TempSource {
  explicit TempSource(const std::string& text) {
    llvm::SmallString<128> name;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("hone-suppressions", "cpp", name));
    path = std::string(name);
    std::ofstream(path) << text;
  }
  ~TempSource() { std::remove(path.c_str()); }
  std::string path;
};

Finding finding_at(const std::string& file, unsigned line, const std::string& check) {
  Finding finding;
  finding.file = file;
  finding.line = line;
  finding.column = 1;
  finding.check = check;
  finding.message = "m";
  return finding;
}

TEST(Suppressions, DropsOnlyNamedFindingsOnTheirLines) {
  TempSource source("struct A; // NOLINT(hone-padding)\n// NOLINTNEXTLINE(hone-layout)\nstruct B;\nstruct C;\n");
  SourceCache sources;
  std::vector<Finding> findings{finding_at(source.path, 1, "hone-padding"), finding_at(source.path, 1, "hone-layout"),
                                finding_at(source.path, 3, "hone-layout"), finding_at(source.path, 4, "hone-layout"),
                                finding_at("/nonexistent/file.cpp", 1, "hone-layout")};
  EXPECT_EQ(drop_suppressed(sources, findings), 2u);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].line, 1u);
  EXPECT_EQ(findings[0].check, "hone-layout");
  EXPECT_EQ(findings[1].line, 4u);
  EXPECT_EQ(findings[2].file, "/nonexistent/file.cpp");
}

TEST(ExportFixes, YamlHasTheReplacementsOfFindingsWithFixes) {
  TempSource source("int a;\nint b;\n");
  SourceCache sources;
  Finding fixed = finding_at(source.path, 2, "hone-padding");
  fixed.message = "it's 'quoted'";
  fixed.fixes.push_back({"swap", {{source.path, 4, 1, "bb"}, {source.path, 0, 0, "// x\n"}}});
  std::vector<Finding> findings{finding_at(source.path, 1, "hone-layout"), fixed};
  EXPECT_EQ(count_fixes(findings), 1u);
  const std::string yaml = fixes_yaml(findings, source.path, "/build", sources);
  EXPECT_NE(yaml.find("MainSourceFile:  '" + source.path + "'"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("DiagnosticName:  hone-padding"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("hone-layout"), std::string::npos) << yaml;         // no fix: not listed
  EXPECT_NE(yaml.find("FileOffset:      7"), std::string::npos) << yaml;  // line 2, column 1
  EXPECT_NE(yaml.find("Offset:          4\n          Length:          1\n          ReplacementText: bb"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("ReplacementText: \"// x\\n\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("Message:         'it''s ''quoted'''"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("BuildDirectory:  '/build'"), std::string::npos) << yaml;
}

// Two findings whose fixes share an edit (hone vec: `__restrict` on one parameter for two loops): the
// edit is written once, since clang-apply-replacements would insert it twice.
TEST(ExportFixes, SharedEditsAreWrittenOnce) {
  TempSource source("void f(int *a) {}\n");
  SourceCache sources;
  Finding first = finding_at(source.path, 1, "hone-vec-aliasing");
  first.fixes.push_back({"restrict", {{source.path, 7, 0, "__restrict "}}});
  Finding second = finding_at(source.path, 1, "hone-vec-aliasing");
  second.fixes.push_back({"restrict", {{source.path, 7, 0, "__restrict "}, {source.path, 0, 0, "// y\n"}}});
  const std::string yaml = fixes_yaml({first, second}, source.path, "/build", sources);
  size_t count = 0;
  for (size_t at = yaml.find("__restrict"); at != std::string::npos; at = yaml.find("__restrict", at + 1)) ++count;
  EXPECT_EQ(count, 1u) << yaml;
  EXPECT_NE(yaml.find("ReplacementText: \"// y\\n\""), std::string::npos) << yaml;
}

}  // namespace
}  // namespace hone::analyze
