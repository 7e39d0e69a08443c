// Units of driver/profile: folding perf script text in every layout perf prints, per-function self and
// total time, the perf_event_paranoid verdicts and their advice, finding perf, XML escaping, the
// flame graph's layout and the summary tables. The end-to-end runs with a real perf are lit tests
// (tests/lit/profile).
#include "driver/profile/flame_graph.h"
#include "driver/profile/perf_setup.h"
#include "driver/profile/stack_folding.h"
#include "driver/profile/top_functions.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace hone::profile;

FoldedProfile fold(const std::string& text) {
  FoldedProfile profile;
  std::istringstream in(text);
  std::string error;
  EXPECT_TRUE(fold_perf_script(in, profile, error)) << error;
  return profile;
}

TEST(StackFolding, HonesOwnFieldLayout) {
  const FoldedProfile profile = fold("hot 17566/17566    1001001 cpu-clock: \n"
                                     "\t            11ac hot_function (/tmp/hot)\n"
                                     "\t            1292 driver (/tmp/hot)\n"
                                     "\t            106e main (/tmp/hot)\n"
                                     "\n"
                                     "hot 17566/17566    1001001 cpu-clock: \n"
                                     "\t            11ac hot_function (/tmp/hot)\n"
                                     "\t            106e main (/tmp/hot)\n"
                                     "\n");
  EXPECT_EQ(profile.samples, 2u);
  EXPECT_EQ(profile.total_weight, 2002002u);
  ASSERT_EQ(profile.stacks.size(), 2u);
  EXPECT_EQ(profile.stacks.at("hot;main;driver;hot_function").weight, 1001001u);
  EXPECT_EQ(profile.stacks.at("hot;main;hot_function").samples, 1u);
  EXPECT_EQ(profile.events, std::vector<std::string>{"cpu-clock"});
  EXPECT_EQ(profile.modules.at("hot_function"), "/tmp/hot");
}

TEST(StackFolding, PerfScriptDefaultLayoutWithCpuTimeAndSpacesInTheCommand) {
  const FoldedProfile profile =
      fold("Web Content  4242 [003]  8911.927974:     250000 cycles:u: \n"
           "\t    7f00aa (anonymous namespace)::parse(char const*) (/usr/lib/libweb.so)\n"
           "\t    7f00bb std::vector<int, std::allocator<int> >::push_back(int const&) (/usr/lib/libweb.so)\n"
           "\n");
  ASSERT_EQ(profile.stacks.size(), 1u);
  EXPECT_EQ(profile.stacks.begin()->first, "Web Content;std::vector<int, std::allocator<int> >::push_back(int const&);"
                                           "(anonymous namespace)::parse(char const*)");
  EXPECT_EQ(profile.total_weight, 250000u);
  EXPECT_EQ(profile.events, std::vector<std::string>{"cycles:u"});
}

TEST(StackFolding, KernelInlinedAndUnknownFrames) {
  const FoldedProfile profile = fold("prog 1/1 10 cpu-clock:\n"
                                     "\tffffffff8225fd19 pvm_irq_enable ([kernel.kallsyms])\n"
                                     "\t           1bccb _dl_start_final (inlined)\n"
                                     "\t           12345 [unknown] (/usr/lib/libfoo.so.1)\n"
                                     "\t           67890 [unknown] ([unknown])\n"
                                     "\t           abcde [unknown] ([vdso])\n"
                                     "\t           11111 weird;name (/bin/prog)\n"
                                     "\n");
  ASSERT_EQ(profile.stacks.size(), 1u);
  EXPECT_EQ(profile.stacks.begin()->first,
            "prog;weird:name;[vdso];[unknown];[libfoo.so.1];_dl_start_final_[i];pvm_irq_enable_[k]");
}

TEST(StackFolding, SamplesWithoutCallChainsAndWithoutPeriods) {
  const FoldedProfile profile = fold("prog 77/78 cpu-clock:  4011b6 hot_function (/bin/prog)\n"
                                     "prog 77/78 cpu-clock:  4011c0 hot_function (/bin/prog)\n"
                                     "prog 77/78 cpu-clock: \n"
                                     "\n");
  EXPECT_EQ(profile.samples, 3u);
  EXPECT_EQ(profile.total_weight, 3u);  // no period printed: each sample weighs 1
  EXPECT_EQ(profile.stacks.at("prog;hot_function").samples, 2u);
  EXPECT_EQ(profile.stacks.at("prog;[unknown]").samples, 1u);
}

TEST(StackFolding, CommentsCarriageReturnsAndNoTrailingBlankLine) {
  const FoldedProfile profile = fold("# ========\n# captured on: today\n"
                                     "prog 1/1 5 cpu-clock:\r\n"
                                     "\t 1 leaf (/bin/prog)\r\n");
  EXPECT_EQ(profile.samples, 1u);
  EXPECT_EQ(profile.stacks.count("prog;leaf"), 1u);
}

TEST(StackFolding, RejectsTextThatIsNotPerfScriptOutput) {
  for (const std::string text : {"hello world\n", "\tframe before any header (x)\n", "prog cpu-clock:\n"}) {
    FoldedProfile profile;
    std::istringstream in(text);
    std::string error;
    EXPECT_FALSE(fold_perf_script(in, profile, error)) << text;
    EXPECT_EQ(error.rfind("line 1: ", 0), 0u) << error;
  }
}

TEST(FunctionTimes, SelfIsTheLeafAndTotalCountsRecursionOnce) {
  FoldedProfile profile;
  profile.stacks["p;main;walk;walk;walk;leaf"] = {60, 6};
  profile.stacks["p;main;walk"] = {30, 3};
  profile.stacks["p;main"] = {10, 1};
  profile.total_weight = 100;
  profile.samples = 10;
  const auto by_self = function_times(profile, true);
  ASSERT_EQ(by_self.size(), 3u);
  EXPECT_EQ(by_self[0].name, "leaf");
  EXPECT_EQ(by_self[0].self, 60u);
  EXPECT_EQ(by_self[1].name, "walk");
  EXPECT_EQ(by_self[1].self, 30u);
  EXPECT_EQ(by_self[1].total, 90u);  // not 60*3 + 30
  const auto by_total = function_times(profile, false);
  EXPECT_EQ(by_total[0].name, "main");
  EXPECT_EQ(by_total[0].total, 100u);
  EXPECT_EQ(by_total[0].self, 10u);
}

TEST(FunctionTimes, ModulesAreBaseNamesAndSeveralAreListed) {
  const FoldedProfile profile = fold("p 1/1 1 cpu-clock:\n\t 1 _start (/lib64/ld-linux-x86-64.so.2)\n\n"
                                     "p 1/1 1 cpu-clock:\n\t 1 main (/opt/app/p)\n\t 2 _start (/opt/app/p)\n\n");
  for (const FunctionTime& function : function_times(profile, false)) {
    if (function.name == "_start") {
      EXPECT_EQ(function.module, "ld-linux-x86-64.so.2, p");
    } else if (function.name == "main") {
      EXPECT_EQ(function.module, "p");
    }
  }
}

TEST(FoldedText, OneLinePerStackWithItsWeight) {
  FoldedProfile profile;
  profile.stacks["p;a;b"] = {7, 1};
  profile.stacks["p;a"] = {3, 1};
  EXPECT_EQ(folded_text(profile), "p;a 3\np;a;b 7\n");
}

TEST(Paranoid, VerdictsAndAdvice) {
  EXPECT_TRUE(judge_paranoid(-1, false).allowed);
  EXPECT_TRUE(judge_paranoid(1, false).allowed);
  EXPECT_FALSE(judge_paranoid(1, false).user_space_only);

  const ParanoidVerdict two = judge_paranoid(2, false);
  EXPECT_TRUE(two.allowed);
  EXPECT_TRUE(two.user_space_only);
  EXPECT_NE(two.message.find("user space only"), std::string::npos);

  const ParanoidVerdict three = judge_paranoid(3, false);
  EXPECT_FALSE(three.allowed);
  EXPECT_NE(three.message.find("perf_event_paranoid is 3"), std::string::npos);
  EXPECT_NE(three.message.find("sudo sysctl kernel.perf_event_paranoid=1"), std::string::npos);
  EXPECT_NE(three.message.find("/etc/sysctl.d/"), std::string::npos);

  // Root or CAP_PERFMON may profile everything whatever the level.
  EXPECT_TRUE(judge_paranoid(3, true).allowed);
  EXPECT_FALSE(judge_paranoid(3, true).user_space_only);
  EXPECT_TRUE(judge_paranoid(2, true).allowed);
  EXPECT_FALSE(judge_paranoid(2, true).user_space_only);

  const ParanoidVerdict none = judge_paranoid(std::nullopt, true);
  EXPECT_FALSE(none.allowed);
  EXPECT_NE(none.message.find("CONFIG_PERF_EVENTS"), std::string::npos);
}

TEST(FindPerf, HonePerfThenPath) {
  char directory[] = "/tmp/hone-profile-test-XXXXXX";
  ASSERT_NE(mkdtemp(directory), nullptr);
  const std::string perf = std::string(directory) + "/perf";
  std::ofstream(perf) << "#!/bin/sh\n";
  ASSERT_EQ(chmod(perf.c_str(), 0755), 0);
  EXPECT_EQ(find_perf(nullptr, directory).value_or(""), perf);
  EXPECT_EQ(find_perf("", (std::string("/nonexistent:") + directory).c_str()).value_or(""), perf);
  EXPECT_FALSE(find_perf(nullptr, "/nonexistent"));
  EXPECT_EQ(find_perf(perf.c_str(), "/nonexistent").value_or(""), perf);
  EXPECT_FALSE(find_perf("/nonexistent/perf", directory));  // an explicit HONE_PERF is not second-guessed
  EXPECT_NE(perf_missing_message(nullptr).find("apt-get install linux-perf"), std::string::npos);
  EXPECT_NE(perf_missing_message("/x/perf").find("HONE_PERF is set to '/x/perf'"), std::string::npos);
  std::remove(perf.c_str());
  rmdir(directory);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t found = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++found;
  return found;
}

TEST(FlameGraph, OneFramePerVisibleNodeAndTinyOnesLeftOut) {
  FoldedProfile profile;
  profile.stacks["prog;main;big"] = {1'000'000, 1000};
  profile.stacks["prog;main;tiny"] = {1, 1};  // 1e-6 of 1180 px: under the 0.1 px threshold
  profile.stacks["prog;main;std::vector<int>::at"] = {500'000, 500};
  profile.samples = 1501;
  profile.total_weight = 1'500'001;
  FlameGraphOptions options;
  options.title = "t <1>";
  const std::string svg = render_flame_graph(profile, options);
  EXPECT_EQ(svg.rfind("<?xml version=\"1.0\"", 0), 0u);
  EXPECT_EQ(count(svg, "<g class=\"f\""), 5u);  // all, prog, main, big, at
  EXPECT_EQ(count(svg, "tiny"), 0u);
  EXPECT_NE(svg.find("std::vector&lt;int&gt;::at"), std::string::npos);
  EXPECT_NE(svg.find(">t &lt;1&gt;</text>"), std::string::npos);
  EXPECT_NE(svg.find("height=\"158\""), std::string::npos);  // 60 + 4 levels * 16 + 34
  EXPECT_EQ(count(svg, "<![CDATA["), 1u);
  EXPECT_EQ(count(svg, "]]>"), 1u);
}

TEST(Summary, TablesInMillisecondsForCpuClock) {
  FoldedProfile profile;
  profile.stacks["p;main;hot"] = {3'000'000, 3};
  profile.stacks["p;main"] = {1'000'000, 1};
  profile.samples = 4;
  profile.total_weight = 4'000'000;
  profile.events = {"cpu-clock"};
  SummaryOptions options;
  options.top = 1;
  options.weight_is_ns = true;
  const std::string text = format_summary(profile, options);
  EXPECT_NE(text.find("    self%     self ms   total%  function (module)\n"
                      "   75.00%         3.0   75.00%  hot\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("   total%    total ms    self%  function (module)\n"
                      "  100.00%         4.0   25.00%  main\n"),
            std::string::npos)
      << text;
  options.weight_is_ns = false;
  EXPECT_NE(format_summary(profile, options).find("(M = millions of cpu-clock)"), std::string::npos);
}

}  // namespace
