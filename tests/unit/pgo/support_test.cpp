// Units for the small pieces the stages rely on: hashing, manifests, profile headers, placeholder
// expansion, version parsing and running processes.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

#include "pgo/context.h"
#include "pgo/error.h"
#include "pgo/hashing.h"
#include "pgo/manifest.h"
#include "pgo/profile_format.h"
#include "pgo/toolchain.h"

namespace hone::pgo {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("hone-support-test-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(Hashing, FieldsAreUnambiguous) {
  EXPECT_NE(Hasher().add_field("ab").add_field("c").hex(), Hasher().add_field("a").add_field("bc").hex());
  EXPECT_EQ(hash_string("x").size(), 16u);
}

TEST(Hashing, TreeHashSeesContentAndSkipsBuildFolders) {
  fs::path dir = scratch("tree");
  std::ofstream(dir / "a.c") << "int a;";
  std::string before = hash_tree(dir, dir / ".hone");
  fs::create_directories(dir / ".hone");
  std::ofstream(dir / ".hone" / "log") << "ignored";
  fs::create_directories(dir / "build-release");
  std::ofstream(dir / "build-release" / "x.o") << "ignored";
  EXPECT_EQ(hash_tree(dir, dir / ".hone"), before);
  std::ofstream(dir / "a.c") << "int b;";
  EXPECT_NE(hash_tree(dir, dir / ".hone"), before);
  fs::remove_all(dir);
}

TEST(Manifest, RoundTripAndIntactOutputs) {
  fs::path dir = scratch("manifest");
  fs::path output = dir / "out.bin";
  std::ofstream(output) << "payload";
  Manifest manifest;
  manifest.stage = "train";
  manifest.input_key = "k1";
  manifest.outputs[output.string()] = hash_file(output);
  manifest.facts["n"] = 3;
  write_manifest(dir, manifest);
  std::optional<Manifest> read = read_manifest(dir);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->input_key, "k1");
  EXPECT_EQ(read->facts["n"], 3);
  EXPECT_TRUE(outputs_intact(*read));
  std::ofstream(output) << "changed";
  EXPECT_FALSE(outputs_intact(*read));
  std::ofstream(manifest_path(dir)) << "{ truncated";
  EXPECT_FALSE(read_manifest(dir));
  fs::remove_all(dir);
}

TEST(ProfileFormat, RecognisesMagicAndRejectsGarbage) {
  fs::path dir = scratch("profile");
  std::ofstream(dir / "garbage.profraw") << "not a profile at all, certainly not";
  EXPECT_EQ(profile_file_kind(dir / "garbage.profraw"), ProfileFileKind::unknown);
  EXPECT_FALSE(read_raw_profile_header(dir / "garbage.profraw").valid);
  // A raw header: magic, then version 10 with the IR-level variant bit, then padding to header size.
  std::string raw("\x81\x72\x66\x6f\x72\x70\x6c\xff\x0a\x00\x00\x00\x00\x00\x00\x01", 16);
  raw += std::string(200, '\0');
  std::ofstream(dir / "ok.profraw", std::ios::binary) << raw;
  EXPECT_EQ(profile_file_kind(dir / "ok.profraw"), ProfileFileKind::raw);
  RawProfileHeader header = read_raw_profile_header(dir / "ok.profraw");
  EXPECT_TRUE(header.valid);
  EXPECT_EQ(header.version, 10u);
  EXPECT_TRUE(header.ir_level);
  std::ofstream(dir / "short.profraw", std::ios::binary) << raw.substr(0, 40);
  EXPECT_FALSE(read_raw_profile_header(dir / "short.profraw").valid);
  fs::remove_all(dir);
}

TEST(Expand, ReplacesKnownPlaceholdersAndRejectsUnknownOnes) {
  std::map<std::string, std::string> values = {{"bin", "/b/app"}, {"bin:tool", "/b/tool"}, {"source", "/s"}};
  EXPECT_EQ(expand("{bin}", values, "here"), "/b/app");
  EXPECT_EQ(expand("--in={source}/x --t={bin:tool}", values, "here"), "--in=/s/x --t=/b/tool");
  EXPECT_EQ(expand("no braces", values, "here"), "no braces");
  try {
    expand("{nope}", values, "hone.yaml:3:5");
    FAIL() << "expected an error";
  } catch (const PgoError& error) {
    EXPECT_NE(std::string(error.what()).find("hone.yaml:3:5: unknown placeholder '{nope}'"), std::string::npos);
  }
}

TEST(Toolchain, ParsesClangAndLlvmVersions) {
  EXPECT_EQ(parse_llvm_version("Debian clang version 19.1.7 (3~deb12u1)\nTarget: x86_64"), "19.1.7");
  EXPECT_EQ(parse_llvm_version("LLVM (http://llvm.org/):\n  LLVM version 18.1.8\n"), "18.1.8");
  EXPECT_EQ(parse_llvm_version("gcc (Debian 12.2.0-14) 12.2.0"), "");
}

TEST(Process, ReportsExitSignalTimeoutAndMissingProgram) {
  ProcessResult exited = run_process(spec_of({"sh", "-c", "exit 4"}));
  EXPECT_TRUE(exited.started);
  EXPECT_EQ(exited.exit_code, 4);
  ProcessResult killed = run_process(spec_of({"sh", "-c", "kill -SEGV $$"}));
  EXPECT_EQ(killed.signal, 11);
  ProcessSpec slow = spec_of({"sleep", "5"});
  slow.timeout_seconds = 0.05;
  ProcessResult timed_out = run_process(slow);
  EXPECT_TRUE(timed_out.timed_out);
  EXPECT_LT(timed_out.seconds, 2);
  ProcessResult missing = run_process(spec_of({"/no/such/program"}));
  EXPECT_FALSE(missing.started);
  EXPECT_NE(describe_outcome(missing, spec_of({"/no/such/program"})).find("could not be started"), std::string::npos);
}

TEST(Process, PassesEnvironmentAndWorkingFolderAndCapturesOutput) {
  fs::path dir = scratch("process");
  ProcessSpec spec = spec_of({"sh", "-c", "echo \"$HONE_TEST_VALUE $(pwd)\""});
  spec.env = {{"HONE_TEST_VALUE", "hello"}};
  spec.cwd = dir;
  spec.stdout_file = dir / "out.txt";
  ASSERT_EQ(run_process(spec).exit_code, 0);
  std::ifstream in(dir / "out.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello " + fs::canonical(dir).string());
  EXPECT_EQ(shell_quote({"a b", "c", "it's"}), "'a b' c 'it'\\''s'");
  fs::remove_all(dir);
}

} // namespace
} // namespace hone::pgo
