// Units of driver/bench (the library behind `hone bench`): Google Benchmark JSON parsing (units,
// grouping of repetitions, aggregates, errors), --threshold parsing, matching, the geometric mean and
// duration formatting. The command-line behaviour itself is covered by tests/lit/bench.
#include "driver/bench/compare.h"
#include "driver/bench/report.h"
#include "driver/bench/results.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

using namespace hone::bench;

std::string entry(const std::string& name, double time, const std::string& unit, const std::string& extra = "") {
  return "{\"name\": \"" + name + "\", \"run_name\": \"" + name +
         "\", \"run_type\": \"iteration\", \"real_time\": " + std::to_string(time) +
         ", \"cpu_time\": " + std::to_string(time / 2) + ", \"time_unit\": \"" + unit + "\"" + extra + "}";
}

ResultFile parse_ok(const std::string& benchmarks, TimeMetric metric = TimeMetric::real_time) {
  std::string error;
  auto file = parse_results("{\"context\": {}, \"benchmarks\": [" + benchmarks + "]}", "f.json", metric, error);
  EXPECT_TRUE(file.has_value()) << error;
  return file.value_or(ResultFile{});
}

TEST(BenchResults, GroupsRepetitionsAndConvertsUnits) {
  const ResultFile file = parse_ok(entry("BM_A", 1.5, "us") + "," + entry("BM_A", 2.0, "ms") + "," +
                                   entry("BM_B", 3.0, "s") + "," + entry("BM_B", 4.0, "ns"));
  ASSERT_EQ(file.benchmarks.size(), 2u);
  EXPECT_EQ(file.benchmarks.at("BM_A").nanoseconds, (std::vector<double>{1500.0, 2e6}));
  EXPECT_EQ(file.benchmarks.at("BM_B").nanoseconds, (std::vector<double>{3e9, 4.0}));
  EXPECT_FALSE(file.aggregates_only);
  const ResultFile cpu = parse_ok(entry("BM_A", 10.0, "ns"), TimeMetric::cpu_time);
  EXPECT_EQ(cpu.benchmarks.at("BM_A").nanoseconds, (std::vector<double>{5.0}));
}

TEST(BenchResults, AggregatesErrorsAndBadEntries) {
  const ResultFile aggregates = parse_ok("{\"name\": \"BM_A_mean\", \"run_name\": \"BM_A\", \"run_type\": "
                                         "\"aggregate\", \"real_time\": 1, \"time_unit\": \"ns\"}");
  EXPECT_TRUE(aggregates.aggregates_only);
  const ResultFile failed = parse_ok(entry("BM_A", 1.0, "ns", ", \"error_occurred\": true"));
  EXPECT_TRUE(failed.benchmarks.at("BM_A").had_error);
  const ResultFile odd_flag = parse_ok(entry("BM_A", 1.0, "ns", ", \"error_occurred\": \"yes\""));
  EXPECT_FALSE(odd_flag.benchmarks.at("BM_A").had_error);

  std::string error;
  EXPECT_FALSE(
      parse_results("{\"benchmarks\": [" + entry("BM_A", 1.0, "hours") + "]}", "f.json", TimeMetric::real_time, error));
  EXPECT_NE(error.find("unknown time_unit 'hours'"), std::string::npos) << error;
  EXPECT_FALSE(parse_results("{\"benchmarks\": [42]}", "f.json", TimeMetric::real_time, error));
  EXPECT_NE(error.find("f.json: benchmark entry 1 is not an object"), std::string::npos) << error;
  EXPECT_FALSE(parse_results("[1, 2", "g.json", TimeMetric::real_time, error));
  EXPECT_NE(error.find("g.json: malformed JSON at byte"), std::string::npos) << error;
  EXPECT_FALSE(parse_results("{}", "h.json", TimeMetric::real_time, error));
  EXPECT_NE(error.find("h.json: not Google Benchmark JSON output"), std::string::npos) << error;
}

TEST(BenchCompare, ThresholdParsing) {
  Threshold threshold;
  std::string error;
  ASSERT_TRUE(parse_threshold("BM_Parse*=12.5%", threshold, error));
  EXPECT_EQ(threshold.pattern, "BM_Parse*");
  EXPECT_DOUBLE_EQ(threshold.min_effect_percent, 12.5);
  ASSERT_TRUE(parse_threshold("BM_X/a=b=3", threshold, error));  // the last '=' separates
  EXPECT_EQ(threshold.pattern, "BM_X/a=b");
  for (const char* bad : {"BM_X", "=5", "BM_X=", "BM_X=abc", "BM_X=-1", "BM_X=5x"}) {
    EXPECT_FALSE(parse_threshold(bad, threshold, error)) << bad;
    EXPECT_FALSE(error.empty());
  }
}

TEST(BenchCompare, PatternsAddedRemovedAndGeometricMean) {
  ResultFile base, current;
  for (int i = 0; i < 10; ++i) {
    base.benchmarks["BM_Fast"].nanoseconds.push_back(100.0 + i);
    current.benchmarks["BM_Fast"].nanoseconds.push_back(200.0 + 2 * i);  // 2x slower
    base.benchmarks["BM_Slow"].nanoseconds.push_back(1000.0 + i);
    current.benchmarks["BM_Slow"].nanoseconds.push_back(500.0 + i / 2.0);  // 2x faster
    base.benchmarks["BM_Gone"].nanoseconds.push_back(1.0);
    current.benchmarks["BM_New"].nanoseconds.push_back(1.0);
  }
  CompareOptions options;
  CompareResult result = compare_results(base, current, options);
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.regressions, 1u);
  EXPECT_EQ(result.improvements, 1u);
  EXPECT_EQ(result.added, (std::vector<std::string>{"BM_New"}));
  EXPECT_EQ(result.removed, (std::vector<std::string>{"BM_Gone"}));
  EXPECT_NEAR(result.geomean_change_percent, 0.0, 0.5);       // 2x and 1/2x cancel
  options.thresholds = {{"BM_F*", 50.0}, {"BM_Fa*", 150.0}};  // the last match wins
  result = compare_results(base, current, options);
  EXPECT_EQ(result.regressions, 0u);
  EXPECT_DOUBLE_EQ(result.rows[0].min_effect_percent, 150.0);
  EXPECT_DOUBLE_EQ(result.rows[1].min_effect_percent, 5.0);
}

TEST(BenchCompare, TooFewRepetitionsIsUndecided) {
  ResultFile base, current;
  base.benchmarks["BM_A"].nanoseconds = {1.0, 2.0};
  current.benchmarks["BM_A"].nanoseconds = {10.0, 20.0};
  const CompareResult result = compare_results(base, current, CompareOptions{});
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].comparison.verdict, hone::stats::Verdict::invalid);
  EXPECT_NE(result.rows[0].note.find("too few repetitions (2)"), std::string::npos);
  EXPECT_EQ(result.undecided, 1u);
}

TEST(BenchCompare, ZeroTimesAreUndecidedWithAReason) {
  ResultFile base, current;
  base.benchmarks["BM_Empty"].nanoseconds = {0.0, 0.0, 0.0, 0.0};
  current.benchmarks["BM_Empty"].nanoseconds = {1.0, 1.0, 1.0, 1.0};
  const CompareResult result = compare_results(base, current, CompareOptions{});
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].comparison.verdict, hone::stats::Verdict::invalid);
  EXPECT_NE(result.rows[0].note.find("no usable timings"), std::string::npos);
  EXPECT_EQ(result.geomean_count, 0u);
}

TEST(BenchReport, DurationFormatting) {
  EXPECT_EQ(format_duration(5.0), "5.00 ns");
  EXPECT_EQ(format_duration(12345.0), "12.3 us");
  EXPECT_EQ(format_duration(250e6), "250 ms");
  EXPECT_EQ(format_duration(4.2e12), "4200 s");
  EXPECT_EQ(format_duration(std::nan("")), "n/a");
}

}  // namespace
