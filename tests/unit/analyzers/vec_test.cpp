// hone vec units: the reason classifier on LLVM 19's remark names and texts, grouping remarks into
// per-loop verdicts, matching verdicts to loops (nested loops: innermost), the scratch-copy edits
// with their column mapping, the rewriting of a project's compile command, and child compiles with
// a timeout (real processes).
#include "compile_job.h"
#include "loop_match.h"
#include "verdict.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace hone::vec {
namespace {

RemarkArg text_arg(std::string value) {
  RemarkArg arg;
  arg.key = "String";
  arg.value = std::move(value);
  return arg;
}

Remark remark(RemarkKind kind, std::string name, std::string function, unsigned line, unsigned column,
              std::vector<std::string> texts) {
  Remark result;
  result.kind = kind;
  result.pass = "loop-vectorize";
  result.name = std::move(name);
  result.function = std::move(function);
  result.file = "/src/a.c";
  result.line = line;
  result.column = column;
  for (std::string& text : texts) result.args.push_back(text_arg(std::move(text)));
  return result;
}

Remark missed_details(std::string function, unsigned line, unsigned column) {
  return remark(RemarkKind::Missed, "MissedDetails", std::move(function), line, column, {"loop not vectorized"});
}

Remark vectorized(std::string function, unsigned line, unsigned column, std::string width, std::string interleave) {
  Remark result = remark(RemarkKind::Passed, "Vectorized", std::move(function), line, column,
                         {"vectorized ", "", "loop (vectorization width: "});
  result.args.push_back({"VectorizationFactor", std::move(width), "", 0, 0});
  result.args.push_back(text_arg(", interleaved count: "));
  result.args.push_back({"InterleaveCount", std::move(interleave), "", 0, 0});
  result.args.push_back(text_arg(")"));
  return result;
}

std::optional<Reason> classify(RemarkKind kind, const std::string& name, const std::string& text) {
  return classify_remark(remark(kind, name, "f", 1, 1, {"loop not vectorized: ", text}));
}

TEST(VecReasonClassifier, LlvmNamesAndTexts) {
  EXPECT_EQ(classify(RemarkKind::AnalysisFPCommute, "CantReorderFPOps",
                     "cannot prove it is safe to reorder floating-point operations"),
            Reason::FpReassociation);
  EXPECT_EQ(classify(RemarkKind::AnalysisAliasing, "CantReorderMemOps",
                     "cannot prove it is safe to reorder memory operations"),
            Reason::Aliasing);
  EXPECT_EQ(classify(RemarkKind::Analysis, "CantIdentifyArrayBounds", "cannot identify array bounds"),
            Reason::Aliasing);
  EXPECT_EQ(classify(RemarkKind::Analysis, "UnsafeDep", "unsafe dependent memory operations in loop."),
            Reason::Dependence);
  EXPECT_EQ(
      classify(RemarkKind::Analysis, "CantComputeNumberOfIterations", "could not determine number of loop iterations"),
      Reason::TripCount);
  EXPECT_EQ(classify(RemarkKind::Analysis, "CantVectorizeLibcall",
                     "library call cannot be vectorized. Try compiling with -fno-math-errno, -ffast-math, or "
                     "similar flags"),
            Reason::Call);
  EXPECT_EQ(classify(RemarkKind::Analysis, "CantVectorizeLibcall", "call instruction cannot be vectorized"),
            Reason::Call);
  EXPECT_EQ(classify(RemarkKind::Analysis, "LoopContainsSwitch", "loop contains a switch statement"),
            Reason::ControlFlow);
  EXPECT_EQ(classify(RemarkKind::Analysis, "CFGNotUnderstood", "loop control flow is not understood by vectorizer"),
            Reason::ControlFlow);
  EXPECT_EQ(classify(RemarkKind::Analysis, "NonReductionValueUsedOutsideLoop",
                     "value that could not be identified as reduction is used outside the loop"),
            Reason::ValueOutsideLoop);
  EXPECT_EQ(classify(RemarkKind::Analysis, "NonSimpleLoad", "read with atomic ordering or volatile read"),
            Reason::UnsupportedInstruction);
  EXPECT_EQ(classify(RemarkKind::Analysis, "CantVectorizeInstruction", "instruction cannot be vectorized"),
            Reason::UnsupportedInstruction);
  EXPECT_EQ(classify(RemarkKind::Missed, "MissedExplicitlyDisabled",
                     "vectorization and interleaving are explicitly disabled, or the loop has already been vectorized"),
            Reason::Disabled);
  EXPECT_EQ(classify_remark(remark(RemarkKind::Missed, "VectorizationNotBeneficial", "f", 1, 1,
                                   {"the cost-model indicates that vectorization is not beneficial"})),
            Reason::NotProfitable);
  EXPECT_EQ(classify(RemarkKind::Analysis, "SomethingNew", "a reason no release had before"), Reason::Other);
  // The closing remark says nothing about why.
  EXPECT_EQ(classify_remark(missed_details("f", 1, 1)), std::nullopt);
}

TEST(VecReasonClassifier, NamesRoundTrip) {
  for (Reason reason : k_all_reasons) {
    Reason parsed;
    ASSERT_TRUE(parse_reason(reason_name(reason), parsed));
    EXPECT_EQ(parsed, reason);
  }
  Reason unused;
  EXPECT_FALSE(parse_reason("fp", unused));
}

TEST(VecVerdicts, AnalysesGoToTheNextClosingRemarkOfTheirFunction) {
  std::vector<Remark> remarks;
  remarks.push_back(remark(RemarkKind::AnalysisFPCommute, "CantReorderFPOps", "sum", 5, 7,
                           {"loop not vectorized: cannot prove it is safe to reorder floating-point operations"}));
  // Another function's loop in between must not take sum's analysis.
  remarks.push_back(vectorized("scale", 21, 3, "4", "2"));
  remarks.push_back(missed_details("sum", 4, 3));
  std::vector<LoopVerdict> verdicts = build_verdicts(remarks);
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_TRUE(verdicts[0].vectorized);
  EXPECT_EQ(verdicts[0].width, 4u);
  EXPECT_EQ(verdicts[0].interleave, 2u);
  EXPECT_FALSE(verdicts[1].vectorized);
  EXPECT_EQ(verdicts[1].loop, (SourcePos{"/src/a.c", 4, 3}));
  ASSERT_EQ(verdicts[1].reasons.size(), 1u);
  EXPECT_EQ(verdicts[1].reasons[0], Reason::FpReassociation);
  ASSERT_TRUE(verdicts[1].culprit);
  EXPECT_EQ(verdicts[1].culprit->line, 5u);
}

TEST(VecVerdicts, SpecificReasonFirstAndMathErrno) {
  std::vector<Remark> remarks;
  remarks.push_back(remark(RemarkKind::Analysis, "CantVectorizeInstruction", "sq", 17, 3,
                           {"loop not vectorized: ", "instruction cannot be vectorized"}));
  remarks.push_back(remark(RemarkKind::Analysis, "CantVectorizeLibcall", "sq", 18, 12,
                           {"loop not vectorized: ",
                            "library call cannot be vectorized. Try compiling with -fno-math-errno, -ffast-math, or "
                            "similar flags"}));
  remarks.push_back(missed_details("sq", 17, 3));
  std::vector<LoopVerdict> verdicts = build_verdicts(remarks);
  ASSERT_EQ(verdicts.size(), 1u);
  ASSERT_EQ(verdicts[0].reasons.size(), 2u);
  EXPECT_EQ(verdicts[0].reasons[0], Reason::Call);
  EXPECT_EQ(verdicts[0].reasons[1], Reason::UnsupportedInstruction);
  EXPECT_TRUE(verdicts[0].math_errno);
  EXPECT_EQ(verdicts[0].raw.size(), 3u);
}

TEST(VecVerdicts, DependenceKeepsTheConflictingAccess) {
  Remark dependence =
      remark(RemarkKind::Analysis, "UnsafeDep", "dep", 14, 10,
             {"loop not vectorized: ", "unsafe dependent memory operations in loop.",
              "\nBackward loop carried data dependence.", " Memory location is the same as accessed at "});
  dependence.args.push_back({"Location", "a.c:14:12", "/src/a.c", 14, 12});
  std::vector<Remark> remarks{dependence, missed_details("dep", 13, 3)};
  std::vector<LoopVerdict> verdicts = build_verdicts(remarks);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].reasons[0], Reason::Dependence);
  ASSERT_TRUE(verdicts[0].conflict);
  EXPECT_EQ(*verdicts[0].conflict, (SourcePos{"/src/a.c", 14, 12}));
}

TEST(VecVerdicts, SecondClosingRemarkOfTheSameLoopIsMerged) {
  std::vector<Remark> remarks;
  remarks.push_back(remark(RemarkKind::Missed, "VectorizationNotBeneficial", "f", 11, 3,
                           {"the cost-model indicates that vectorization is not beneficial"}));
  remarks.push_back(remark(RemarkKind::Missed, "InterleavingNotBeneficial", "f", 11, 3,
                           {"the cost-model indicates that interleaving is not beneficial"}));
  Remark other_pass = missed_details("f", 30, 1);
  other_pass.pass = "inline";
  remarks.push_back(other_pass);
  std::vector<LoopVerdict> verdicts = build_verdicts(remarks);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].reasons[0], Reason::NotProfitable);
  EXPECT_EQ(verdicts[0].raw.size(), 2u);
}

TEST(VecVerdicts, BareMissWithoutAnalysisIsOther) {
  std::vector<LoopVerdict> verdicts = build_verdicts({missed_details("f", 2, 3)});
  ASSERT_EQ(verdicts.size(), 1u);
  ASSERT_EQ(verdicts[0].reasons.size(), 1u);
  EXPECT_EQ(verdicts[0].reasons[0], Reason::Other);
}

TEST(VecLoopMatch, ExactStartThenInnermostContaining) {
  std::vector<LoopSite> loops{{"/src/a.c", 10, 3, 20, 3}, {"/src/a.c", 12, 5, 15, 5}, {"/src/b.c", 12, 5, 15, 5}};
  EXPECT_EQ(match_loop(loops, "/src/a.c", 10, 3), 0u);
  EXPECT_EQ(match_loop(loops, "/src/a.c", 12, 5), 1u);
  EXPECT_EQ(match_loop(loops, "/src/a.c", 13, 9), 1u);  // inside both: the inner one
  EXPECT_EQ(match_loop(loops, "/src/a.c", 18, 1), 0u);  // after the inner loop
  EXPECT_EQ(match_loop(loops, "/src/b.c", 12, 5), 2u);  // other file
  EXPECT_EQ(match_loop(loops, "/src/a.c", 30, 1), std::nullopt);
  EXPECT_EQ(match_loop(loops, "/src/c.c", 12, 5), std::nullopt);
}

TEST(VecLoopMatch, EditsAndColumnMapping) {
  std::string text = "void f(float *a, float *b, int n) {\n  for (int i = 0; i < n; i++) a[i] += b[i];\n}\n";
  std::vector<SourceEdit> edits{
      {"/src/a.c", 1, 15, "__restrict "}, {"/src/a.c", 1, 25, "__restrict "}, {"/src/a.c", 2, 3, "_Pragma(\"x\") "}};
  ASSERT_TRUE(apply_edits("/src/a.c", edits, text));
  EXPECT_EQ(text, "void f(float *__restrict a, float *__restrict b, int n) {\n  _Pragma(\"x\") for (int i = 0; i < n; "
                  "i++) a[i] += b[i];\n}\n");
  unsigned column = 16;  // the `for` after the inserted pragma
  map_to_original(edits, "/src/a.c", 2, column);
  EXPECT_EQ(column, 3u);
  column = 47;  // 'b' after both insertions on line 1
  map_to_original(edits, "/src/a.c", 1, column);
  EXPECT_EQ(column, 25u);
  column = 5;  // before any insertion
  map_to_original(edits, "/src/a.c", 1, column);
  EXPECT_EQ(column, 5u);
  column = 16;  // other file: unchanged
  map_to_original(edits, "/src/b.c", 2, column);
  EXPECT_EQ(column, 16u);
  std::string short_text = "x\n";
  EXPECT_FALSE(apply_edits("/src/a.c", {{"/src/a.c", 5, 1, "y"}}, short_text));
}

TEST(VecCompileCommand, ProjectFlagsKeptOutputsDependenciesAndLtoDropped) {
  clang::tooling::CompileCommand command("/project", "src/a.c",
                                         {"ccache", "gcc", "-O3", "-flto=thin", "-MD", "-MF", "a.d", "-Iinclude",
                                          "-DNDEBUG", "-fconserve-stack", "-Werror", "-c", "src/a.c", "-o", "a.o"},
                                         "a.o");
  CompileSetup setup = prepare_compile(command, "/llvm/bin", "");
  EXPECT_EQ(setup.file, "/project/src/a.c");
  EXPECT_EQ(setup.compiler, "/llvm/bin/clang");
  EXPECT_EQ(setup.flags, (std::vector<std::string>{"-O3", "-Iinclude", "-DNDEBUG"}));
  ASSERT_EQ(setup.warnings.size(), 2u);
  EXPECT_EQ(setup.warnings[1], "dropped '-fconserve-stack': clang does not know this flag");
  EXPECT_FALSE(setup.low_optimization);

  std::vector<std::string> record = record_command(setup, "/scratch/r.yaml", {"-fno-math-errno"});
  EXPECT_EQ(record.front(), "/llvm/bin/clang");
  EXPECT_EQ(record.back(), "/project/src/a.c");
  EXPECT_NE(std::find(record.begin(), record.end(), "-foptimization-record-file=/scratch/r.yaml"), record.end());
  EXPECT_NE(std::find(record.begin(), record.end(), "-fno-math-errno"), record.end());
  EXPECT_NE(std::find(record.begin(), record.end(), "-emit-llvm-only"), record.end());  // no code generation
  EXPECT_EQ(std::find(record.begin(), record.end(), "-o"), record.end());
}

TEST(VecCompileCommand, DefaultsAndProfile) {
  clang::tooling::CompileCommand command(
      "/p", "/p/b.cpp", {"/usr/bin/clang++-19", "-fprofile-instr-use=old.profdata", "-fno-vectorize", "-c", "/p/b.cpp"},
      "");
  CompileSetup setup = prepare_compile(command, "/llvm/bin", "/p/new.profdata");
  EXPECT_EQ(setup.compiler, "/usr/bin/clang++-19");  // the project's own clang
  EXPECT_TRUE(setup.warnings.empty());
  EXPECT_TRUE(setup.no_vectorize_flag);
  EXPECT_EQ(setup.flags, (std::vector<std::string>{"-O2", "-fno-vectorize", "-fprofile-instr-use=/p/new.profdata",
                                                   "-fdiagnostics-show-hotness"}));
  clang::tooling::CompileCommand debug("/p", "/p/c.c", {"cc", "-O0", "-g", "-c", "/p/c.c"}, "");
  EXPECT_TRUE(prepare_compile(debug, "/llvm/bin", "").low_optimization);
}

TEST(VecChildProcess, TimeoutStopsOnlyAChildThatOverstays) {
  const std::string log = testing::TempDir() + "/vec-child.log";
  ChildProcess quick = start_process({"/bin/sh", "-c", "echo done; exit 4"}, "/", log);
  EXPECT_EQ(wait_process(quick, 30), 4);
  EXPECT_FALSE(quick.timed_out);

  const auto start = std::chrono::steady_clock::now();
  ChildProcess slow = start_process({"/bin/sleep", "60"}, "/", log);
  EXPECT_EQ(wait_process(slow, 1), 128 + 9);  // SIGKILL
  EXPECT_TRUE(slow.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));

  ChildProcess missing = start_process({"/no/such/compiler"}, "/", log);
  EXPECT_FALSE(missing.start_error.empty());
  EXPECT_EQ(wait_process(missing, 1), -1);
  std::remove(log.c_str());
}

}  // namespace
}  // namespace hone::vec
