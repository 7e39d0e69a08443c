// The fixture of the units that load a hone.yaml (config_test.cpp, init_test.cpp): each test gets a
// fresh scratch folder to hold the hone.yaml it writes, removed with everything in it when the test
// ends. The folder is made with mkdtemp, so two runs of the suite, or two users on one machine, never
// share (or pre-create) it.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace hone::pgo::test {

class HoneYamlTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "hone-unit-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << "mkdtemp " << pattern << ": " << std::strerror(errno);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Writes `text` as the scratch folder's hone.yaml and returns its path.
  std::filesystem::path write(const std::string& text) {
    std::filesystem::path file = dir_ / "hone.yaml";
    std::ofstream(file) << text;
    return file;
  }

  std::filesystem::path dir_;
};

}  // namespace hone::pgo::test
