// hone vec units: the reason classifier on LLVM 19's remark names and texts, grouping remarks into
// per-loop verdicts, matching verdicts to loops (nested loops: innermost), the scratch-copy edits
// with their column mapping, the rewriting of a project's compile command, and child compiles with
// a timeout (real processes), the call-site check of `__restrict` fixes and the labels of checked fixes.
#include "call_sites.h"
#include "compile_job.h"
#include "fix_check.h"
#include "loop_match.h"
#include "unit_parse.h"
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

// Copies the optimizer made of one loop (unswitched at -O3) close at the same place in the same
// function: each is a verdict of its own, in either order, and only the "Interleaving..." half of
// LLVM's pair of closing remarks joins the verdict before it (clang 19 wrote exactly these sequences).
TEST(VecVerdicts, CopiesOfOneLoopKeepTheirOwnVerdicts) {
  const Remark not_beneficial = remark(RemarkKind::Missed, "VectorizationNotBeneficial", "f", 2, 3,
                                       {"the cost-model indicates that vectorization is not beneficial"});
  const Remark interleaving = remark(RemarkKind::Missed, "InterleavingNotBeneficial", "f", 2, 3,
                                     {"the cost-model indicates that interleaving is not beneficial"});
  std::vector<LoopVerdict> first_vectorized =
      build_verdicts({vectorized("f", 2, 3, "4", "2"), not_beneficial, interleaving});
  ASSERT_EQ(first_vectorized.size(), 2u);
  EXPECT_TRUE(first_vectorized[0].vectorized);
  EXPECT_FALSE(first_vectorized[1].vectorized);
  EXPECT_EQ(first_vectorized[1].reasons[0], Reason::NotProfitable);
  EXPECT_EQ(first_vectorized[1].raw.size(), 2u);

  std::vector<LoopVerdict> first_missed =
      build_verdicts({not_beneficial, interleaving, vectorized("f", 2, 3, "4", "2")});
  ASSERT_EQ(first_missed.size(), 2u);
  EXPECT_FALSE(first_missed[0].vectorized);
  EXPECT_TRUE(first_missed[1].vectorized);

  std::vector<LoopVerdict> both_vectorized =
      build_verdicts({vectorized("f", 2, 3, "4", "2"), vectorized("f", 2, 3, "4", "2")});
  EXPECT_EQ(both_vectorized.size(), 2u);
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

LoopInfo restrict_candidate() {
  LoopInfo loop;
  loop.function = "gather";
  loop.function_usr = "c:@F@gather";
  loop.function_external = true;
  loop.pointer_params = {{"out", 0, false, {}}, {"in", 1, true, {}}, {"idx", 2, true, {}}};
  return loop;
}

FunctionUse call_with(std::vector<std::string> objects, unsigned line) {
  FunctionUse use;
  use.callee_usr = "c:@F@gather";
  use.file = "/src/main.c";
  use.line = line;
  use.column = 3;
  const char* texts[] = {"a", "b", "c"};
  for (unsigned i = 0; i < objects.size(); ++i) use.pointers.push_back({i, texts[i], objects[i]});
  return use;
}

TEST(VecCallSites, DistinctObjectsOnlyAreSafe) {
  const LoopInfo loop = restrict_candidate();
  FunctionUse distinct = call_with({"dst@/src/main.c:1:5", "src@/src/main.c:1:20", "idx@/src/main.c:1:30"}, 10);
  // Two read-only parameters may share an object: `in` and `idx` both point into `src`.
  FunctionUse shared_reads = call_with({"dst@/src/main.c:1:5", "src@/src/main.c:1:20", "src@/src/main.c:1:20"}, 11);
  CallSiteCheck safe = check_call_sites(loop, {&distinct, &shared_reads});
  EXPECT_EQ(safe.safety, CallSafety::AllDistinct);
  EXPECT_EQ(safe.calls, 2u);

  FunctionUse same = call_with({"buf@/src/main.c:1:5", "buf@/src/main.c:1:5", "idx@/src/main.c:1:30"}, 12);
  FunctionUse member = call_with({"s@/src/main.c:2:5.a", "s@/src/main.c:2:5", "idx@/src/main.c:1:30"}, 13);
  FunctionUse unknown = call_with({"", "src@/src/main.c:1:20", "idx@/src/main.c:1:30"}, 14);
  CallSiteCheck bad = check_call_sites(loop, {&distinct, &same, &member, &unknown});
  EXPECT_EQ(bad.safety, CallSafety::MayOverlap);
  ASSERT_EQ(bad.problems.size(), 3u);
  EXPECT_EQ(bad.problems[0].line, 12u);
  EXPECT_EQ(bad.problems[1].line, 13u);
  EXPECT_EQ(bad.problems[2].line, 14u);
  EXPECT_NE(call_site_summary(loop, bad).find("call sites at /src/main.c:12:3, /src/main.c:13:3"), std::string::npos);

  EXPECT_EQ(check_call_sites(loop, {}).safety, CallSafety::NotCalled);
  FunctionUse address;
  address.callee_usr = "c:@F@gather";
  address.is_call = false;
  EXPECT_EQ(check_call_sites(loop, {&distinct, &address}).safety, CallSafety::AddressTaken);
  FunctionUse other = distinct;
  other.callee_usr = "c:@F@scatter";
  EXPECT_EQ(check_call_sites(loop, {&other}).safety, CallSafety::NotCalled);
}

TEST(VecFixLabels, VerifiedOnlyWithoutABrokenPromiseOrAPredictedLoss) {
  const LoopInfo loop = restrict_candidate();
  CompileSetup setup;
  std::vector<std::string> known;
  LoopSite site;
  std::string site_file;
  CallSiteCheck overlap;
  overlap.safety = CallSafety::MayOverlap;
  FixTarget target{setup, known, site, site_file, "", 0, &overlap, false};
  Fix restrict_fix;
  restrict_fix.asserts_no_overlap = true;
  Fix pragma;
  pragma.forces_vectorization = true;
  EXPECT_EQ(label_fix(target, restrict_fix, true, true), FixLabel::CallSitesMayOverlap);
  EXPECT_EQ(label_fix(target, restrict_fix, false, true), FixLabel::NotVectorized);
  EXPECT_EQ(label_fix(target, restrict_fix, false, false), FixLabel::NotChecked);
  EXPECT_EQ(label_fix(target, pragma, true, true), FixLabel::Verified);
  target.call_sites = nullptr;
  EXPECT_EQ(label_fix(target, restrict_fix, true, true), FixLabel::CallersUnchecked);
  target.cost_model_rejected = true;
  EXPECT_EQ(label_fix(target, pragma, true, true), FixLabel::CostModelLoss);
  EXPECT_STREQ(fix_label_name(FixLabel::CostModelLoss), "cost-model-predicted-loss");
  EXPECT_STREQ(fix_label_name(FixLabel::MeasuredNotFaster), "measured-not-faster");

  // A forced fix the cost model rejected: verified only when faster in every round of the benchmark.
  FixTiming faster{true, 1.8, 1.5, 2.1, 5000, ""};
  FixTiming slower{true, 0.6, 0.55, 0.7, 5000, ""};
  FixTiming mixed{true, 1.2, 0.95, 1.4, 5000, ""};
  FixTiming barely{true, 1.02, 1.01, 1.04, 5000, ""};
  FixTiming unmeasured{false, 0, 0, 0, 0, "hone cannot call the loop's function: it is a template"};
  EXPECT_EQ(label_after_timing(FixLabel::CostModelLoss, faster), FixLabel::Verified);
  EXPECT_EQ(label_after_timing(FixLabel::CostModelLoss, slower), FixLabel::MeasuredNotFaster);
  EXPECT_EQ(label_after_timing(FixLabel::CostModelLoss, mixed), FixLabel::MeasuredNotFaster);
  EXPECT_EQ(label_after_timing(FixLabel::CostModelLoss, barely), FixLabel::MeasuredNotFaster);
  EXPECT_EQ(label_after_timing(FixLabel::CostModelLoss, unmeasured), FixLabel::CostModelLoss);
  EXPECT_EQ(label_after_timing(FixLabel::Verified, slower), FixLabel::MeasuredNotFaster);
  EXPECT_EQ(label_after_timing(FixLabel::CallSitesMayOverlap, faster), FixLabel::CallSitesMayOverlap);
}

// What the one-pass worker hands back reads back field for field; a file missing a field is refused.
TEST(VecParsedUnit, JsonRoundTripAndDamage) {
  ParsedUnit parsed;
  parsed.emits_code = true;
  LoopInfo loop;
  loop.site = LoopSite{"/src/a.c", 3, 5, 7, 9};
  loop.kind = "for";
  loop.function = "ns::f";
  loop.function_usr = "c:@N@ns@F@f#";
  loop.function_external = true;
  loop.has_inner_loop = true;
  loop.pointer_params.push_back({"out", 1, false, SourceEdit{"/src/a.c", 2, 14, "__restrict "}});
  loop.writes_through_pointer = true;
  loop.calls.push_back({"sqrt", 4, 12, false, true});
  loop.induction_variable = "i";
  loop.dependence = DependenceShape{"no-cycle", "a[i]", "a[i - 2]", 2, true};
  loop.scalar_shape = ScalarShape{"arg-min-max", "index", "m"};
  loop.conditional_stores = {"a", "b"};
  loop.has_goto = true;
  loop.fp_min_max = "m";
  loop.global_arrays = {"A", "B"};
  loop.call_name = "ns::scale";
  loop.call_params = {"pointer float", "integer int", "other-pointer struct args_t *"};
  loop.call_unsupported = "";
  loop.never_vectorizable = "a list walk";
  parsed.loops.push_back(loop);
  FunctionUse use;
  use.callee_usr = "c:@F@g";
  use.file = "/src/b.c";
  use.line = 8;
  use.column = 3;
  use.pointers.push_back({0, "buf", "buf@/src/b.c:1:7"});
  parsed.uses.push_back(use);

  const std::string path = ::testing::TempDir() + "/hone_vec_parsed_unit.json";
  ASSERT_TRUE(write_text(path, parsed_unit_json(parsed)));
  ParsedUnit read;
  std::string error;
  ASSERT_TRUE(read_parsed_unit(path, read, error)) << error;
  EXPECT_TRUE(read.emits_code);
  ASSERT_EQ(read.loops.size(), 1u);
  const LoopInfo& back = read.loops[0];
  EXPECT_EQ(back.site.file, "/src/a.c");
  EXPECT_EQ(back.site.end_column, 9u);
  EXPECT_EQ(back.function_usr, loop.function_usr);
  EXPECT_TRUE(back.function_external);
  EXPECT_TRUE(back.has_inner_loop);
  ASSERT_EQ(back.pointer_params.size(), 1u);
  EXPECT_EQ(back.pointer_params[0].restrict_edit.text, "__restrict ");
  EXPECT_EQ(back.pointer_params[0].restrict_edit.column, 14u);
  ASSERT_EQ(back.calls.size(), 1u);
  EXPECT_TRUE(back.calls[0].math_library);
  ASSERT_TRUE(back.dependence.has_value());
  EXPECT_EQ(back.dependence->kind, "no-cycle");
  EXPECT_EQ(back.dependence->distance, 2);
  EXPECT_EQ(back.dependence->read, "a[i - 2]");
  EXPECT_TRUE(back.dependence->conditional);
  ASSERT_TRUE(back.scalar_shape.has_value());
  EXPECT_EQ(back.scalar_shape->partner, "m");
  EXPECT_EQ(back.conditional_stores, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(back.has_goto);
  EXPECT_EQ(back.global_arrays, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(back.call_name, "ns::scale");
  EXPECT_EQ(back.call_params, loop.call_params);
  EXPECT_EQ(back.never_vectorizable, "a list walk");
  ASSERT_EQ(read.uses.size(), 1u);
  EXPECT_EQ(read.uses[0].pointers[0].object, "buf@/src/b.c:1:7");

  std::string text = parsed_unit_json(parsed);
  text.replace(text.find("\"kind\""), 6, "\"sort\"");
  ASSERT_TRUE(write_text(path, text));
  ParsedUnit damaged;
  EXPECT_FALSE(read_parsed_unit(path, damaged, error));
  EXPECT_NE(error.find("lacks a field"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hone::vec
