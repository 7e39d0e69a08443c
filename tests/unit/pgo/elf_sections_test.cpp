// elf_sections: the section names of a real ELF file (this test's own executable), and nullopt for
// files that are not ELF or are cut short, where a wrong answer would let a bad binary pass hone's checks;
// and a whole string found in that executable's read-only data, as a stripped GCC binary's .gcda path is.
#include "pgo/elf_sections.h"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using hone::pgo::elf_section_names;
using hone::pgo::has_elf_data_string;
using hone::pgo::has_elf_section;

fs::path scratch_file(const std::string& name) {
  return fs::temp_directory_path() / ("hone-elf-test-" + std::to_string(getpid()) + "-" + name);
}

TEST(ElfSections, ReadsTheSectionsOfThisExecutable) {
  auto names = elf_section_names("/proc/self/exe");
  ASSERT_TRUE(names.has_value());
  EXPECT_NE(std::find(names->begin(), names->end(), ".text"), names->end());
  EXPECT_NE(std::find(names->begin(), names->end(), ".shstrtab"), names->end());
  EXPECT_TRUE(has_elf_section("/proc/self/exe", ".text"));
  // Built without instrumentation, although its string data names the counter section.
  EXPECT_FALSE(has_elf_section("/proc/self/exe", hone::pgo::k_profile_counters_section));
}

TEST(ElfSections, RefusesAFileThatIsNotElf) {
  fs::path file = scratch_file("text");
  std::ofstream(file) << "__llvm_prf_cnts is only text here\n";
  EXPECT_FALSE(elf_section_names(file).has_value());
  EXPECT_FALSE(has_elf_section(file, "__llvm_prf_cnts"));
  fs::remove(file);
  EXPECT_FALSE(elf_section_names(file).has_value());  // gone: no crash, no names
}

TEST(ElfSections, RefusesATruncatedElfFile) {
  std::ifstream in("/proc/self/exe", std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  fs::path file = scratch_file("truncated");
  std::ofstream(file, std::ios::binary).write(head.data(), in.gcount());
  // The section headers sit at the end of the file, far past its first 4 KiB.
  EXPECT_FALSE(elf_section_names(file).has_value());
  fs::remove(file);
}

// This test program's own read-only data holds the string below as a whole C string; a prefix or suffix
// that only part of a string has, and code bytes, do not count.
TEST(ElfSections, FindsAWholeStringInTheReadOnlyData) {
  // A volatile pointer: the compiler must keep the string, which it could otherwise fold away.
  const char* volatile path = "/hone-elf-test/obj#main.c.gcda";
  ASSERT_EQ(std::string(path).size(), 30u);
  EXPECT_TRUE(has_elf_data_string("/proc/self/exe", "/hone-elf-test/", ".gcda"));
  EXPECT_FALSE(has_elf_data_string("/proc/self/exe", "/hone-elf-test/", ".gcno"));
  EXPECT_FALSE(has_elf_data_string("/proc/self/exe", "hone-elf-test/", ".gcda"));  // starts inside the string
  EXPECT_FALSE(has_elf_data_string("/proc/self/exe", "", ".gcda"));
  EXPECT_FALSE(has_elf_data_string("/nonexistent/binary", "/", ""));
}

}  // namespace
