// Checks what the analyzers share for running and reporting: the worker pool under the TU runner
// (every index once, results in input order whatever the thread count), the run properties the JSON
// and SARIF emitters write (hone vec's summary) and leave out when there are none, and the sort order
// of findings.
#include <gtest/gtest.h>

#include "findings.h"
#include "tu_runner.h"

#include <atomic>
#include <thread>

namespace hone::analyze {
namespace {

TEST(RunParallel, CallsEveryIndexOnce) {
  for (unsigned jobs : {0u, 1u, 3u, 64u}) {
    std::vector<std::atomic<int>> calls(100);
    run_parallel(calls.size(), jobs, [&](size_t index) { ++calls[index]; });
    for (size_t i = 0; i < calls.size(); ++i)
      EXPECT_EQ(calls[i].load(), 1) << "index " << i << " with " << jobs << " jobs";
  }
  run_parallel(0, 4, [](size_t) { FAIL() << "no work for an empty range"; });
}

TEST(RunParallel, OneJobRunsInOrderOnTheCallersThread) {
  std::vector<size_t> order;
  const std::thread::id caller = std::this_thread::get_id();
  run_parallel(5, 1, [&](size_t index) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(index);
  });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(MapTranslationUnits, ResultsInTheOrderOfTheFiles) {
  Inputs inputs;
  for (int i = 0; i < 40; ++i) inputs.files.push_back("/src/" + std::to_string(i) + ".c");
  RunOptions options;
  options.jobs = 4;
  std::vector<std::string> results =
      map_translation_units<std::string>(inputs, options, [&](size_t index) { return inputs.files[index] + ".done"; });
  ASSERT_EQ(results.size(), inputs.files.size());
  for (size_t i = 0; i < results.size(); ++i) EXPECT_EQ(results[i], inputs.files[i] + ".done");
}

Finding finding_at(const std::string& file, unsigned line, const std::string& check) {
  Finding finding;
  finding.file = file;
  finding.line = line;
  finding.column = 1;
  finding.check = check;
  finding.message = "m";
  return finding;
}

llvm::json::Value emitted(OutputFormat format, const RunStatus& status) {
  std::string text;
  llvm::raw_string_ostream out(text);
  emit(format, out, ToolInfo{"hone test", "1.2.3", "", {}}, {finding_at("/a.c", 1, "hone-x")}, status);
  out.flush();
  llvm::Expected<llvm::json::Value> document = llvm::json::parse(text);
  EXPECT_TRUE(static_cast<bool>(document)) << text;
  return document ? std::move(*document) : llvm::json::Value(nullptr);
}

TEST(RunProperties, JsonTopLevelAndSarifRunProperties) {
  RunStatus status;
  status.tus_total = 1;
  status.properties["summary"] = llvm::json::Object{{"loops", 3}};
  llvm::json::Value json = emitted(OutputFormat::Json, status);
  const llvm::json::Object* summary = json.getAsObject()->getObject("summary");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->getInteger("loops"), 3);
  EXPECT_EQ(json.getAsObject()->getString("version"), "1.2.3");

  llvm::json::Value sarif = emitted(OutputFormat::Sarif, status);
  const llvm::json::Object* run = (*sarif.getAsObject()->getArray("runs"))[0].getAsObject();
  ASSERT_NE(run->getObject("properties"), nullptr);
  EXPECT_EQ(run->getObject("properties")->getObject("summary")->getInteger("loops"), 3);
  EXPECT_EQ(run->getObject("tool")->getObject("driver")->get("informationUri"), nullptr);
}

TEST(RunProperties, NoneWrittenWhenEmpty) {
  RunStatus status;
  status.tus_total = 1;
  llvm::json::Value json = emitted(OutputFormat::Json, status);
  EXPECT_EQ(json.getAsObject()->size(), 4u);  // tool, version, status, findings
  llvm::json::Value sarif = emitted(OutputFormat::Sarif, status);
  EXPECT_EQ((*sarif.getAsObject()->getArray("runs"))[0].getAsObject()->get("properties"), nullptr);
}

TEST(SortedFindings, ByPlaceThenCheckThenInsertion) {
  std::vector<Finding> findings{finding_at("/b.c", 1, "x"), finding_at("/a.c", 9, "y"), finding_at("/a.c", 2, "z"),
                                finding_at("/a.c", 2, "a"), finding_at("/a.c", 2, "a")};
  findings[3].message = "first";
  findings[4].message = "second";
  std::vector<Finding> sorted = sorted_findings(std::move(findings));
  ASSERT_EQ(sorted.size(), 5u);
  EXPECT_EQ(sorted[0].message, "first");
  EXPECT_EQ(sorted[1].message, "second");
  EXPECT_EQ(sorted[2].check, "z");
  EXPECT_EQ(sorted[3].line, 9u);
  EXPECT_EQ(sorted[4].file, "/b.c");
}

}  // namespace
}  // namespace hone::analyze
