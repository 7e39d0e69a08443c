// Units for the wrapper's call classification and option table: every kind, inputs, -o, -x, stdin,
// and response files, on command lines as real build systems write them.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "driver/wrapper/classify.h"
#include "driver/wrapper/option_table.h"
#include "support/response_files.h"

namespace hone::wrapper {
namespace {

CallKind kind_of(const std::vector<std::string>& arguments) {
  return classify(arguments).kind;
}

TEST(Classify, KindsFollowTheStopOptions) {
  EXPECT_EQ(kind_of({"-O2", "-c", "a.c", "-o", "a.o"}), CallKind::compile);
  EXPECT_EQ(kind_of({"-S", "a.c"}), CallKind::compile);
  EXPECT_EQ(kind_of({"-O2", "a.c", "b.cpp", "-o", "app"}), CallKind::compile_and_link);
  EXPECT_EQ(kind_of({"a.o", "libx.a", "-lm", "-o", "app"}), CallKind::link);
  EXPECT_EQ(kind_of({"-E", "a.c"}), CallKind::preprocess);
  EXPECT_EQ(kind_of({"-M", "a.c"}), CallKind::preprocess);
  EXPECT_EQ(kind_of({"-MM", "a.c"}), CallKind::preprocess);
  EXPECT_EQ(kind_of({"-c", "start.s", "-o", "start.o"}), CallKind::assemble);
  EXPECT_EQ(kind_of({"-c", "start.S", "-o", "start.o"}), CallKind::compile);  // preprocessed assembly
  EXPECT_EQ(kind_of({}), CallKind::unknown);
  EXPECT_EQ(kind_of({"-O2"}), CallKind::unknown);
}

TEST(Classify, DependencyFilesAsSideEffectStillCompile) {
  EXPECT_EQ(kind_of({"-MD", "-MF", "a.d", "-c", "a.c"}), CallKind::compile);
  EXPECT_EQ(kind_of({"-MMD", "-MT", "a.o", "-c", "a.c"}), CallKind::compile);
  EXPECT_EQ(kind_of({"-M", "-MD", "-c", "a.c"}), CallKind::compile);
}

TEST(Classify, Queries) {
  EXPECT_EQ(kind_of({"--version"}), CallKind::query);
  EXPECT_EQ(kind_of({"-v"}), CallKind::query);
  EXPECT_EQ(kind_of({"-dumpmachine"}), CallKind::query);
  EXPECT_EQ(kind_of({"-print-file-name=libc.so"}), CallKind::query);
  EXPECT_EQ(kind_of({"-print-prog-name=ld"}), CallKind::query);
  EXPECT_EQ(kind_of({"--print-search-dirs"}), CallKind::query);
  EXPECT_EQ(kind_of({"-###", "-c", "a.c"}), CallKind::query);
  // -v with inputs is a verbose compile, not a query.
  EXPECT_EQ(kind_of({"-v", "-c", "a.c"}), CallKind::compile);
}

TEST(Classify, ArgumentsOfOptionsAreNotInputs) {
  Classification call = classify({"-I", "inc.c", "-o", "out.c.o", "-include", "pre.h", "-MF", "x.c.d", "-c", "a.c"});
  ASSERT_EQ(call.sources.size(), 1u);
  EXPECT_EQ(call.sources[0], "a.c");
  EXPECT_TRUE(call.objects.empty());
  EXPECT_EQ(call.output, "out.c.o");
  EXPECT_EQ(classify({"-ofoo.o", "-c", "a.c"}).output, "foo.o");
}

// GNU long forms: `--include h.h` used to leave h.h as a second source (a second database entry).
TEST(Classify, LongFormsConsumeTheirValue) {
  for (const char* option : {"--include", "--imacros", "--include-directory", "--define-macro"}) {
    Classification call = classify({option, "h.h", "-c", "a.c", "-o", "a.o"});
    ASSERT_EQ(call.sources.size(), 1u) << option;
    EXPECT_EQ(call.sources[0], "a.c");
  }
  EXPECT_EQ(classify({"--include=h.h", "-c", "a.c"}).sources.size(), 1u);
  EXPECT_EQ(classify({"-c", "a.c", "--output", "x.o"}).output, "x.o");
  EXPECT_EQ(classify({"-c", "a.c", "--output=y.o"}).output, "y.o");
  EXPECT_EQ(classify({"--language", "c", "-c", "generated.txt"}).kind, CallKind::compile);
}

TEST(Classify, LanguageOptionMakesInputsSources) {
  Classification call = classify({"-x", "c", "-c", "generated.txt"});
  EXPECT_EQ(call.kind, CallKind::compile);
  EXPECT_EQ(call.sources.size(), 1u);
  EXPECT_EQ(classify({"-x", "c", "gen.txt", "-x", "none", "other.o"}).objects.size(), 1u);
}

TEST(Classify, StandardInputAndSeveralInputs) {
  Classification call = classify({"-x", "c", "-c", "-", "-o", "out.o"});
  EXPECT_TRUE(call.reads_stdin);
  EXPECT_EQ(call.kind, CallKind::compile);
  Classification several = classify({"-c", "a.c", "b.cc", "c.cpp"});
  EXPECT_EQ(several.sources.size(), 3u);
  EXPECT_EQ(several.kind, CallKind::compile);
}

// An empty argument is no input: clang ignores it and GCC fails on it as a missing linker input, so
// neither compiles it. It used to be a source after `-x` (or a link input), and a command holding
// thousands of them recorded thousands of database entries (compile_db fuzz target).
TEST(Classify, EmptyArgumentsAreNoInputs) {
  Classification call = classify({"-c", "a.c", "", "-x", "c", "", "b.txt", ""});
  EXPECT_EQ(call.sources, (std::vector<std::string>{"a.c", "b.txt"}));
  EXPECT_TRUE(call.objects.empty());
  EXPECT_EQ(call.kind, CallKind::compile);
  EXPECT_EQ(kind_of({"-x", "c", "-c", ""}), CallKind::unknown);  // clang: "no input files"
  EXPECT_EQ(kind_of({"", "-o", "app"}), CallKind::unknown);
}

TEST(Classify, ResponseFilesAreReadForClassification) {
  std::string path = testing::TempDir() + "hone_classify_args.rsp";
  std::ofstream(path) << "-O2 \"-c\"\n'my file.c' -o\\ x out.o\n";
  bool error = false;
  std::vector<std::string> expanded = support::expand_response_files({"@" + path}, error);
  EXPECT_FALSE(error);
  EXPECT_EQ(expanded, (std::vector<std::string>{"-O2", "-c", "my file.c", "-o x", "out.o"}));
  Classification call = classify({"@" + path});
  EXPECT_EQ(call.kind, CallKind::compile);
  EXPECT_EQ(call.sources, std::vector<std::string>{"my file.c"});
  std::remove(path.c_str());

  Classification missing = classify({"@/nonexistent/hone.rsp"});
  EXPECT_TRUE(missing.response_file_error);
}

// Where each source stands among the arguments, so the compile database can leave a call's other
// sources out of each entry; a source read from a response file has no place of its own (npos).
TEST(Classify, SourcesKnowTheirArgument) {
  const size_t npos = std::string::npos;
  Classification call = classify({"-c", "a.c", "-include", "b.h", "", "b.c", "-", "-x", "c", "d"});
  EXPECT_EQ(call.sources, (std::vector<std::string>{"a.c", "b.c", "-", "d"}));
  EXPECT_EQ(call.source_arguments, (std::vector<size_t>{1, 5, 6, 9}));

  std::string path = testing::TempDir() + "hone_classify_positions.rsp";
  std::ofstream(path) << "r.c -O2\n";
  Classification mixed = classify({"-c", "a.c", "@" + path, "z.c"});
  EXPECT_EQ(mixed.sources, (std::vector<std::string>{"a.c", "r.c", "z.c"}));
  EXPECT_EQ(mixed.source_arguments, (std::vector<size_t>{1, npos, 3}));
  std::remove(path.c_str());
  bool error = false;
  std::vector<size_t> origins;
  EXPECT_EQ(support::expand_response_files({"x", "@/nonexistent/hone.rsp"}, error, {}, &origins).size(), 2u);
  EXPECT_EQ(origins, (std::vector<size_t>{0, 1}));  // an unreadable @file stays an argument of its own
}

TEST(OptionTable, LongerSpellingsWinOverPrefixes) {
  ASSERT_NE(find_option("-MD"), nullptr);
  EXPECT_EQ(find_option("-MD")->flags & k_dependencies_side, k_dependencies_side);
  EXPECT_EQ(find_option("-MM")->flags & k_dependencies_only, k_dependencies_only);
  EXPECT_EQ(find_option("-MFdeps.d")->flags & k_takes_argument, k_takes_argument);
  EXPECT_EQ(find_option("-Wall"), nullptr);
  EXPECT_EQ(find_option("-Wl,--gc-sections")->flags & k_link_input, k_link_input);
}

}  // namespace
}  // namespace hone::wrapper
