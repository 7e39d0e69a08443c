// hone-sample-profile's parts: perf script's text to per-offset counts (mappings per process, fork,
// exec, the kernel, lines that do not parse), the sample profile model and its text (line offsets from
// the function's first line, discriminators, inline call-site nesting, head estimates), and the
// symbolization of a binary this test builds with clang, whose inlined function and lines it knows.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/Error.h>
#include <unistd.h>

#include "pgo/sample/convert.h"
#include "pgo/sample/perf_script.h"
#include "pgo/sample/sample_profile.h"
#include "pgo/sample/symbolize.h"

namespace {

namespace fs = std::filesystem;
using namespace hone::pgo::sample;

PerfSamples read_script(const std::string& text) {
  PerfScriptReader reader;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    reader.line(std::string_view(text).substr(start, end - start));
    start = end + 1;
  }
  return reader.samples();
}

TEST(PerfScript, SampleBecomesFileOffsetThroughItsProcessMapping) {
  PerfSamples samples = read_script(
      "    0 PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x1276988) @ 0xffffffff81000000]: x [kernel.kallsyms]_text\n"
      "10227 PERF_RECORD_MMAP2 10227/10227: [0x5567f6113000(0x1000) @ 0x1000 fe:00 10954460 3915386342]: r-xp "
      "/tmp/a b/t\n"
      "10227  ffffffff8223208d ([kernel.kallsyms])\n"
      "10227      5567f6113293 (/tmp/a b/t)\n"
      "10227      5567f6113293 (/tmp/a b/t)\n"
      "10227      5567f6113000 (/tmp/a b/t)\n"
      "10227      5567f6115000 (/tmp/a b/t)\n");
  EXPECT_EQ(samples.samples, 5u);
  EXPECT_EQ(samples.kernel, 1u);
  EXPECT_EQ(samples.unmapped, 1u);  // one byte past the mapping
  ASSERT_EQ(samples.offsets.count("/tmp/a b/t"), 1u);
  const auto& offsets = samples.offsets.at("/tmp/a b/t");
  EXPECT_EQ(offsets.at(0x1293), 2u);
  EXPECT_EQ(offsets.at(0x1000), 1u);
  EXPECT_EQ(samples.bad_lines, 0u);
}

TEST(PerfScript, ForkedProcessKeepsItsParentsMappingsUntilExec) {
  PerfSamples samples = read_script("100 PERF_RECORD_MMAP2 100/100: [0x1000(0x1000) @ 0 00:00 0 0]: r-xp /bin/p\n"
                                    "100 PERF_RECORD_FORK(101:101):(100:100)\n"
                                    "101 1010 (/bin/p)\n"
                                    "101 PERF_RECORD_COMM exec: q:101/101\n"
                                    "101 1020 (/bin/p)\n"
                                    "101 PERF_RECORD_MMAP2 101/101: [0x7000(0x2000) @ 0x3000 00:00 0 0]: r-xp /bin/q\n"
                                    "101 7010 (/bin/q)\n"
                                    "102 1010 (/bin/p)\n");
  EXPECT_EQ(samples.offsets.at("/bin/p").at(0x10), 1u);  // inherited mapping
  EXPECT_EQ(samples.offsets.at("/bin/p").size(), 1u);    // the one after exec is not /bin/p's
  EXPECT_EQ(samples.offsets.at("/bin/q").at(0x3010), 1u);
  EXPECT_EQ(samples.unmapped, 2u);  // after exec, and a process perf never saw mapping anything
}

TEST(PerfScript, CountsLinesThatDoNotParse) {
  PerfSamples samples = read_script("# perf script header\n"
                                    "\n"
                                    "100 PERF_RECORD_MMAP2 100/100: [garbage]: r-xp /bin/p\n"
                                    "100 zz (/bin/p)\n"
                                    "100 PERF_RECORD_SAMPLE something perf added\n");
  EXPECT_EQ(samples.bad_lines, 2u);
  EXPECT_EQ(samples.first_bad_line, "100 PERF_RECORD_MMAP2 100/100: [garbage]: r-xp /bin/p");
  EXPECT_EQ(samples.samples, 0u);
}

TEST(SampleProfile, LineOffsetsCountFromTheFunctionsFirstLine) {
  EXPECT_EQ(line_location(12, 10, 0), (LineLocation{2, 0}));
  EXPECT_EQ(line_location(10, 10, 3), (LineLocation{0, 3}));
  // Above the first line (a macro's line): wraps in 16 bits as the compiler's own computation does.
  EXPECT_EQ(line_location(9, 10, 0), (LineLocation{0xffff, 0}));
}

TEST(SampleProfile, WritesBodyRecordsDiscriminatorsAndInlinedCallSites) {
  SampleProfile profile;
  // main (starts at line 20) calls work at line 23, which was inlined; work (line 5) calls leaf at
  // line 7, also inlined.
  Frame main_at_23{"main", 23, 20, 0};
  Frame work_at_7{"_Z4workv", 7, 5, 2};
  profile.add({{"_Z4leafi", 2, 1, 0}, work_at_7, main_at_23}, 30);
  profile.add({{"_Z4workv", 6, 5, 0}, main_at_23}, 5);
  profile.add({{"_Z4workv", 6, 5, 1}, main_at_23}, 4);
  profile.add({{"main", 20, 20, 0}}, 2);
  profile.add({{"main", 21, 20, 0}}, 1);
  profile.add({{"_Z5otherv", 40, 40, 0}}, 50);
  profile.add({}, 7);
  profile.estimate_head_samples();
  EXPECT_EQ(profile.attributed(), 92u);
  EXPECT_EQ(profile.unattributed(), 7u);
  EXPECT_EQ(profile.text(), "_Z5otherv:50:50\n"
                            " 0: 50\n"
                            "main:42:2\n"
                            " 0: 2\n"
                            " 1: 1\n"
                            " 3: _Z4workv:39\n"
                            "  1: 5\n"
                            "  1.1: 4\n"
                            "  2.2: _Z4leafi:30\n"
                            "   1: 30\n");
}

TEST(SampleProfile, HeadOfAFunctionWithOnlyInlinedCodeComesFromTheFirstCallee) {
  SampleProfile profile;
  profile.add({{"leaf", 3, 2, 0}, {"wrapper", 11, 10, 0}}, 8);
  profile.add({{"leaf", 2, 2, 0}, {"wrapper", 11, 10, 0}}, 3);
  profile.estimate_head_samples();
  EXPECT_EQ(profile.functions().at("wrapper").head, 3u);
  EXPECT_EQ(profile.functions().at("wrapper").total, 11u);
}

TEST(Convert, SameBinaryByPathOrFileName) {
  EXPECT_TRUE(same_binary("/build/a/app", "/build/a/app"));
  EXPECT_TRUE(same_binary("/elsewhere/app", "/build/a/app"));
  EXPECT_TRUE(same_binary("/elsewhere/app (deleted)", "/build/a/app"));
  EXPECT_FALSE(same_binary("/elsewhere/app2", "/build/a/app"));
}

// A binary built by the test: `leaf` is always inlined into `outer` at a known line.
class KnownBinary : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    folder_ = fs::temp_directory_path() / ("hone-sample-test-" + std::to_string(getpid()));
    fs::create_directories(folder_);
    // leaf calls a function that is not inlined, so its code cannot merge into outer's own lines.
    std::ofstream(folder_ / "known.c") << "volatile int sink;\n"                                              // 1
                                          "__attribute__((noinline)) int ext(int x) { return x ^ sink; }\n"   // 2
                                          "static inline __attribute__((always_inline)) int leaf(int x) {\n"  // 3
                                          "  return ext(x) * ext(x + 1);\n"                                   // 4
                                          "}\n"                                                               // 5
                                          "__attribute__((noinline)) int outer(int n) {\n"                    // 6
                                          "  int s = 0;\n"                                                    // 7
                                          "  for (int i = 0; i < n; i++)\n"                                   // 8
                                          "    s += leaf(i) ^ (s >> 1);\n"                                    // 9
                                          "  return s;\n"                                                     // 10
                                          "}\n"                                                               // 11
                                          "int main(int argc, char **argv) {\n"                               // 12
                                          "  (void)argv;\n"                                                   // 13
                                          "  return outer(argc * 1000) & 1;\n"                                // 14
                                          "}\n";
    binary_ = folder_ / "known";
    std::string command = std::string(HONE_TEST_LLVM_BIN_DIR) +
                          "/clang -O1 -gline-tables-only -fdebug-info-for-profiling " + (folder_ / "known.c").string() +
                          " -o " + binary_.string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() { fs::remove_all(folder_); }

  // The address and size of `name` in the symbol table, and the file offset of its first byte.
  static void find_symbol(const std::string& name, uint64_t& address, uint64_t& size, uint64_t& offset) {
    auto binary = llvm::object::createBinary(binary_.string());
    ASSERT_TRUE(static_cast<bool>(binary)) << llvm::toString(binary.takeError());
    auto* object = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(binary->getBinary());
    ASSERT_NE(object, nullptr);
    for (const llvm::object::ELFSymbolRef symbol : object->symbols()) {
      auto symbol_name = symbol.getName();
      if (!symbol_name || *symbol_name != name) continue;
      address = llvm::cantFail(symbol.getAddress());
      size = symbol.getSize();
      llvm::object::ELFSectionRef section = *llvm::cantFail(symbol.getSection());
      offset = address - section.getAddress() + section.getOffset();
      return;
    }
    FAIL() << "no symbol " << name;
  }

  static inline fs::path folder_;
  static inline fs::path binary_;
};

TEST_F(KnownBinary, FileOffsetsMapToLinkTimeAddresses) {
  BinarySymbolizer symbolizer(binary_.string());
  ASSERT_EQ(symbolizer.error(), "");
  EXPECT_TRUE(symbolizer.has_line_tables());
  uint64_t address = 0, size = 0, offset = 0;
  find_symbol("outer", address, size, offset);
  EXPECT_EQ(symbolizer.address_of_offset(offset), address);
  EXPECT_EQ(symbolizer.address_of_offset(0xfffffff0), std::nullopt);
}

TEST_F(KnownBinary, InlinedFramesNameTheCalleeAndTheCallSite) {
  BinarySymbolizer symbolizer(binary_.string());
  uint64_t address = 0, size = 0, offset = 0;
  find_symbol("outer", address, size, offset);
  ASSERT_GT(size, 0u);
  bool saw_inlined = false, saw_own_line = false;
  for (uint64_t a = address; a < address + size; ++a) {
    std::vector<Frame> frames = symbolizer.frames(a);
    if (frames.empty()) continue;
    EXPECT_EQ(frames.back().function, "outer");
    EXPECT_EQ(frames.back().start_line, 6u);
    if (frames.size() == 2) {
      saw_inlined = true;
      EXPECT_EQ(frames[0].function, "leaf");
      EXPECT_EQ(frames[0].start_line, 3u);
      EXPECT_EQ(frames[0].line, 4u);
      EXPECT_EQ(frames[1].line, 9u);  // the call site in outer
    } else if (frames.size() == 1) {
      saw_own_line = saw_own_line || (frames[0].line >= 6 && frames[0].line <= 10);
    }
  }
  EXPECT_TRUE(saw_inlined);
  EXPECT_TRUE(saw_own_line);
}

TEST_F(KnownBinary, SamplesOfTheBinaryBecomeANestedProfile) {
  uint64_t address = 0, size = 0, offset = 0;
  find_symbol("outer", address, size, offset);
  BinarySymbolizer symbolizer(binary_.string());
  // One sample on every byte of outer that has line information, as perf would count them.
  PerfSamples samples;
  uint64_t with_lines = 0;
  for (uint64_t i = 0; i < size; ++i)
    if (!symbolizer.frames(address + i).empty()) {
      samples.offsets["/somewhere/else/known"][offset + i] = 1;
      ++with_lines;
    }
  samples.offsets["/somewhere/else/other"][offset] = 100;  // another program's samples: not counted
  SampleProfile profile;
  Conversion conversion = convert(samples, {binary_.string()}, profile);
  ASSERT_EQ(conversion.error, "");
  ASSERT_EQ(conversion.binaries.size(), 1u);
  EXPECT_EQ(conversion.binaries[0].samples, with_lines);
  EXPECT_EQ(conversion.binaries[0].attributed, with_lines);
  ASSERT_EQ(profile.functions().count("outer"), 1u);
  const FunctionSamples& outer = profile.functions().at("outer");
  EXPECT_EQ(outer.total, with_lines);
  // leaf, inlined at line 9 of outer (offset 3 from line 6), with its line 4 (offset 1 from line 3).
  bool found = false;
  for (const auto& [location, callees] : outer.inlined)
    if (location.offset == 3 && callees.count("leaf")) {
      found = true;
      // leaf is one line long: all of its samples are at offset 1.
      ASSERT_FALSE(callees.at("leaf").body.empty());
      EXPECT_EQ(callees.at("leaf").body.begin()->first.offset, 1u);
      EXPECT_EQ(callees.at("leaf").body.rbegin()->first.offset, 1u);
    }
  EXPECT_TRUE(found) << profile.text();
}

TEST(Symbolize, RefusesAFileThatIsNotElf) {
  fs::path file = fs::temp_directory_path() / ("hone-sample-test-text-" + std::to_string(getpid()));
  std::ofstream(file) << "not a binary\n";
  BinarySymbolizer symbolizer(file.string());
  EXPECT_NE(symbolizer.error(), "");
  EXPECT_TRUE(symbolizer.frames(0x1000).empty());
  fs::remove(file);
}

}  // namespace
