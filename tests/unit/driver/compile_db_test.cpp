// Known answers for the wrapper's compile-database capture: JSON strings from bytes that need not be
// UTF-8, and the merge of fragments into databases written by other tools, by hand, or by hone itself.
#include "driver/wrapper/compile_db.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

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

TEST_F(CompileDbMerge, NotAnArrayIsLeftAlone) {
  std::ofstream(database_) << "{\"not\": \"an array\"}";
  EXPECT_NE(record("a.c", "a.o").error.find("is not a JSON array"), std::string::npos);
  EXPECT_EQ(database_text(), "{\"not\": \"an array\"}");
  std::ofstream(database_) << std::string(100000, '[');  // nesting no parser should recurse into
  EXPECT_NE(record("a.c", "a.o").error.find("is not a JSON array"), std::string::npos);
}

}  // namespace
}  // namespace hone::wrapper
