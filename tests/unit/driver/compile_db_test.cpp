// Known answers for the wrapper's compile-database capture: JSON strings from bytes that need not be
// UTF-8, and the merge of fragments into databases written by other tools, by hand, or by hone itself.
#include "driver/wrapper/compile_db.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace hone::wrapper {
namespace {

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(CompileDbJson, EscapesAndKeepsValidUtf8) {
  EXPECT_EQ(json_string("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(json_string(std::string("\x01\x7f", 2)), "\"\\u0001\\u007f\"");
  EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(CompileDbJson, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(json_string("caf\xe9.c"), "\"caf\\ufffd.c\"");  // Latin-1
  EXPECT_EQ(json_string("\xff"), "\"\\ufffd\"");
  EXPECT_EQ(json_string("\xc0\xaf"), "\"\\ufffd\\ufffd\"");                        // overlong '/'
  EXPECT_EQ(json_string("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");             // a surrogate
  EXPECT_EQ(json_string("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
  EXPECT_EQ(json_string("\xe2\x82"), "\"\\ufffd\\ufffd\"");                        // cut short at the end
}

class CompileDbMerge : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/hone-compile-db-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    folder_ = pattern;
    database_ = folder_ + "/compile_commands.json";
  }
  void TearDown() override { std::system(("rm -rf '" + folder_ + "'").c_str()); }

  std::string database_text() {
    std::ifstream in(database_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  RecordResult record(const std::string& source, const std::string& output) {
    Classification call;
    call.kind = CallKind::compile;
    call.sources = {source};
    call.output = output;
    return record_compile(database_, {"clang", "-c", source, "-o", output}, call);
  }

  RecordResult record_call(const std::vector<std::string>& sources, const std::string& output) {
    Classification call;
    call.kind = CallKind::compile;
    call.sources = sources;
    call.output = output;
    std::vector<std::string> command = {"clang", "-c"};
    command.insert(command.end(), sources.begin(), sources.end());
    for (size_t k = 0; k < sources.size(); ++k) call.source_arguments.push_back(1 + k);  // as classify() says
    return record_compile(database_, command, call);
  }
  // The names in the fragment folder, sorted.
  std::vector<std::string> fragment_names() {
    std::vector<std::string> names;
    if (DIR* directory = opendir((database_ + ".d").c_str())) {
      while (const dirent* item = readdir(directory))
        if (item->d_name[0] != '.') names.emplace_back(item->d_name);
      closedir(directory);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  // A canonical entry line for `file` compiled in the working folder, as a compile would record it.
  static std::string entry(const std::string& file, const std::string& output, const std::string& first_argument) {
    char directory[4096];
    EXPECT_NE(getcwd(directory, sizeof(directory)), nullptr);
    std::string line = "{\"directory\": \"" + std::string(directory) + "\", \"file\": \"" + file + "\"";
    if (!output.empty()) line += ", \"output\": \"" + output + "\"";
    return line + ", \"arguments\": [\"" + first_argument + "\", \"-c\", \"" + file + "\"]}";
  }
  void write(const std::string& path, const std::string& text) {
    std::system(("mkdir -p '" + database_ + ".d'").c_str());
    std::ofstream(path) << text;
  }
  static size_t count(const std::string& text, const std::string& what) {
    size_t found = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++found;
    return found;
  }

  std::string folder_;
  std::string database_;
};

TEST_F(CompileDbMerge, OneLinePerEntryAndARebuildReplacesItsEntry) {
  EXPECT_EQ(record("a.c", "a.o").error, "");
  EXPECT_EQ(record("b.c", "b.o").error, "");
  EXPECT_EQ(record("a.c", "a.o").error, "");
  std::string text = database_text();
  EXPECT_EQ(text.find("[\n{\"directory\": \""), 0u);
  EXPECT_NE(
      text.find(
          "\"file\": \"a.c\", \"output\": \"a.o\", \"arguments\": [\"clang\", \"-c\", \"a.c\", \"-o\", \"a.o\"]}"),
      std::string::npos);
  size_t first = text.find("\"file\": \"a.c\"");
  EXPECT_EQ(text.find("\"file\": \"a.c\"", first + 1), std::string::npos);  // a.c's entry once
  EXPECT_EQ(text.substr(text.size() - 4), "}\n]\n");
  EXPECT_EQ(access((database_ + ".d").c_str(), F_OK), 0);
}

TEST_F(CompileDbMerge, ForeignLayoutIsReadTolerantly) {
  std::ofstream(database_) << "[\n  {\"directory\": \"/d\", \"file\": \"x.c\", \"command\": \"cc -c x.c\"},\n"
                              "  7, null, {\"directory\": [], \"file\": \"y.c\", \"arguments\": []},\n"
                              "  {\"directory\": \"/d\", \"file\": \"z.c\", \"arguments\": [\"cc\", 3]}\n]\n";
  RecordResult result = record("a.c", "a.o");
  EXPECT_EQ(result.error, "");
  EXPECT_NE(result.warning.find("dropped 4 entries"), std::string::npos) << result.warning;
  std::string text = database_text();
  EXPECT_NE(text.find("{\"directory\": \"/d\", \"file\": \"x.c\", \"command\": \"cc -c x.c\"}"), std::string::npos);
  EXPECT_EQ(text.find("y.c"), std::string::npos);
  // The next compile finds the canonical layout: nothing more to warn about.
  EXPECT_EQ(record("b.c", "b.o").warning, "");
}

// Lines in hone's own layout are kept unparsed, but each is checked: one that only looks canonical (no
// "file", a byte that is not UTF-8, a field out of order or of another type) is rewritten or dropped, so
// the merge always leaves a database clang's loader reads (found by the compile_db fuzz target).
TEST_F(CompileDbMerge, CanonicalLookingLinesAreCheckedOneByOne) {
  const std::string good = "{\"directory\": \"/d\", \"file\": \"ok.c\", \"arguments\": [\"cc\", \"-c\", \"ok.c\"]}";
  std::ofstream(database_) << "[\n"
                           << good << ",\n"
                           << "{\"directory\": \"/d\", \"fi'le\": \"nofile.c\", \"arguments\": [\"cc\"]},\n"
                           << "{\"directory\": \"/d\", \"file\": \"latin\xe9.c\", \"arguments\": [\"cc\"]},\n"
                           << "{\"directory\": \"/d\", \"file\": \"lone.c\", \"arguments\": [\"\\udc00\"]},\n"
                           << "{\"directory\": \"/d\", \"arguments\": [\"cc\"], \"file\": \"reordered.c\"},\n"
                           << "{\"directory\": \"/d\", \"file\": \"typed.c\", \"arguments\": [\"cc\", 3]}\n]\n";
  RecordResult result = record("a.c", "a.o");
  EXPECT_EQ(result.error, "");
  EXPECT_NE(result.warning.find("dropped 4 entries"), std::string::npos) << result.warning;
  const std::string text = database_text();
  EXPECT_NE(text.find(good), std::string::npos);
  EXPECT_NE(text.find("{\"directory\": \"/d\", \"file\": \"reordered.c\", \"arguments\": [\"cc\"]}"), std::string::npos)
      << text;
  for (const char* gone : {"nofile.c", "latin", "lone.c", "typed.c"})
    EXPECT_EQ(text.find(gone), std::string::npos) << gone;
  EXPECT_EQ(record("b.c", "b.o").warning, "");
}

TEST_F(CompileDbMerge, BrokenFragmentIsNotMerged) {
  std::system(("mkdir -p '" + database_ + ".d'").c_str());
  std::ofstream(database_ + ".d/0123456789abcdef.json") << "{\"directory\": \"/d\", \"arguments\": [\"cc\"]}\n";
  RecordResult result = record("a.c", "a.o");
  EXPECT_EQ(result.error, "");
  EXPECT_NE(result.warning.find("1 unreadable fragments"), std::string::npos) << result.warning;
  EXPECT_EQ(database_text().find("\"arguments\": [\"cc\"]"), std::string::npos) << database_text();
}

// A call's entries are one fragment, written and renamed once (the compile_db fuzz target's
// timeout-one-write-per-source: 2,443 sources made 2,443 atomic writes). The database here is not an
// array, so the merge leaves the fragment pending and it can be counted; once the database is usable
// the next compile merges every entry of it.
TEST_F(CompileDbMerge, ACallWithManySourcesWritesOneFragment) {
  std::ofstream(database_) << "{\"not\": \"an array\"}";
  std::vector<std::string> sources;
  for (int i = 0; i < 400; ++i) sources.push_back("s" + std::to_string(i) + ".c");
  sources.push_back("s7.c");  // named twice: one entry
  EXPECT_NE(record_call(sources, "").error.find("is not a JSON array"), std::string::npos);
  ASSERT_EQ(fragment_names().size(), 1u);

  std::remove(database_.c_str());
  EXPECT_EQ(record("a.c", "a.o").error, "");
  const std::string text = database_text();
  EXPECT_EQ(count(text, "{\"directory\""), 401u);
  EXPECT_EQ(count(text, "\"file\": \"s7.c\""), 1u);
  EXPECT_EQ(count(text, "\"file\": \"s399.c\""), 1u);
  EXPECT_TRUE(fragment_names().empty());
}

// Each entry of a call with several sources holds the call's arguments without its other sources (as
// Bear records such a call): the entry compiles exactly its own file, and the database grows with the
// call's sources plus its arguments, not their product. Each entry used to repeat the whole command:
// 2,000 sources made 2,000 entries of 2,000 names each, a 58 MB database (3.8 s) for one call.
TEST_F(CompileDbMerge, EachEntryOfAMultiSourceCallHoldsOnlyItsOwnSource) {
  std::vector<std::string> arguments = {"-O2", "-c"};
  for (int i = 0; i < 2000; ++i) arguments.push_back("src/s" + std::to_string(i) + ".c");
  arguments.insert(arguments.end(), {"-Wall", "-x", "c", "-"});  // stdin: no entry, and in none
  std::vector<std::string> command = {"clang"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  const Classification call = classify(arguments);
  ASSERT_EQ(call.sources.size(), 2001u);
  EXPECT_EQ(record_compile(database_, command, call).error, "");
  const std::string text = database_text();
  EXPECT_EQ(count(text, "{\"directory\""), 2000u);
  EXPECT_NE(text.find("\"file\": \"src/s7.c\", \"arguments\": [\"clang\", \"-O2\", \"-c\", \"src/s7.c\", \"-Wall\", "
                      "\"-x\", \"c\"]}"),
            std::string::npos)
      << text.substr(0, 2000);
  EXPECT_EQ(count(text, "\"src/s7.c\""), 2u);  // its entry's file and its one argument
  EXPECT_EQ(count(text, "\"src/s1999.c\""), 2u);
  EXPECT_LT(text.size(), 2000u * 200u);  // linear: about 150 bytes per entry here
}

// A source read from a response file stays inside the @file, which every entry of the call repeats;
// the sources written on the command line are left out of each other's entries all the same.
TEST_F(CompileDbMerge, SourcesInAResponseFileStayInIt) {
  const std::string list = folder_ + "/more.rsp";
  std::ofstream(list) << "r.c\n";
  const std::vector<std::string> arguments = {"-c", "a.c", "@" + list, "b.c"};
  std::vector<std::string> command = {"clang"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  EXPECT_EQ(record_compile(database_, command, classify(arguments)).error, "");
  const std::string text = database_text();
  const std::string at = "\"@" + list + "\"";
  EXPECT_NE(text.find("\"file\": \"a.c\", \"arguments\": [\"clang\", \"-c\", \"a.c\", " + at + "]}"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"file\": \"r.c\", \"arguments\": [\"clang\", \"-c\", " + at + "]}"), std::string::npos) << text;
  EXPECT_NE(text.find("\"file\": \"b.c\", \"arguments\": [\"clang\", \"-c\", " + at + ", \"b.c\"]}"), std::string::npos)
      << text;
}

// What SIGKILL can leave between the steps, and what the next compile's merge makes of it: every entry
// of a call is kept, once. Killed between claiming and committing: the claimed fragment is merged whole.
TEST_F(CompileDbMerge, AFragmentClaimedByAKilledMergerIsMergedWhole) {
  write(database_ + ".d/0123456789abcdef.json.merging",
        entry("x.c", "", "cc") + "\n" + entry("y.c", "", "cc") + "\n" + entry("z.c", "", "cc") + "\n");
  RecordResult result = record("a.c", "a.o");
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.warning, "");
  const std::string text = database_text();
  for (const char* file : {"\"x.c\"", "\"y.c\"", "\"z.c\"", "\"a.c\""}) EXPECT_EQ(count(text, file), 2u) << file;
  EXPECT_TRUE(fragment_names().empty());
}

// Killed after committing the database but before removing what it claimed: merged again, no duplicate.
TEST_F(CompileDbMerge, AFragmentMergedBeforeTheKillIsNotDuplicated) {
  ASSERT_EQ(record_call({"x.c", "y.c", "z.c"}, "").error, "");
  write(database_ + ".d/0123456789abcdef.json.merging",
        entry("x.c", "", "clang") + "\n" + entry("y.c", "", "clang") + "\n" + entry("z.c", "", "clang") + "\n");
  RecordResult result = record("a.c", "a.o");
  EXPECT_EQ(result.warning, "");
  const std::string text = database_text();
  EXPECT_EQ(count(text, "{\"directory\""), 4u) << text;
}

// Two pending fragments with the same entry (a killed merger's claim and a newer call's): the newer wins,
// whatever the order of their names (the stale one here sorts last).
TEST_F(CompileDbMerge, TheNewestFragmentOfAnEntryWins) {
  const std::string stale = database_ + ".d/ffffffffffffffff.json.merging";
  write(stale, entry("x.c", "x.o", "stale-cc") + "\n");
  const timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, stale.c_str(), old_times, 0), 0);
  Classification call;
  call.kind = CallKind::compile;
  call.sources = {"x.c"};
  call.output = "x.o";
  EXPECT_EQ(record_compile(database_, {"new-cc", "-c", "x.c"}, call).error, "");
  const std::string text = database_text();
  EXPECT_EQ(count(text, "\"file\": \"x.c\""), 1u) << text;
  EXPECT_NE(text.find("new-cc"), std::string::npos) << text;
}

// A fragment is published whole by a rename; one whose lines are not all entries was not written by
// hone and none of it is merged.
TEST_F(CompileDbMerge, AFragmentWithABrokenLineIsDroppedWhole) {
  write(database_ + ".d/0123456789abcdef.json", entry("x.c", "", "cc") + "\n{\"directory\": \"/d\"}\n");
  RecordResult result = record("a.c", "a.o");
  EXPECT_EQ(result.error, "");
  EXPECT_NE(result.warning.find("1 unreadable fragments"), std::string::npos) << result.warning;
  EXPECT_EQ(database_text().find("x.c"), std::string::npos) << database_text();
}

TEST_F(CompileDbMerge, NotAnArrayIsLeftAlone) {
  std::ofstream(database_) << "{\"not\": \"an array\"}";
  EXPECT_NE(record("a.c", "a.o").error.find("is not a JSON array"), std::string::npos);
  EXPECT_EQ(database_text(), "{\"not\": \"an array\"}");
  std::ofstream(database_) << std::string(100000, '[');  // nesting no parser should recurse into
  EXPECT_NE(record("a.c", "a.o").error.find("is not a JSON array"), std::string::npos);
}

}  // namespace
}  // namespace hone::wrapper
