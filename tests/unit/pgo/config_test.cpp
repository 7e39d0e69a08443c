// Units for the hone.yaml loader: defaults, every section read into the right field, and errors that
// carry file:line:col and a did-you-mean.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

#include "pgo/config.h"
#include "pgo/error.h"
#include "scratch_folder.h"

namespace hone::pgo {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public test::HoneYamlTest {
protected:
  // The message of the PgoError that loading `text` throws, or "" when it loads.
  std::string error_of(const std::string& text) {
    try {
      load_config(write(text));
    } catch (const PgoError& error) {
      EXPECT_EQ(error.exit_code(), k_exit_bad_input);
      return error.what();
    }
    return "";
  }
};

constexpr const char* k_minimal = "binaries: [app]\ntraining:\n  - name: one\n    command: [\"{bin}\", \"x\"]\n";

TEST_F(ConfigTest, MinimalConfigGetsTheDocumentedDefaults) {
  Config config = load_config(write(k_minimal));
  EXPECT_EQ(config.build_system, BuildSystem::cmake);
  EXPECT_EQ(config.build_type, "Release");
  EXPECT_EQ(config.c_compiler, "clang-19");
  EXPECT_EQ(config.pgo_kind, PgoKind::ir);
  EXPECT_EQ(config.lto, LtoMode::thin);
  EXPECT_FALSE(config.bolt);
  EXPECT_EQ(config.work_dir, dir_ / ".hone");
  ASSERT_EQ(config.binaries.size(), 1u);
  EXPECT_EQ(config.binaries[0].name, "app");
  ASSERT_EQ(config.training.size(), 1u);
  EXPECT_EQ(config.training[0].command, (std::vector<std::string>{"{bin}", "x"}));
  EXPECT_EQ(config.training[0].cwd, dir_);
  EXPECT_EQ(config.training[0].location, (dir_ / "hone.yaml").string() + ":3:5");
  EXPECT_TRUE(config.benchmark.empty());
}

// verify runs extra rounds while an interval is wide: up to 3 x repetitions unless max_repetitions says.
TEST_F(ConfigTest, VerifyMaxRepetitionsDefaultsAndBounds) {
  EXPECT_EQ(load_config(write(k_minimal)).verify_max_repetitions, 30);
  EXPECT_EQ(load_config(write(std::string(k_minimal) + "verify: {repetitions: 4}\n")).verify_max_repetitions, 12);
  EXPECT_EQ(load_config(write(std::string(k_minimal) + "verify: {repetitions: 4, max_repetitions: 4}\n"))
                .verify_max_repetitions,
            4);
  EXPECT_NE(error_of(std::string(k_minimal) + "verify: {repetitions: 5, max_repetitions: 3}\n")
                .find("verify.max_repetitions must be at least verify.repetitions (5)"),
            std::string::npos);
}

TEST_F(ConfigTest, ReadsEverySection) {
  Config config = load_config(write(R"(build:
  system: command
  command: [make, "-j{jobs}"]
  env: {A: b}
compiler: {c: clang-19, cxx: clang++-19}
binaries:
  - name: server
    path: bin/server
training:
  - name: t
    command: ["{bin:server}"]
    cwd: data
    env: {X: "1"}
    timeout: 2.5
    expected_exit: 3
    repeat: 4
    weight: 7
benchmark:
  - name: b
    command: ["{bin}"]
    compare_output: off
pgo: {kind: frontend}
lto: full
bolt: {enabled: on, args: ["-peepholes=all"]}
flags: {compile: [-march=native], link: [-Wl,-O1]}
verify: {repetitions: 5, warmup: 0, callgrind: on}
tools: {llvm_profdata: /opt/llvm/bin/llvm-profdata}
work_dir: out/hone
)"));
  EXPECT_EQ(config.build_system, BuildSystem::command);
  EXPECT_EQ(config.build_command, (std::vector<std::string>{"make", "-j{jobs}"}));
  EXPECT_EQ(config.build_env.at("A"), "b");
  EXPECT_EQ(config.binaries[0].path, "bin/server");
  const Workload& t = config.training[0];
  EXPECT_EQ(t.cwd, dir_ / "data");
  EXPECT_EQ(t.env.at("X"), "1");
  EXPECT_DOUBLE_EQ(t.timeout_seconds, 2.5);
  EXPECT_EQ(t.expected_exit, 3);
  EXPECT_EQ(t.repeat, 4);
  EXPECT_DOUBLE_EQ(t.weight, 7);
  EXPECT_FALSE(config.benchmark[0].compare_output);
  EXPECT_EQ(config.pgo_kind, PgoKind::frontend);
  EXPECT_EQ(config.lto, LtoMode::full);
  EXPECT_TRUE(config.bolt);
  EXPECT_EQ(config.bolt_args, (std::vector<std::string>{"-peepholes=all"}));
  EXPECT_EQ(config.compile_flags, (std::vector<std::string>{"-march=native"}));
  EXPECT_EQ(config.verify_repetitions, 5);
  EXPECT_TRUE(config.verify_callgrind);
  EXPECT_EQ(config.llvm_profdata, "/opt/llvm/bin/llvm-profdata");
  EXPECT_EQ(config.work_dir, dir_ / "out/hone");
}

// A binary's `target:` names the CMake target that builds it (pgo/cmake_file_api.h); a command build has none.
TEST_F(ConfigTest, BinaryTargetKeyIsForCMakeBuilds) {
  const std::string training = "training:\n  - name: one\n    command: [\"{bin}\"]\n";
  Config config = load_config(write("binaries:\n  - path: bin/unzstd\n    target: zstd\n  - app\n" + training));
  ASSERT_EQ(config.binaries.size(), 2u);
  EXPECT_EQ(config.binaries[0].target, "zstd");
  EXPECT_EQ(config.binaries[0].location, (dir_ / "hone.yaml").string() + ":2:5");
  EXPECT_EQ(config.binaries[0].target_location, (dir_ / "hone.yaml").string() + ":3:13");
  EXPECT_EQ(config.binaries[1].target, "");
  EXPECT_EQ(config.binaries[1].location, (dir_ / "hone.yaml").string() + ":4:5");
  const std::string message = error_of("build: {system: command, command: [make]}\nbinaries:\n  - path: app\n"
                                       "    target: app\n" +
                                       training);
  EXPECT_NE(message.find("hone.yaml:4:13: a binary's 'target' is the CMake target that builds it"), std::string::npos)
      << message;
}

TEST_F(ConfigTest, UnknownKeyNamesLineColumnAndSuggestion) {
  std::string message = error_of(std::string(k_minimal) + "bolt: on\nlot: thin\n");
  EXPECT_NE(message.find("hone.yaml:6:1: unknown key 'lot' in hone.yaml; did you mean 'lto'?"), std::string::npos)
      << message;
}

TEST_F(ConfigTest, WrongTypesAndValuesAreErrors) {
  EXPECT_NE(error_of("binaries: [app]\ntraining:\n  - name: one\n    command: \"{bin} x\"\n")
                .find(":4:14: command must be a list"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(k_minimal) + "verify: {repetitions: many}\n").find("must be a number, got 'many'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(k_minimal) + "bolt: maybe\n").find("bolt must be on or off"), std::string::npos);
  EXPECT_NE(error_of(std::string(k_minimal) + "pgo: {kind: autofdo}\n").find("pgo.kind must be one of"),
            std::string::npos);
  EXPECT_NE(error_of("binaries: [app]\ntraining: []\n").find("at least one workload"), std::string::npos);
  EXPECT_NE(error_of("binaries: [app]\ntraining:\n  - name: a\n    command: [x]\n  - name: a\n    command: [y]\n")
                .find("two training workloads are named 'a'"),
            std::string::npos);
  EXPECT_NE(error_of("build: {system: command}\n" + std::string(k_minimal)).find("build.command"), std::string::npos);
  EXPECT_NE(error_of("binaries: [app]\n").find("'training' is required"), std::string::npos);
  EXPECT_NE(error_of("[1, 2]\n").find("must be a mapping"), std::string::npos);
}

TEST_F(ConfigTest, WeightIsOnlyForTraining) {
  std::string message = error_of(std::string(k_minimal) + "benchmark:\n  - name: b\n    command: [x]\n    weight: 2\n");
  EXPECT_NE(message.find("unknown key 'weight' in a benchmark workload"), std::string::npos) << message;
}

// What yaml-cpp accepts silently (issue 11, item 15) is an error with the place in the file.
TEST_F(ConfigTest, DuplicateKeysAndSecondDocumentsAreErrors) {
  EXPECT_NE(error_of(std::string(k_minimal) + "lto: thin\nlto: off\n")
                .find("hone.yaml:6:1: duplicate key 'lto' (first at line 5)"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(k_minimal) + "    env: {A: 1, A: 2}\n")
                .find(":5:17: duplicate key 'A' (first at line 5, column 11)"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(k_minimal) + "---\nlto: off\n").find(":6:1: a second YAML document starts here"),
            std::string::npos);
  EXPECT_EQ(error_of(std::string(k_minimal) + "---\n"), "");  // an empty second document holds nothing to ignore
  EXPECT_NE(error_of(std::string(k_minimal) + "? [a]\n: b\n").find("a key must be a plain name"), std::string::npos);
  // Aliases: a cycle, and a "billion laughs" tree of 2^30 nodes from 30 short lines, end in an error at once.
  EXPECT_NE(error_of("a: &a [*a]\n" + std::string(k_minimal)).find("nested too deeply"), std::string::npos);
  std::string laughs = "l0: &l0 [x, x]\n";
  for (int i = 1; i < 30; ++i)
    laughs += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [*l" + std::to_string(i - 1) + ", *l" +
              std::to_string(i - 1) + "]\n";
  EXPECT_NE(error_of(laughs + k_minimal).find("through too many aliases"), std::string::npos);
}

TEST_F(ConfigTest, UnknownPlaceholdersAndDotNamesAreErrors) {
  EXPECT_NE(error_of("binaries: [app]\ntraining:\n  - name: one\n    command: [\"{bin}\", \"{sorce}\"]\n")
                .find("hone.yaml:4:24: unknown placeholder '{sorce}'"),
            std::string::npos);
  EXPECT_NE(
      error_of("binaries: [app]\ntraining:\n  - name: one\n    command: [\"{bin:other}\"]\n").find("'{bin:other}'"),
      std::string::npos);
  EXPECT_NE(error_of("build: {system: command, command: [make, \"{src}\"]}\n" + std::string(k_minimal)).find("'{src}'"),
            std::string::npos);
  EXPECT_NE(error_of("build: {system: command, configure: [\"{build}/x\", \"{nope}\"], command: [make]}\n" +
                     std::string(k_minimal))
                .find("'{nope}'"),
            std::string::npos);
  EXPECT_EQ(error_of("binaries: [app, {name: t, path: t}]\ntraining:\n  - name: one\n    command: [\"{bin:t}\", "
                     "\"{source}{root}{work}\", \"awk {print\"]\n"),
            "");
  for (const char* name : {".", ".."}) {
    EXPECT_NE(error_of("binaries: [app]\ntraining:\n  - name: \"" + std::string(name) + "\"\n    command: [x]\n")
                  .find("may not be named '" + std::string(name) + "'"),
              std::string::npos);
  }
}

TEST_F(ConfigTest, WorkDirThatHoneCannotOwnIsRefused) {
  fs::create_directories(dir_ / "project" / "src");
  std::ofstream(dir_ / "file") << "x";
  fs::create_symlink(dir_ / "project", dir_ / "project" / "link");
  auto error_for = [&](const std::string& work_dir, const std::string& extra = "") {
    std::ofstream(dir_ / "project" / "hone.yaml") << extra << k_minimal << "work_dir: " << work_dir << "\n";
    try {
      load_config(dir_ / "project" / "hone.yaml");
    } catch (const PgoError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  EXPECT_NE(error_for("/").find(":5:11: work_dir '/' is the file system root"), std::string::npos);
  EXPECT_NE(error_for(".").find("is the project folder"), std::string::npos);
  EXPECT_NE(error_for("link").find("is the project folder"), std::string::npos);
  EXPECT_NE(error_for("..").find("is a parent of the project folder"), std::string::npos);
  EXPECT_NE(error_for("../file").find("exists and is not a folder"), std::string::npos);
  EXPECT_NE(error_for("/dev/null").find("exists and is not a folder"), std::string::npos);
  EXPECT_NE(error_for("src", "build: {source_dir: src}\n").find("is the project's source folder"), std::string::npos);
  // $HOME is refused (as the home folder, or as a parent of the project when the project is under it).
  if (const char* home = std::getenv("HOME"); home && fs::is_directory(home)) {
    EXPECT_NE(error_for(home).find("work_dir '"), std::string::npos);
  }
  EXPECT_EQ(error_for(".hone"), "");
  EXPECT_EQ(error_for("../elsewhere"), "");
  EXPECT_EQ(error_for("src/.hone", "build: {source_dir: src}\n"), "");
}

// check_config_text: what would stop yaml-cpp (0.7.0's YAML::LoadAll runs out of memory on a ',' at the
// top level, found by the config fuzz target) is a problem with its place, found in bounded time.
TEST(ConfigText, StrayCommaAtTheTopLevelIsReportedWhereItIs) {
  auto problem_of = [](std::string_view text) {
    return check_config_text(text).value_or(ConfigTextProblem{-1, -1, ""});
  };
  // The fuzz findings (tests/fuzz/corpus/config/regression-yaml-cpp-comma-*), byte for byte.
  const std::string twenty("\x2c\0\0\0\0\0\0\0jus\x86\x2c\xe0\x93\x96\x89k:\n", 20);
  ConfigTextProblem found = problem_of(twenty);
  EXPECT_EQ(found.line, 1);
  EXPECT_EQ(found.column, 1);
  EXPECT_EQ(found.message.rfind("unexpected ',' outside a [list] or {map}", 0), 0u) << found.message;
  found = problem_of(" \"{bin:}\", \"{{binraining:\n warmupiler:\n  - namp: -1073741824}\n");
  EXPECT_EQ(found.line, 1);
  EXPECT_EQ(found.column, 10);
  found = problem_of("- \n - \n  - \n,  - \n");  // nested block lists, then a comma at column 1
  EXPECT_EQ(found.line, 4);
  EXPECT_EQ(found.column, 1);
  found = problem_of("{\"binaries\": [\"app\"]},\n");  // JSON with a trailing comma
  EXPECT_EQ(found.line, 1);
  EXPECT_EQ(found.column, 22);
  found = problem_of("a: 1\n---\n---\n, b\n");  // after empty documents
  EXPECT_EQ(found.line, 4);
  EXPECT_EQ(found.column, 1);
  found = problem_of("&a , b\n");  // after an anchor, which the parser did consume
  EXPECT_EQ(found.line, 1);
  EXPECT_EQ(found.column, 4);
  found = problem_of("a: 1\n...\n,\n");  // after an explicit document end
  EXPECT_EQ(found.line, 3);
  EXPECT_EQ(found.column, 1);
}

TEST(ConfigText, OtherProblemsAndGoodTexts) {
  auto problem_of = [](std::string_view text) {
    return check_config_text(text).value_or(ConfigTextProblem{-1, -1, ""});
  };
  ConfigTextProblem second = problem_of("a: 1\n---\nb: 2\n");
  EXPECT_EQ(second.line, 3);
  EXPECT_EQ(second.column, 1);
  EXPECT_EQ(second.message.rfind("a second YAML document starts here", 0), 0u) << second.message;
  ConfigTextProblem invalid = problem_of("a: [1, 2\n");
  EXPECT_EQ(invalid.message.rfind("invalid YAML: ", 0), 0u) << invalid.message;
  ConfigTextProblem large = problem_of(std::string(k_max_config_bytes + 1, '#'));
  EXPECT_EQ(large.line, 0);
  EXPECT_NE(large.message.find("larger than 262144 bytes"), std::string::npos) << large.message;
  EXPECT_FALSE(check_config_text(std::string(k_max_config_bytes, '#')));
  EXPECT_FALSE(check_config_text(""));
  EXPECT_FALSE(check_config_text("a: 1\n---\n"));            // an empty second document holds nothing to ignore
  EXPECT_FALSE(check_config_text("binaries: app, tool\n"));  // one plain scalar: the comma belongs to it
  EXPECT_FALSE(check_config_text("training:\n  - {name: a, command: [x, \"y,z\"]}\n"));
}

TEST(DidYouMean, SuggestsOnlyCloseWords) {
  std::vector<std::string> keys = {"training", "benchmark", "binaries", "lto"};
  EXPECT_EQ(did_you_mean("trainig", keys), "training");
  EXPECT_EQ(did_you_mean("benchmarks", keys), "benchmark");
  EXPECT_EQ(did_you_mean("lot", keys), "lto");
  EXPECT_EQ(did_you_mean("completely-different", keys), "");
}

}  // namespace
}  // namespace hone::pgo
