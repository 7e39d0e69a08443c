// Units for CMake's file API in hone pgo (pgo/cmake_file_api.h): the reader of a codemodel-v2 reply (the
// latest index wins, artifacts inside the build folder become relative, each target once) on reply files
// written by hand in the layout CMake 3.25 writes, and the choice of the target that builds each binary
// in hone.yaml, with the errors that name the binary's line and the fix.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

#include "pgo/cmake_file_api.h"
#include "pgo/error.h"
#include "scratch_folder.h"

namespace hone::pgo {
namespace {

namespace fs = std::filesystem;

class CodemodelTest : public ::testing::Test {
protected:
  void SetUp() override { build_ = test::scratch_folder("codemodel"); }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(build_, ignored);
  }
  void write(const std::string& name, const std::string& text) {
    fs::create_directories(build_ / ".cmake/api/v1/reply");
    std::ofstream(build_ / ".cmake/api/v1/reply" / name) << text;
  }
  fs::path build_;
};

TEST_F(CodemodelTest, NoReplyIsNullopt) {
  EXPECT_FALSE(read_codemodel(build_).has_value());
  ASSERT_EQ(write_codemodel_query(build_), "");
  EXPECT_TRUE(fs::is_regular_file(build_ / ".cmake/api/v1/query/codemodel-v2"));
  EXPECT_FALSE(read_codemodel(build_).has_value());  // a query is not a reply: the configure answers it
}

TEST_F(CodemodelTest, LatestIndexTargetsOnceWithRelativeArtifacts) {
  // An older index whose files are gone, as after a re-configure: the latest by name is the reply.
  write("index-2026-01-01T00-00-00-0000.json", R"({"reply": {"codemodel-v2": {"jsonFile": "gone.json"}}})");
  write("index-2026-12-02T07-00-00-0000.json", R"({"reply": {"codemodel-v2": {"jsonFile": "codemodel-v2-1.json"}}})");
  write("codemodel-v2-1.json", R"({"configurations": [
      {"name": "Release", "targets": [{"jsonFile": "target-zstd.json"}, {"jsonFile": "target-lib.json"}]},
      {"name": "Debug", "targets": [{"jsonFile": "target-zstd.json"}]}]})");
  write("target-zstd.json", R"({"name": "zstd", "type": "EXECUTABLE", "artifacts": [{"path": ")" +
                                (build_ / "programs/zstd").string() +
                                R"("}], "paths": {"source": "programs", "build": "programs"}, "install": {}})");
  write("target-lib.json", R"({"name": "libzstd_static", "type": "STATIC_LIBRARY",
      "artifacts": [{"path": "lib/libzstd.a"}], "paths": {"source": "lib", "build": "lib"}})");
  const auto targets = read_codemodel(build_);
  ASSERT_TRUE(targets.has_value());
  ASSERT_EQ(targets->size(), 2u);
  EXPECT_EQ((*targets)[0].name, "zstd");
  EXPECT_EQ((*targets)[0].type, "EXECUTABLE");
  EXPECT_EQ((*targets)[0].artifacts, std::vector<std::string>{"programs/zstd"});
  EXPECT_EQ((*targets)[0].source_folder, "programs");
  EXPECT_TRUE((*targets)[0].installed);
  EXPECT_EQ((*targets)[1].artifacts, std::vector<std::string>{"lib/libzstd.a"});
  EXPECT_FALSE((*targets)[1].installed);
}

TEST_F(CodemodelTest, DamagedReplyTellsWhatToRemove) {
  write("index-1.json", R"({"reply": {"codemodel-v2": {"jsonFile": "codemodel-v2-1.json"}}})");
  write("codemodel-v2-1.json", "{not json");
  try {
    read_codemodel(build_);
    FAIL() << "a damaged reply was read";
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_job_failed);
    EXPECT_NE(std::string(error.what()).find("remove the build folder " + build_.string()), std::string::npos);
  }
}

// zstd's programs folder: zstd and zstd-frugal from the same zstdcli.c, and a library.
std::vector<CMakeTarget> zstd_targets() {
  return {{"zstd", "EXECUTABLE", {"programs/zstd"}, "programs", true},
          {"zstd-frugal", "EXECUTABLE", {"programs/zstd-frugal"}, "programs", false},
          {"libzstd_static", "STATIC_LIBRARY", {"lib/libzstd.a"}, "lib", false}};
}

Binary binary(const std::string& path, const std::string& target = "") {
  Binary b;
  b.path = path;
  b.name = fs::path(path).filename().string();
  b.target = target;
  b.location = "hone.yaml:7:5";
  b.target_location = "hone.yaml:8:13";
  return b;
}

// The message of the PgoError (exit 2) that choosing targets for `binaries` throws, or "".
std::string error_of(const std::vector<Binary>& binaries) {
  try {
    targets_for_binaries(binaries, zstd_targets());
  } catch (const PgoError& error) {
    EXPECT_EQ(error.exit_code(), k_exit_bad_input);
    return error.what();
  }
  return "";
}

TEST(TargetsForBinaries, ByArtifactPathThenFileNameThenTargetKey) {
  // Only the listed binary's target: zstd-frugal is not built.
  EXPECT_EQ(targets_for_binaries({binary("./programs/zstd")}, zstd_targets()), std::vector<std::string>{"zstd"});
  // A copy made elsewhere by the project (no target has it as artifact) is built by its namesake.
  EXPECT_EQ(targets_for_binaries({binary("bin/zstd-frugal")}, zstd_targets()), std::vector<std::string>{"zstd-frugal"});
  // target: wins over the path, and a target given twice is built once.
  EXPECT_EQ(
      targets_for_binaries({binary("programs/zstd", "zstd-frugal"), binary("programs/zstd-frugal")}, zstd_targets()),
      std::vector<std::string>{"zstd-frugal"});
}

TEST(TargetsForBinaries, WithoutAReplyTheTargetKeyOrTheFileName) {
  EXPECT_EQ(targets_for_binaries({binary("programs/zstd"), binary("bin/unzstd", "zstd")}, std::nullopt),
            std::vector<std::string>{"zstd"});
  EXPECT_EQ(targets_for_binaries({binary("bin/tool")}, std::nullopt), std::vector<std::string>{"tool"});
}

TEST(TargetsForBinaries, UnknownTargetNamesTheLineAndTheFix) {
  EXPECT_EQ(error_of({binary("programs/unzstd")}),
            "hone.yaml:7:5: binary 'unzstd': no CMake target builds 'programs/unzstd' and none is named 'unzstd' "
            "(the executable targets: zstd (programs/zstd), zstd-frugal (programs/zstd-frugal)); fix its 'path', "
            "or name the target that builds it with 'target: NAME'");
  EXPECT_EQ(error_of({binary("programs/zstd", "zstd-frugl")}),
            "hone.yaml:8:13: binary 'zstd': the CMake build has no target 'zstd-frugl'; did you mean 'zstd-frugal'? "
            "(the executable targets: zstd (programs/zstd), zstd-frugal (programs/zstd-frugal))");
}

}  // namespace
}  // namespace hone::pgo
