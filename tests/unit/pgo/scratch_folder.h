// Scratch folders for the pgo units: scratch_folder() for a test that needs a folder of its own, and
// HoneYamlTest, the fixture of the units that load a hone.yaml (config_test.cpp, init_test.cpp). Every
// folder is made with mkdtemp, so two runs of the suite, or two users on one machine, never share (or
// pre-create) it; the test removes it when done.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace hone::pgo::test {

// A new empty folder under the system's temporary folder, named hone-unit-<name>-XXXXXX.
inline std::filesystem::path scratch_folder(const std::string& name) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("hone-unit-" + name + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  return pattern;
}

class HoneYamlTest : public ::testing::Test {
protected:
  void SetUp() override { dir_ = scratch_folder("config"); }
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
