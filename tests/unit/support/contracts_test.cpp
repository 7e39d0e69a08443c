// Known answers for the contracts between hone's executables (support/contracts.h).
#include "support/contracts.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace hone::support {
namespace {

TEST(SupportLaunchers, EveryLauncherByBaseName) {
  for (std::string_view launcher : {"ccache", "distcc", "sccache", "icecc", "buildcache", "pump"}) {
    EXPECT_TRUE(is_launcher(launcher)) << launcher;
    EXPECT_TRUE(is_launcher("/usr/bin/" + std::string(launcher))) << launcher;
  }
  EXPECT_FALSE(is_launcher("clang"));
  EXPECT_FALSE(is_launcher("hone"));
  EXPECT_FALSE(is_launcher("/usr/lib/ccache/gcc"));
}

TEST(SupportLaunchers, CompilerIndexLooksThroughLaunchers) {
  EXPECT_EQ(compiler_index({"clang", "-c", "a.c"}), 0u);
  EXPECT_EQ(compiler_index({"buildcache", "clang", "-c", "a.c"}), 1u);
  EXPECT_EQ(compiler_index({"ccache", "distcc", "/usr/bin/gcc", "-c", "a.c"}), 2u);
  EXPECT_EQ(compiler_index({"ccache", "-s"}), 0u);  // ccache's own command
  EXPECT_EQ(compiler_index({"ccache"}), 0u);
  EXPECT_EQ(compiler_index({"hone", "clang", "-c", "a.c"}), 0u);
  EXPECT_EQ(compiler_index({"/opt/hone/bin/hone", "ccache", "clang", "-c", "a.c"}, /*skip_hone=*/true), 2u);
}

}  // namespace
}  // namespace hone::support

namespace hone::support {
namespace {

// Known answers: FNV-1a 64 computed independently (Python) from the documented key text.
TEST(SupportRecordNames, KnownAnswers) {
  EXPECT_EQ(record_file_name("/work/build", "../src/a.c", "a.o"), "a-5338bfc9933487f3.opt.yaml");
  EXPECT_EQ(record_file_name("/w", "a.c", ""), "a-dc362f463aec0e3c.opt.yaml");  // no -o
  EXPECT_EQ(record_file_name("/w", ".hidden.c", ".hidden.o"), ".hidden-fb9ee50e6e9ef4b3.opt.yaml");
  EXPECT_EQ(record_file_name("/w", ".profile", ""), ".profile-89658f0a5029d2b5.opt.yaml");
  EXPECT_EQ(record_file_name("/w", "/src/x.c", "obj/x.o"), "x-1446463951b77e14.opt.yaml");
}

// A scratch folder with a real build folder, a symlink to it, and a response file.
class SupportRecordEntries : public testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/hone-record-names-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    real_ = root_ + "/real";
    link_ = root_ + "/link";
    ASSERT_EQ(mkdir(real_.c_str(), 0755), 0);
    ASSERT_EQ(symlink(real_.c_str(), link_.c_str()), 0);
    std::ofstream(real_ + "/args.rsp") << "-O2 -c 'a.c' -o out/a.o\n";
  }
  void TearDown() override {
    std::remove((real_ + "/args.rsp").c_str());
    std::remove(link_.c_str());
    rmdir(real_.c_str());
    rmdir(root_.c_str());
  }
  std::string root_, real_, link_;
};

TEST_F(SupportRecordEntries, SymlinkedWorkingFolderGivesThePhysicalName) {
  const DatabaseEntry entry{link_, "a.c", "", {"clang", "-O2", "-c", "a.c", "-o", "a.o"}};
  EXPECT_EQ(record_file_name(entry), record_file_name(real_, "a.c", "a.o"));
  EXPECT_NE(record_file_name(entry), record_file_name(link_, "a.c", "a.o"));
  // The entry's file written through the symlink, the argument relative: still the argument's spelling.
  const DatabaseEntry absolute{link_, link_ + "/a.c", "", {"clang", "-c", "a.c", "-o", "a.o"}};
  EXPECT_EQ(record_file_name(absolute), record_file_name(real_, "a.c", "a.o"));
}

TEST_F(SupportRecordEntries, ResponseFilesAreExpandedInTheEntryDirectory) {
  const DatabaseEntry entry{link_, "a.c", "", {"ccache", "clang", "@args.rsp"}};
  EXPECT_EQ(record_file_name(entry), record_file_name(real_, "a.c", "out/a.o"));
}

TEST_F(SupportRecordEntries, OutputFieldFirstThenDashO) {
  const DatabaseEntry with_field{real_, "a.c", "obj/a.o", {"clang", "-c", "a.c", "-o", "other.o"}};
  EXPECT_EQ(record_file_name(with_field), record_file_name(real_, "a.c", "obj/a.o"));
  const DatabaseEntry joined{real_, "a.c", "", {"clang", "-c", "./a.c", "-oa.o"}};
  EXPECT_EQ(record_file_name(joined), record_file_name(real_, "./a.c", "a.o"));
  const DatabaseEntry no_output{real_, ".hidden.c", "", {"clang", "-c", ".hidden.c"}};
  EXPECT_EQ(record_file_name(no_output), record_file_name(real_, ".hidden.c", ""));
}

}  // namespace
}  // namespace hone::support

namespace hone::support {
namespace {

// An environment of fixed variables for from_environment.
std::vector<std::pair<std::string, std::string>> g_variables;
const char* fixed_lookup(const char* name) {
  for (const auto& [key, value] : g_variables) {
    if (key == name) return value.c_str();
  }
  return nullptr;
}

WrapperMode read(std::vector<std::pair<std::string, std::string>> variables, std::vector<std::string>& problems) {
  g_variables = std::move(variables);
  return WrapperMode::from_environment(problems, fixed_lookup);
}

TEST(SupportFlagLists, PlainWordsStayPlain) {
  EXPECT_EQ(encode_flag_list({"-O2", "-march=x86-64-v2", "-DX=1"}), "-O2 -march=x86-64-v2 -DX=1");
  EXPECT_EQ(decode_flag_list("  -O2\t-march=native\n-g  "), (std::vector<std::string>{"-O2", "-march=native", "-g"}));
  EXPECT_TRUE(decode_flag_list("").empty());
}

TEST(SupportFlagLists, KnownEncodings) {
  EXPECT_EQ(encode_flag_list({"-include", "/a b/x.h"}), "-include '/a b/x.h'");
  EXPECT_EQ(encode_flag_list({"it's"}), "'it'\\''s'");
  EXPECT_EQ(encode_flag_list({"a\\b"}), "'a'\\\\'b'");
  EXPECT_EQ(encode_flag_list({""}), "''");
  EXPECT_EQ(encode_flag_list({"-DS=\"x y\""}), "'-DS=\"x y\"'");
  EXPECT_EQ(decode_flag_list("-include '/a b/x.h' \"-DQ=1 2\" a\\ b"),
            (std::vector<std::string>{"-include", "/a b/x.h", "-DQ=1 2", "a b"}));
}

TEST(SupportFlagLists, AnyArgumentRoundTrips) {
  const std::vector<std::vector<std::string>> lists = {
      {"-include", "/a b/x.h"},
      {"", "''", "\"", "\\", "\\\\'", "'\\'"},
      {"tab\there", "new\nline", "$HOME", "*", "#x"},
      {"-Wl,-rpath,'$ORIGIN'", "-DMSG=\"hello world\"", "~user", "a'b\"c\\d e"}};
  for (const std::vector<std::string>& flags : lists) {
    EXPECT_EQ(decode_flag_list(encode_flag_list(flags)), flags) << encode_flag_list(flags);
  }
}

TEST(SupportWrapperMode, EnvironmentRoundTrips) {
  WrapperMode mode;
  mode.profile_generate_dir = "/p/gen";
  mode.lto = LtoKind::thin;
  mode.relocs = true;
  mode.remarks_dir = "/r";
  mode.compile_db = "/db.json";
  mode.extra_compile_flags = {"-include", "/a b/x.h"};
  mode.extra_link_flags = {"-Wl,-q"};
  mode.prefix_command = {"distcc"};
  mode.log_file = "/log";
  const auto variables = mode.to_environment();
  EXPECT_EQ(variables,
            (std::vector<std::pair<std::string, std::string>>{{"HONE_PROFILE_GENERATE", "/p/gen"},
                                                              {"HONE_LTO", "thin"},
                                                              {"HONE_RELOCS", "1"},
                                                              {"HONE_REMARKS_DIR", "/r"},
                                                              {"HONE_COMPILE_DB", "/db.json"},
                                                              {"HONE_EXTRA_COMPILE_FLAGS", "-include '/a b/x.h'"},
                                                              {"HONE_EXTRA_LINK_FLAGS", "-Wl,-q"},
                                                              {"HONE_PREFIX_COMMAND", "distcc"},
                                                              {"HONE_LOG", "/log"}}));
  std::vector<std::string> problems;
  const WrapperMode back = read(variables, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(back.profile_generate_dir, mode.profile_generate_dir);
  EXPECT_EQ(back.lto, LtoKind::thin);
  EXPECT_TRUE(back.relocs);
  EXPECT_EQ(back.extra_compile_flags, mode.extra_compile_flags);
  EXPECT_EQ(back.extra_link_flags, mode.extra_link_flags);
  EXPECT_EQ(back.prefix_command, mode.prefix_command);
  EXPECT_EQ(back.log_file, "/log");
  EXPECT_TRUE(WrapperMode{}.to_environment().empty());
}

TEST(SupportWrapperMode, BadValuesAreProblemsAndDisableWins) {
  std::vector<std::string> problems;
  read({{"HONE_LTO", "fast"}, {"HONE_RELOCS", "2"}, {"HONE_PROFILE_GENERATE", "/g"}, {"HONE_PROFILE_USE", "/u"}},
       problems);
  EXPECT_EQ(problems,
            (std::vector<std::string>{"HONE_PROFILE_GENERATE and HONE_PROFILE_USE are both set; set one of them",
                                      "HONE_LTO=fast is not one of thin, full, off", "HONE_RELOCS=2 is not 0 or 1"}));
  problems.clear();
  const WrapperMode disabled = read({{"HONE_DISABLE", "1"}, {"HONE_LTO", "fast"}}, problems);
  EXPECT_TRUE(disabled.disabled);
  EXPECT_TRUE(problems.empty());
  EXPECT_FALSE(disabled.any());
  WrapperMode off;
  off.disabled = true;
  EXPECT_EQ(off.to_environment(), (std::vector<std::pair<std::string, std::string>>{{"HONE_DISABLE", "1"}}));
}

TEST(SupportModeFlags, PerFamilyAndStep) {
  WrapperMode use;
  use.profile_use_path = "/p.profdata";
  use.lto = LtoKind::full;
  EXPECT_EQ(mode_flags(use, CompilerFamily::clang, true, false, ""),
            (std::vector<std::string>{"-fprofile-use=/p.profdata", "-Wno-profile-instr-unprofiled",
                                      "-Wno-profile-instr-out-of-date", "-Wno-profile-instr-missing", "-flto=full"}));
  EXPECT_EQ(mode_flags(use, CompilerFamily::clang, false, true, ""),
            (std::vector<std::string>{"-flto=full", "-fuse-ld=lld"}));
  EXPECT_EQ(mode_flags(use, CompilerFamily::gcc, true, true, ""),
            (std::vector<std::string>{"-fprofile-use=/p.profdata", "-fprofile-partial-training", "-fprofile-correction",
                                      "-Wno-missing-profile", "-Wno-coverage-mismatch", "-flto=auto"}));
  EXPECT_TRUE(mode_flags(use, CompilerFamily::other, true, true, "").empty());
  WrapperMode generate;
  generate.profile_generate_dir = "/g";
  EXPECT_EQ(mode_flags(generate, CompilerFamily::gcc, true, false, ""),
            (std::vector<std::string>{"-fprofile-generate=/g", "-fprofile-update=atomic"}));
  EXPECT_EQ(mode_flags(generate, CompilerFamily::gcc, false, true, ""),
            (std::vector<std::string>{"-fprofile-generate=/g"}));
}

}  // namespace
}  // namespace hone::support

namespace hone::support {
namespace {

// The list `hone doctor` checks a shell against: every name once, every mode variable the wrapper
// writes listed as a mode, and the runtime's names (which the runtime may not include) present.
TEST(SupportEnvironmentList, EveryNameOnceAndEveryModeVariableListed) {
  std::set<std::string_view> names;
  for (const EnvironmentVariable& variable : k_environment_variables) {
    EXPECT_TRUE(variable.name.starts_with("HONE_")) << variable.name;
    EXPECT_TRUE(names.insert(variable.name).second) << variable.name << " listed twice";
  }
  WrapperMode mode;
  mode.profile_use_path = "/p.profdata";
  mode.lto = LtoKind::full;
  mode.relocs = true;
  mode.remarks_dir = "/r";
  mode.compile_db = "/db.json";
  mode.extra_compile_flags = {"-O2"};
  mode.extra_link_flags = {"-s"};
  mode.prefix_command = {"distcc"};
  mode.log_file = "/log";
  for (const auto& [name, value] : mode.to_environment()) {
    bool listed_as_mode = false;
    for (const EnvironmentVariable& variable : k_environment_variables)
      listed_as_mode = listed_as_mode || (variable.name == name && variable.reader == VariableReader::wrapper_mode);
    EXPECT_TRUE(listed_as_mode) << name;
  }
  for (std::string_view runtime_name :
       {"HONE_PROFILE", "HONE_PROFILE_TRACE", "HONE_PROFILE_TRACE_STREAM", "HONE_PROFILE_TRACE_MAX_MB",
        "HONE_PROFILE_TRACE_KEEP", "HONE_ALLOC_REPORT", "HONE_ALLOC_SAMPLE", "HONE_SIMD_TARGETS"})
    EXPECT_TRUE(names.contains(runtime_name)) << runtime_name;
}

}  // namespace
}  // namespace hone::support
