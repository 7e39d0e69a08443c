// Known answers for the markup-escaping rule the flame graph and hone report's pages share.
#include "support/markup.h"

#include <gtest/gtest.h>

namespace hone::support {
namespace {

TEST(SupportMarkup, EveryMarkupCharacterBecomesAnEntity) {
  EXPECT_EQ(escape_markup("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(escape_markup("operator<<"), "operator&lt;&lt;");
  EXPECT_EQ(escape_markup("plain_name::Type<int>"), "plain_name::Type&lt;int&gt;");
  EXPECT_EQ(escape_markup(""), "");
}

TEST(SupportMarkup, ControlCharactersXmlForbidsBecomeQuestionMarks) {
  EXPECT_EQ(escape_markup(std::string_view("a\x01"
                                           "b\x1f"
                                           "c\0d",
                                           7)),
            "a?b?c?d");
  EXPECT_EQ(escape_markup("tab\tnew\nreturn\r"), "tab\tnew\nreturn\r");
  EXPECT_EQ(escape_markup("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes through unchanged
}

}  // namespace
}  // namespace hone::support
