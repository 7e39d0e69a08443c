// Units of driver/report (hone report): escaping, the "after" placement of a record's fields (known
// answers from hone layout's own suggested-order views), the cache-line drawing's geometry, and the
// positions and field paths in input error messages.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "driver/report/html.h"
#include "driver/report/inputs.h"
#include "driver/report/layout_section.h"
#include "driver/report/svg.h"

namespace hone::report {
namespace {

TEST(ReportEscape, EveryMarkupCharacterBecomesAnEntity) {
  EXPECT_EQ(escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(escape("plain_name::Type<int>"), "plain_name::Type&lt;int&gt;");
  EXPECT_EQ(escape(""), "");
}

TEST(ReportText, SecondsScaleToTheirUnit) {
  EXPECT_EQ(seconds_text(1.5), "1.50 s");
  EXPECT_EQ(seconds_text(0.0179), "17.9 ms");
  EXPECT_EQ(seconds_text(0.000250), "250 us");
  EXPECT_EQ(seconds_text(3e-9), "3.00 ns");
  EXPECT_EQ(fixed(1.0 / 0.0, 2), "n/a");
}

LayoutMember field(const std::string& name, std::uint64_t offset, std::uint64_t size, std::uint64_t align) {
  LayoutMember member;
  member.kind = "field";
  member.name = name;
  member.type = "t";
  member.offset_bits = offset * 8;
  member.size_bits = size * 8;
  member.align = align;
  return member;
}

// struct Bad { char a; double b; char c; }: 24 bytes; the order b, a, c gives 16 (docs/layout.md).
LayoutRecord bad_record() {
  LayoutRecord record;
  record.name = "Bad";
  record.size = 24;
  record.members = {field("a", 0, 1, 1), field("b", 8, 8, 8), field("c", 16, 1, 1)};
  record.holes = {{8, 56, false}, {136, 56, true}};
  record.suggestion = LayoutSuggestion{{"b", "a", "c"}, 16, 8, 1, true, true, ""};
  return record;
}

TEST(ReportLayout, AfterPlacesFieldsInOrderAtTheirAlignment) {
  std::optional<std::vector<Block>> after = blocks_after(bad_record());
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 4u);
  EXPECT_EQ((*after)[0].label, "b");
  EXPECT_EQ((*after)[0].offset_bits, 0u);
  EXPECT_EQ((*after)[1].label, "a");
  EXPECT_EQ((*after)[1].offset_bits, 64u);
  EXPECT_EQ((*after)[2].label, "c");
  EXPECT_EQ((*after)[2].offset_bits, 72u);
  EXPECT_EQ((*after)[3].kind, Block::Kind::tail);
  EXPECT_EQ((*after)[3].offset_bits, 80u);
  EXPECT_EQ((*after)[3].size_bits, 48u);  // 6 bytes of tail padding up to 16
}

TEST(ReportLayout, AfterKeepsBasesAndVptrWhereTheyAre) {
  LayoutRecord record;
  record.size = 24;
  LayoutMember vptr;
  vptr.kind = "vptr";
  vptr.size_bits = 64;
  vptr.align = 8;
  record.members = {vptr, field("a", 8, 1, 1), field("b", 12, 4, 4), field("c", 16, 1, 1)};
  record.suggestion = LayoutSuggestion{{"b", "a", "c"}, 16, 8, 1, true, true, ""};
  std::optional<std::vector<Block>> after = blocks_after(record);
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)[0].offset_bits, 0u);    // vptr
  EXPECT_EQ((*after)[1].offset_bits, 64u);   // b at 8
  EXPECT_EQ((*after)[2].offset_bits, 96u);   // a at 12
  EXPECT_EQ((*after)[3].offset_bits, 104u);  // c at 13
  EXPECT_EQ(after->back().kind, Block::Kind::tail);
}

TEST(ReportLayout, AfterRefusesAnOrderThatDisagreesWithTheAnalyzer) {
  LayoutRecord unknown_field = bad_record();
  unknown_field.suggestion->order = {"b", "a", "z"};
  EXPECT_FALSE(blocks_after(unknown_field));
  LayoutRecord missing_field = bad_record();
  missing_field.suggestion->order = {"b", "a"};
  EXPECT_FALSE(blocks_after(missing_field));
  LayoutRecord too_small = bad_record();
  too_small.suggestion->new_size = 8;
  EXPECT_FALSE(blocks_after(too_small));
  LayoutRecord no_suggestion = bad_record();
  no_suggestion.suggestion.reset();
  EXPECT_FALSE(blocks_after(no_suggestion));
}

TEST(ReportSvg, CachelineDiagramIsToScaleAndSplitsAcrossLines) {
  // A 16-byte member at offset 56 crosses the first 64-byte line: 8 bytes (64 px) on each line.
  std::vector<Block> blocks = {{Block::Kind::item, "wide", "wide: t", 56 * 8, 16 * 8}};
  std::string svg = cacheline_diagram(blocks, 128, 64);
  EXPECT_NE(svg.find("<rect x=\"512.0\" y=\"2.0\" width=\"64.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("<rect x=\"64.0\" y=\"28.0\" width=\"64.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find(">+64</text>"), std::string::npos);
}

TEST(ReportSvg, CachelineDiagramCountsTheLinesItDoesNotDraw) {
  std::string svg = cacheline_diagram({}, 64 * 40, 64, 32);
  EXPECT_NE(svg.find("8 more cache lines not drawn"), std::string::npos);
}

TEST(ReportSvg, LabelsAreEscaped) {
  std::string svg = interval_chart({{"<b>x</b>", 1.2, 1.1, 1.3, Tone::good}}, 1.0, "x");
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
}

TEST(ReportInputs, PositionOfCountsLinesAndColumnsFromOne) {
  EXPECT_EQ(position_of("ab\ncd\ne", 0), "1:1");
  EXPECT_EQ(position_of("ab\ncd\ne", 4), "2:2");
  EXPECT_EQ(position_of("ab\ncd\ne", 6), "3:1");
}

TEST(ReportInputs, FieldErrorsNameTheFileTheFieldAndTheWriter) {
  Fields fields("in.json", "the output of 'x'");
  nlohmann::json document = nlohmann::json::parse(R"({"a": {"n": "12", "m": -1}})");
  try {
    fields.number(document["a"], "n", "a");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "in.json: 'a.n' is not a number (expected the output of 'x')");
  }
  EXPECT_THROW(fields.count(document["a"], "m", "a"), InputError);
  EXPECT_EQ(fields.count_or(document["a"], "absent", "a", 7), 7u);
}

TEST(ReportInputs, MalformedJsonNamesLineAndColumn) {
  std::string path = ::testing::TempDir() + "report_malformed.json";
  std::ofstream(path) << "{\n  \"a\": [1,,2]\n}\n";
  try {
    read_json_file(path);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(path + ":2:11: malformed JSON: syntax error", 0), 0u) << error.what();
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hone::report
