// Units for mode flags (which flags, for which family, on which steps), reading the HONE_* variables,
// and parsing compiler version output.
#include <gtest/gtest.h>

#include <cstdlib>

#include "driver/wrapper/compiler_info.h"
#include "driver/wrapper/modes.h"

namespace hone::wrapper {
namespace {

Classification call_of(CallKind kind) {
  Classification call;
  call.kind = kind;
  call.sources = {"a.c"};
  return call;
}

TEST(ModeFlags, NothingOnPreprocessQueryOrAssemble) {
  ModeSettings settings;
  settings.profile_generate_dir = "/tmp/p";
  settings.lto = LtoKind::thin;
  settings.relocs = true;
  for (CallKind kind : {CallKind::preprocess, CallKind::query, CallKind::assemble, CallKind::unknown}) {
    EXPECT_TRUE(mode_flags(settings, call_of(kind), CompilerFamily::clang, "").empty()) << to_string(kind);
  }
}

TEST(ModeFlags, LinkFlagsOnlyOnLinks) {
  ModeSettings settings;
  settings.lto = LtoKind::thin;
  settings.relocs = true;
  settings.extra_compile_flags = {"-gline-tables-only"};
  settings.extra_link_flags = {"-Wl,-q"};
  EXPECT_EQ(mode_flags(settings, call_of(CallKind::compile), CompilerFamily::clang, ""),
            (std::vector<std::string>{"-flto=thin", "-gline-tables-only"}));
  EXPECT_EQ(mode_flags(settings, call_of(CallKind::link), CompilerFamily::clang, ""),
            (std::vector<std::string>{"-flto=thin", "-fuse-ld=lld", "-Wl,--emit-relocs", "-Wl,-q"}));
  EXPECT_EQ(mode_flags(settings, call_of(CallKind::compile_and_link), CompilerFamily::gcc, ""),
            (std::vector<std::string>{"-flto=auto", "-Wl,--emit-relocs", "-gline-tables-only", "-Wl,-q"}));
}

TEST(ModeFlags, ProfileUseOnlyWhenCompiling) {
  ModeSettings settings;
  settings.profile_use_path = "/p/app.profdata";
  EXPECT_TRUE(mode_flags(settings, call_of(CallKind::link), CompilerFamily::clang, "").empty());
  std::vector<std::string> flags = mode_flags(settings, call_of(CallKind::compile), CompilerFamily::gcc, "");
  ASSERT_FALSE(flags.empty());
  EXPECT_EQ(flags[0], "-fprofile-use=/p/app.profdata");
  EXPECT_EQ(flags[1], "-fprofile-partial-training");
}

TEST(ModeFlags, RemarksOnlyForClangCompilesWithAFile) {
  ModeSettings settings;
  settings.remarks_dir = "/r";
  EXPECT_EQ(
      mode_flags(settings, call_of(CallKind::compile), CompilerFamily::clang, "/r/a-1.opt.yaml"),
      (std::vector<std::string>{"-fsave-optimization-record=yaml", "-foptimization-record-file=/r/a-1.opt.yaml"}));
  EXPECT_TRUE(mode_flags(settings, call_of(CallKind::compile), CompilerFamily::clang, "").empty());
  EXPECT_TRUE(mode_flags(settings, call_of(CallKind::link), CompilerFamily::clang, "/r/x").empty());
}

TEST(ModeSettingsTest, BadValuesAreProblems) {
  setenv("HONE_LTO", "fast", 1);
  setenv("HONE_RELOCS", "2", 1);
  std::vector<std::string> problems;
  read_mode_settings(problems);
  unsetenv("HONE_LTO");
  unsetenv("HONE_RELOCS");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "HONE_LTO=fast is not one of thin, full, off");
  EXPECT_EQ(problems[1], "HONE_RELOCS=2 is not 0 or 1");
}

TEST(ModeSettingsTest, DisableWinsAndEmptyMeansPassthrough) {
  std::vector<std::string> problems;
  ModeSettings none = read_mode_settings(problems);
  EXPECT_FALSE(none.any());
  setenv("HONE_DISABLE", "1", 1);
  setenv("HONE_LTO", "thin", 1);
  ModeSettings disabled = read_mode_settings(problems);
  unsetenv("HONE_DISABLE");
  unsetenv("HONE_LTO");
  EXPECT_TRUE(disabled.disabled);
  EXPECT_TRUE(problems.empty());
}

TEST(CompilerVersion, ClangAndGccOutputs) {
  CompilerInfo clang = parse_version_output(
      "Debian clang version 19.1.7 (3~deb12u1)\nTarget: x86_64-pc-linux-gnu\nThread model: posix\n");
  EXPECT_EQ(clang.family, CompilerFamily::clang);
  EXPECT_EQ(clang.version, "19.1.7");
  EXPECT_EQ(clang.major_version, 19);
  CompilerInfo gcc = parse_version_output(
      "gcc (Debian 12.2.0-14+deb12u1) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n");
  EXPECT_EQ(gcc.family, CompilerFamily::gcc);
  EXPECT_EQ(gcc.version, "12.2.0");
  CompilerInfo cc =
      parse_version_output("cc (Debian 12.2.0-14) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.\n");
  EXPECT_EQ(cc.family, CompilerFamily::gcc);
  EXPECT_EQ(parse_version_output("Intel(R) oneAPI DPC++ 2024.0\n").family, CompilerFamily::other);
  EXPECT_EQ(parse_version_output("").family, CompilerFamily::other);
}

}  // namespace
}  // namespace hone::wrapper
