// Checks the argument walk every analyzer shares: compiler flags after `--`, -p/-j in their spellings,
// `--name=value`, an analyzer's own options, positional files, unknown options, missing values and a
// --header-filter that is not a regular expression; --color and --export-fixes.
#include <gtest/gtest.h>

#include "shared_options.h"

namespace hone::analyze {
namespace {

struct Parsed {
  InputOptions inputs;
  RunOptions run;
  OutputFormat format = OutputFormat::Text;
  std::string header_filter;
  bool system_headers = false;
  ReportOptions report;
  std::string own_value;  // the value of the test's own option --own
  bool own_flag = false;  // the test's own flag --flag
  int exit_code = 0;
};

// Runs the walk with one valued own option (--own V) and one flag (--flag), like an analyzer would.
Parsed parse(const std::vector<std::string>& args) {
  Parsed parsed;
  const SharedOptionTargets targets{parsed.inputs,         parsed.run,   parsed.format, parsed.header_filter,
                                    parsed.system_headers, parsed.report};
  testing::internal::CaptureStderr();
  testing::internal::CaptureStdout();
  parsed.exit_code = parse_analyzer_arguments(args, targets, "test", "usage: hone test\n",
                                              [&](ArgumentCursor& cursor, std::string& error) {
                                                if (cursor.name() == "--flag") {
                                                  parsed.own_flag = true;
                                                  return OptionParse::Taken;
                                                }
                                                if (cursor.name() != "--own") return OptionParse::NotRecognized;
                                                if (!cursor.take_value(parsed.own_value)) {
                                                  error = "--own needs a value";
                                                  return OptionParse::Error;
                                                }
                                                return OptionParse::Taken;
                                              });
  testing::internal::GetCapturedStdout();
  testing::internal::GetCapturedStderr();
  return parsed;
}

TEST(SharedOptions, SharedOwnAndPositionalArguments) {
  Parsed parsed = parse({"-p", "build", "-j3", "--format=json", "--own", "v", "a.cpp", "--flag", "--header-filter",
                         "include/", "--system-headers", "b.cpp"});
  EXPECT_EQ(parsed.exit_code, -1);
  EXPECT_EQ(parsed.inputs.build_dir, "build");
  EXPECT_EQ(parsed.run.jobs, 3u);
  EXPECT_EQ(parsed.format, OutputFormat::Json);
  EXPECT_EQ(parsed.own_value, "v");
  EXPECT_TRUE(parsed.own_flag);
  EXPECT_EQ(parsed.header_filter, "include/");
  EXPECT_TRUE(parsed.system_headers);
  EXPECT_EQ(parsed.inputs.files, (std::vector<std::string>{"a.cpp", "b.cpp"}));
}

TEST(SharedOptions, GluedAndInlineValues) {
  Parsed parsed = parse({"-pbuild", "-j", "2", "--own=x=y"});
  EXPECT_EQ(parsed.exit_code, -1);
  EXPECT_EQ(parsed.inputs.build_dir, "build");
  EXPECT_EQ(parsed.run.jobs, 2u);
  EXPECT_EQ(parsed.own_value, "x=y");
}

TEST(SharedOptions, FlagsAfterDoubleDashAreTheCompilers) {
  Parsed parsed = parse({"a.c", "--", "-O2", "--flag", "-DX=1"});
  EXPECT_EQ(parsed.exit_code, -1);
  EXPECT_FALSE(parsed.own_flag);
  EXPECT_TRUE(parsed.inputs.has_fixed_flags);
  EXPECT_EQ(parsed.inputs.fixed_flags, (std::vector<std::string>{"-O2", "--flag", "-DX=1"}));
  EXPECT_EQ(parsed.inputs.files, (std::vector<std::string>{"a.c"}));
}

TEST(SharedOptions, HelpStopsWithSuccess) {
  EXPECT_EQ(parse({"a.c", "--help", "--bogus"}).exit_code, k_exit_ok);
  EXPECT_EQ(parse({"-h"}).exit_code, k_exit_ok);
}

TEST(SharedOptions, UsageErrors) {
  EXPECT_EQ(parse({"--bogus"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--own"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"-j0"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"-j", "many"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--format", "xml"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"-p"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--header-filter", "include/("}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--header-filter", "include/(a|b)"}).exit_code, -1);
}

TEST(SharedOptions, ColorAndExportFixes) {
  EXPECT_EQ(parse({}).report.color, ColorMode::Auto);
  EXPECT_EQ(parse({"--color=always"}).report.color, ColorMode::Always);
  EXPECT_EQ(parse({"--color", "never"}).report.color, ColorMode::Never);
  EXPECT_EQ(parse({"--color=auto"}).report.color, ColorMode::Auto);
  EXPECT_EQ(parse({"--color=yes"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--color"}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--export-fixes", "fixes.yaml"}).report.export_fixes, "fixes.yaml");
  EXPECT_EQ(parse({"--export-fixes="}).exit_code, k_exit_usage);
  EXPECT_EQ(parse({"--export-fixes"}).exit_code, k_exit_usage);
  EXPECT_TRUE(use_color(ColorMode::Always));
  EXPECT_FALSE(use_color(ColorMode::Never));
}

TEST(SharedOptions, UsageErrorNamesTheCommand) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(usage_error("test", "bad thing"), k_exit_usage);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "hone: error: bad thing\n(run 'hone test --help' for the options)\n");
}

}  // namespace
}  // namespace hone::analyze
