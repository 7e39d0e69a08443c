// Checks the optimization-record reader on records that clang 19 writes at test time and on
// hand-written broken ones.
//
// Real records: a small C file with one loop per interesting outcome (vectorized, FP reduction,
// libcall, loop-carried dependence) is compiled with -fsave-optimization-record; the test knows where
// each loop starts, so kinds, pass names, locations, argument DebugLocs and messages are checked
// exactly. Hotness comes from a real instrumented run merged with llvm-profdata. Bitstream input is
// clang's YAML converted by llvm-remarkutil (clang 19 itself crashes writing bitstream for ELF), and
// must read back identical. The fast YAML path is compared with LLVM's own parser on the same files.
// Broken input: errors must name the file and line, and every good remark around them must survive.
#include <gtest/gtest.h>

#include "remark_reader.h"

#include <llvm/Support/Error.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace hone::vec {
namespace {

namespace fs = std::filesystem;

const std::string k_llvm_bin = HONE_TEST_LLVM_BIN_DIR;

// A file per outcome; every loop starts with `for` so the test can find its column.
constexpr const char* k_loops_c =
    "#include <math.h>\n"
    "double sum(const double* a, int n) { double s = 0; for (int i = 0; i < n; ++i) s += a[i]; return s; }\n"
    "void add(float* a, float* b, float* c, int n) { for (int i = 0; i < n; ++i) a[i] = b[i] + c[i]; }\n"
    "void roots(double* a, int n) { for (int i = 0; i < n; ++i) a[i] = sqrt(a[i]); }\n"
    "void chain(int* a, int n) { for (int i = 1; i < n; ++i) a[i] = a[i - 1] + 1; }\n";

// A complete, valid remark of 8 lines, for the hand-written inputs.
constexpr const char* k_good_remark = "--- !Missed\n"
                                      "Pass:            loop-vectorize\n"
                                      "Name:            MissedDetails\n"
                                      "DebugLoc:        { File: a.c, Line: 7, Column: 3 }\n"
                                      "Function:        f\n"
                                      "Args:\n"
                                      "  - String:          loop not vectorized\n"
                                      "...\n";

struct ReadResult {
  std::vector<Remark> remarks;
  RemarkFileSummary summary;
  std::string error;  // read_remark_file's llvm::Error, when the test allows one
};

void expect_same_remarks(const std::vector<Remark>& a, const std::vector<Remark>& b,
                         bool b_has_raw_yaml_values = false);

class RemarkReaderTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "hone-remark-reader-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

  // Runs a shell command in the temp folder; its output goes to a log shown on failure.
  void run(const std::string& command) const {
    std::string full = "cd '" + dir_.string() + "' && " + command + " > cmd.log 2>&1";
    int status = std::system(full.c_str());
    std::ifstream log(path("cmd.log"));
    std::stringstream text;
    text << log.rdbuf();
    ASSERT_EQ(status, 0) << command << "\n" << text.str();
  }

  // Compiles `source` (already written) with YAML optimization records into `record`.
  void compile_with_records(const std::string& source, const std::string& record, const std::string& extra = "") const {
    run(k_llvm_bin + "/clang -O2 -c " + source + " -o out.o -fsave-optimization-record -foptimization-record-file=" +
        record + " -gline-tables-only -gcolumn-info " + extra);
  }

  static ReadResult read(const std::string& file, YamlParsing parsing = YamlParsing::Fast, bool error_allowed = false) {
    ReadResult result;
    llvm::Expected<RemarkFileSummary> summary =
        read_remark_file(file, [&](Remark&& remark) { result.remarks.push_back(std::move(remark)); }, parsing);
    if (!summary) {
      result.error = llvm::toString(summary.takeError());
      if (!error_allowed) ADD_FAILURE() << result.error;
      return result;
    }
    result.summary = std::move(*summary);
    EXPECT_EQ(result.summary.remarks, result.remarks.size());
    return result;
  }

  // Reads `file` with the fast path and with LLVM's parser alone, expects both to hand out the same
  // remarks and errors (the reader's contract), and returns what the fast path read.
  static ReadResult read_alike(const std::string& file) {
    ReadResult fast = read(file, YamlParsing::Fast);
    ReadResult llvm_only = read(file, YamlParsing::LlvmOnly);
    expect_same_remarks(fast.remarks, llvm_only.remarks);
    EXPECT_EQ(fast.summary.errors, llvm_only.summary.errors);
    return fast;
  }

  static const Remark* find(const ReadResult& result, const std::string& pass, const std::string& name,
                            const std::string& function) {
    for (const Remark& remark : result.remarks)
      if (remark.pass == pass && remark.name == name && remark.function == function) return &remark;
    return nullptr;
  }

  fs::path dir_;
};

// llvm-remarkutil yaml2bitstream copies LLVM's raw YAML scalars, so its bitstream still holds the YAML
// escapes (`"\n"`, `'' inlined into ''`); clang's own bitstream would not. Undo them for comparison.
std::string undo_yaml_escapes(const std::string& raw) {
  std::string out;
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 2 < raw.size()) {
        ++i;
        out += raw[i] == 'n' ? '\n' : raw[i] == 't' ? '\t' : raw[i];
      } else {
        out += raw[i];
      }
    }
    return out;
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    out += raw[i];
    if (raw[i] == '\'' && i + 1 < raw.size() && raw[i + 1] == '\'') ++i;
  }
  return out;
}

void expect_same_remarks(const std::vector<Remark>& a, const std::vector<Remark>& b, bool b_has_raw_yaml_values) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("remark " + std::to_string(i) + ": " + a[i].pass + "/" + a[i].name);
    EXPECT_EQ(a[i].kind, b[i].kind);
    EXPECT_EQ(a[i].pass, b[i].pass);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].function, b[i].function);
    EXPECT_EQ(a[i].file, b[i].file);
    EXPECT_EQ(a[i].line, b[i].line);
    EXPECT_EQ(a[i].column, b[i].column);
    EXPECT_EQ(a[i].hotness, b[i].hotness);
    ASSERT_EQ(a[i].args.size(), b[i].args.size());
    for (size_t j = 0; j < a[i].args.size(); ++j) {
      EXPECT_EQ(a[i].args[j].key, b[i].args[j].key);
      EXPECT_EQ(a[i].args[j].value, b_has_raw_yaml_values ? undo_yaml_escapes(b[i].args[j].value) : b[i].args[j].value);
      EXPECT_EQ(a[i].args[j].file, b[i].args[j].file);
      EXPECT_EQ(a[i].args[j].line, b[i].args[j].line);
      EXPECT_EQ(a[i].args[j].column, b[i].args[j].column);
    }
  }
}

// The 1-based column of the first `for` on `line` (1-based) of k_loops_c.
unsigned loop_column(unsigned line) {
  std::istringstream text(k_loops_c);
  std::string current;
  for (unsigned i = 0; i < line; ++i) std::getline(text, current);
  return static_cast<unsigned>(current.find("for") + 1);
}

TEST_F(RemarkReaderTest, ReadsClangYamlRecordWithKindsPassesAndLocations) {
  compile_with_records(write("loops.c", k_loops_c), "loops.yaml");
  ReadResult result = read(path("loops.yaml"));
  EXPECT_TRUE(result.summary.errors.empty());
  ASSERT_GT(result.remarks.size(), 10u);

  const Remark* vectorized = find(result, "loop-vectorize", "Vectorized", "add");
  ASSERT_NE(vectorized, nullptr);
  EXPECT_EQ(vectorized->kind, RemarkKind::Passed);
  EXPECT_EQ(vectorized->file, "loops.c");
  EXPECT_EQ(vectorized->line, 3u);
  EXPECT_EQ(vectorized->column, loop_column(3));
  EXPECT_FALSE(vectorized->hotness.has_value());
  EXPECT_NE(vectorized->message().find("vectorized loop (vectorization width: "), std::string::npos);
  bool has_width = false;
  for (const RemarkArg& arg : vectorized->args)
    has_width |= arg.key == "VectorizationFactor" && !arg.value.empty() && arg.value != "1";
  EXPECT_TRUE(has_width);

  const Remark* reduction = find(result, "loop-vectorize", "CantReorderFPOps", "sum");
  ASSERT_NE(reduction, nullptr);
  EXPECT_EQ(reduction->kind, RemarkKind::AnalysisFPCommute);
  EXPECT_EQ(reduction->line, 2u);
  EXPECT_EQ(reduction->message(), "loop not vectorized: cannot prove it is safe to reorder floating-point operations");

  const Remark* missed = find(result, "loop-vectorize", "MissedDetails", "sum");
  ASSERT_NE(missed, nullptr);
  EXPECT_EQ(missed->kind, RemarkKind::Missed);
  EXPECT_EQ(missed->column, loop_column(2));
  EXPECT_EQ(missed->message(), "loop not vectorized");

  const Remark* libcall = find(result, "loop-vectorize", "CantVectorizeLibcall", "roots");
  ASSERT_NE(libcall, nullptr);
  EXPECT_EQ(libcall->kind, RemarkKind::Analysis);
  EXPECT_EQ(libcall->line, 4u);
  EXPECT_NE(libcall->message().find("-fno-math-errno"), std::string::npos);
}

TEST_F(RemarkReaderTest, ArgumentsKeepTheirDebugLocAndEscapes) {
  compile_with_records(write("loops.c", k_loops_c), "loops.yaml");
  ReadResult result = read(path("loops.yaml"));
  const Remark* dependence = find(result, "loop-vectorize", "UnsafeDep", "chain");
  ASSERT_NE(dependence, nullptr);
  EXPECT_EQ(dependence->kind, RemarkKind::Analysis);
  const RemarkArg* location = nullptr;
  for (const RemarkArg& arg : dependence->args)
    if (arg.key == "Location") location = &arg;
  ASSERT_NE(location, nullptr);
  EXPECT_EQ(location->file, "loops.c");
  EXPECT_EQ(location->line, 5u);
  EXPECT_GT(location->column, loop_column(5));
  EXPECT_EQ(location->value, "loops.c:5:" + std::to_string(location->column));
  // The writer double-quotes the line break; the reader hands out the real character.
  EXPECT_NE(dependence->message().find("\nBackward loop carried data dependence."), std::string::npos);

  // An inlining remark: `'add' inlined into ...` is written with doubled single quotes.
  const Remark* inlined = nullptr;
  for (const Remark& remark : result.remarks)
    if (remark.pass == "inline" && remark.name == "Inlined") inlined = &remark;
  if (inlined) {
    EXPECT_EQ(inlined->message().front(), '\'');
    EXPECT_EQ(inlined->message().find("''"), std::string::npos);
  }
  const Remark* no_definition = find(result, "inline", "NoDefinition", "roots");
  ASSERT_NE(no_definition, nullptr);
  ASSERT_FALSE(no_definition->args.empty());
  EXPECT_EQ(no_definition->args[0].key, "Callee");
  EXPECT_EQ(no_definition->args[0].value, "sqrt");
  EXPECT_FALSE(no_definition->args[0].file.empty());  // the declaration's header
}

TEST_F(RemarkReaderTest, FastPathMatchesLlvmParserOnRealRecords) {
  compile_with_records(write("loops.c", k_loops_c), "loops.yaml");
  write("shapes.cpp",
        "#include <vector>\n#include <cmath>\n"
        "struct Shape { virtual ~Shape() = default; virtual double area() const = 0; };\n"
        "double total(const std::vector<Shape*>& s) { double t = 0; for (auto* p : s) t += p->area(); return t; }\n"
        "void scale(std::vector<float>& v, float k) { for (float& x : v) x *= k; }\n"
        "float norm(const float* a, int n) { float s = 0; for (int i = 0; i < n; ++i) s += std::sqrt(a[i]); return s; "
        "}\n");
  run(k_llvm_bin + "/clang++ -std=c++17 -O2 -c shapes.cpp -o shapes.o -fsave-optimization-record "
                   "-foptimization-record-file=shapes.yaml -gline-tables-only -gcolumn-info");
  for (const char* file : {"loops.yaml", "shapes.yaml"}) {
    SCOPED_TRACE(file);
    ReadResult fast = read(path(file), YamlParsing::Fast);
    ReadResult llvm_only = read(path(file), YamlParsing::LlvmOnly);
    EXPECT_TRUE(fast.summary.errors.empty());
    EXPECT_TRUE(llvm_only.summary.errors.empty());
    expect_same_remarks(fast.remarks, llvm_only.remarks);
  }
  // C++ function names stay mangled, as in the record.
  ReadResult shapes = read(path("shapes.yaml"));
  bool mangled = false;
  for (const Remark& remark : shapes.remarks) mangled |= remark.function.rfind("_Z", 0) == 0;
  EXPECT_TRUE(mangled);
}

// The fast path must never read a damaged document differently from LLVM's parser: it either reads
// it the same way or leaves it to LLVM. Damaged copies of a real record (bytes replaced, deleted,
// inserted, the file cut) are read both ways; remarks and errors must match.
TEST_F(RemarkReaderTest, FastPathAgreesWithLlvmParserOnDamagedRecords) {
  compile_with_records(write("loops.c", k_loops_c), "loops.yaml");
  std::ifstream in(path("loops.yaml"), std::ios::binary);
  const std::string record((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(record.size(), 1000u);
  const std::string alphabet = " \n'\":{},-#!.\\x7Line: a...---";
  std::mt19937 random(20261125);
  auto below = [&](size_t n) { return static_cast<size_t>(random() % n); };
  for (int mutant = 0; mutant < 150; ++mutant) {
    std::string text = record;
    for (size_t edits = 1 + below(6); edits > 0; --edits) {
      size_t at = below(text.size());
      switch (below(3)) {
        case 0: text[at] = alphabet[below(alphabet.size())]; break;
        case 1: text.erase(at, 1 + below(20)); break;
        default: text.insert(at, 1 + below(4), alphabet[below(alphabet.size())]); break;
      }
    }
    if (below(5) == 0) text.resize(below(text.size()));
    SCOPED_TRACE("mutant " + std::to_string(mutant));
    std::string file = write("damaged.yaml", text);
    ReadResult fast = read(file, YamlParsing::Fast, /*error_allowed=*/true);
    ReadResult llvm_only = read(file, YamlParsing::LlvmOnly, /*error_allowed=*/true);
    expect_same_remarks(fast.remarks, llvm_only.remarks);
    EXPECT_EQ(fast.summary.errors, llvm_only.summary.errors);
    EXPECT_EQ(fast.error, llvm_only.error);
    if (HasFailure()) break;
  }
}

TEST_F(RemarkReaderTest, BitstreamReadsTheSameRemarksAsYaml) {
  compile_with_records(write("loops.c", k_loops_c), "loops.yaml");
  run(k_llvm_bin + "/llvm-remarkutil yaml2bitstream loops.yaml -o loops.opt.bitstream");
  ReadResult yaml = read(path("loops.yaml"));
  ReadResult bitstream = read(path("loops.opt.bitstream"));
  EXPECT_TRUE(bitstream.summary.errors.empty());
  expect_same_remarks(yaml.remarks, bitstream.remarks, /*b_has_raw_yaml_values=*/true);
}

TEST_F(RemarkReaderTest, CorruptBitstreamIsReportedNotThrown) {
  compile_with_records(write("loops.c", k_loops_c), "loops.yaml");
  run(k_llvm_bin + "/llvm-remarkutil yaml2bitstream loops.yaml -o full.bitstream");
  std::ifstream in(path("full.bitstream"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 200u);
  std::string cut = write("cut.bitstream", bytes.substr(0, bytes.size() * 2 / 3));
  size_t good = 0;
  llvm::Expected<RemarkFileSummary> summary = read_remark_file(cut, [&](Remark&&) { ++good; });
  ASSERT_FALSE(static_cast<bool>(summary));
  const std::string error = llvm::toString(summary.takeError());
  EXPECT_EQ(error.rfind(cut + ": corrupt or cut-short remark file after " + std::to_string(good), 0), 0u) << error;
  EXPECT_LT(good, read(path("full.bitstream")).remarks.size());
}

// The container LLVM puts in object-file sections: "REMARKS\0", version, string-table size, YAML.
TEST_F(RemarkReaderTest, ReadsTheRemarksMetadataContainer) {
  std::string text("REMARKS\0", 8);
  text += std::string(8, '\0');  // version 0, little endian
  text += std::string(8, '\0');  // no string table
  text += k_good_remark;
  ReadResult result = read(write("meta.remarks", text));
  EXPECT_TRUE(result.summary.errors.empty());
  ASSERT_EQ(result.remarks.size(), 1u);
  EXPECT_EQ(result.remarks[0].name, "MissedDetails");
  EXPECT_EQ(result.remarks[0].message(), "loop not vectorized");
}

TEST_F(RemarkReaderTest, HotnessFromARealProfile) {
  write("hot.c", "double sum(const double* a, int n) {\n"
                 "  double s = 0;\n"
                 "  for (int i = 0; i < n; ++i) s += a[i];\n"
                 "  return s;\n"
                 "}\n"
                 "double rare(const double* a, int n) {\n"
                 "  double s = 0;\n"
                 "  for (int i = 0; i < n; ++i) s += a[i] * a[i];\n"
                 "  return s;\n"
                 "}\n"
                 "int main(void) {\n"
                 "  static double x[1000];\n"
                 "  double t = rare(x, 10);\n"
                 "  for (int r = 0; r < 200; ++r) t += sum(x, 1000);\n"
                 "  return t > 1;\n"
                 "}\n");
  run(k_llvm_bin + "/clang -O2 -fprofile-instr-generate hot.c -o hot.instrumented");
  run("LLVM_PROFILE_FILE=hot.profraw ./hot.instrumented; test -s hot.profraw");
  run(k_llvm_bin + "/llvm-profdata merge -o hot.profdata hot.profraw");
  compile_with_records("hot.c", "hot.yaml", "-fprofile-instr-use=hot.profdata -fdiagnostics-show-hotness");
  ReadResult result = read(path("hot.yaml"));
  EXPECT_TRUE(result.summary.errors.empty());
  const Remark* hot = find(result, "loop-vectorize", "MissedDetails", "sum");
  const Remark* cold = find(result, "loop-vectorize", "MissedDetails", "rare");
  ASSERT_NE(hot, nullptr);
  ASSERT_NE(cold, nullptr);
  ASSERT_TRUE(hot->hotness.has_value());
  ASSERT_TRUE(cold->hotness.has_value());
  EXPECT_GT(*hot->hotness, 10000u);  // 200 calls x 1000 iterations
  EXPECT_GT(*hot->hotness, 100 * *cold->hotness);
  EXPECT_EQ(hot->line, 3u);
  expect_same_remarks(result.remarks, read(path("hot.yaml"), YamlParsing::LlvmOnly).remarks);
}

// Three good remarks around broken ones: each error names its line, every good remark is read.
TEST_F(RemarkReaderTest, MalformedDocumentsAreReportedByLineAndReadingContinues) {
  std::string text = std::string(k_good_remark) +  // lines 1-8
                     "--- !Missed\n"               // 9
                     "Pass:            loop-vectorize\n"
                     "Name:            MissedDetails\n"
                     "Colour:          blue\n"  // 12: unknown key
                     "Function:        f\n"
                     "...\n" +
                     k_good_remark +  // 15-22
                     "--- !Passed\n"  // 23
                     "Pass:            loop-vectorize\n"
                     "Name:            Vectorized\n"
                     "DebugLoc:        { File: 'a.c, Line: 9, Column: 3 }\n"  // 26: unterminated quote
                     "Function:        g\n"
                     "...\n" +
                     k_good_remark;  // 29-36
  for (YamlParsing parsing : {YamlParsing::Fast, YamlParsing::LlvmOnly}) {
    ReadResult result = read(write("broken.yaml", text), parsing);
    EXPECT_EQ(result.remarks.size(), 3u);
    ASSERT_EQ(result.summary.errors.size(), 2u);
    EXPECT_EQ(result.summary.errors[0].rfind(path("broken.yaml") + ":12: unknown key", 0), 0u)
        << result.summary.errors[0];
    EXPECT_EQ(result.summary.errors[1].rfind(path("broken.yaml") + ":2", 0), 0u) << result.summary.errors[1];
    for (const Remark& remark : result.remarks) {
      EXPECT_EQ(remark.function, "f");
      EXPECT_EQ(remark.line, 7u);
    }
  }
}

// A record whose last remark is not closed by `...` was cut short by its writer (a killed compile, a
// full disk): remarks are missing, so the whole file is an error naming the line of the open remark,
// whether the cut leaves a remark LLVM cannot parse or, cut at a line end, one it would accept.
TEST_F(RemarkReaderTest, CutShortRecordIsAnErrorNamingTheOpenRemark) {
  const std::string open_remark = "--- !Missed\n"  // line 17
                                  "Pass:            loop-vectorize\n"
                                  "Name:            MissedDetails\n";
  for (const std::string& tail :
       {open_remark + "DebugLoc:        { File: a.c, Line: 7, Col", open_remark + "Function:        f\n",
        std::string("--- !Mis"), std::string(k_good_remark).substr(0, std::strlen(k_good_remark) - 2)}) {
    for (YamlParsing parsing : {YamlParsing::Fast, YamlParsing::LlvmOnly}) {
      std::string file = write("cut.yaml", std::string(k_good_remark) + k_good_remark + tail);
      llvm::Expected<RemarkFileSummary> summary = read_remark_file(file, [](Remark&&) {}, parsing);
      ASSERT_FALSE(static_cast<bool>(summary)) << tail;
      const std::string error = llvm::toString(summary.takeError());
      EXPECT_EQ(error.rfind(file + ":17: the record is cut short", 0), 0u) << error;
    }
  }
  // Closed, with blank lines after it: complete.
  ReadResult complete = read(write("whole.yaml", std::string(k_good_remark) + k_good_remark + "\n\n"));
  EXPECT_EQ(complete.remarks.size(), 2u);
  EXPECT_TRUE(complete.summary.errors.empty());
}

// Found by the remark_reader fuzz target: bytes LLVM's YAML scanner does not accept (invalid UTF-8, a
// control character) were copied by the fast path into a remark LLVM's parser rejects, and a tab before
// a plain scalar, which LLVM skips as white space, was kept. The fast path now leaves every document
// with such bytes to LLVM, so both read the same remarks and errors.
TEST_F(RemarkReaderTest, FastPathLeavesNonAsciiBytesToLlvm) {
  for (const std::string& odd : {std::string("\xf6"), std::string("\x01"), std::string("caf\xc3\xa9"),
                                 std::string("\x7f"), std::string("a\rb"), std::string("\t  ")}) {
    std::string damaged = std::string(k_good_remark);
    damaged.replace(damaged.find("Function:        f"), 18, "Function:   " + odd + "     f");
    read_alike(write("odd.yaml", std::string(k_good_remark) + damaged + k_good_remark));
  }
}

// Found by the remark_reader fuzz target: a quoted scalar that runs on across a `---` line. The
// document splitter (like YAML) starts a new document there; LLVM's scanner, given a whole batch, read
// on and merged the two, so the reference path handed out a remark the fast path did not. Both now
// read the documents as split.
TEST_F(RemarkReaderTest, QuotedScalarAcrossADocumentMarkerIsReadAlikeByBothPaths) {
  std::string text = "--- !Analysis\nPass: p\nName: n\nFunction: g\nArgs:\n  - String: ' stack bytes\n"
                     "--- in function '\n...\n" +
                     std::string(k_good_remark);
  ReadResult fast = read_alike(write("dashes.yaml", text));
  EXPECT_EQ(fast.remarks.size(), 1u);
}

// Found by the remark_reader fuzz target: `Args:` with no items. LLVM's parser rejects it ("wrong value
// type for key"); the fast path read it as a remark without arguments. It is now left to LLVM.
TEST_F(RemarkReaderTest, EmptyArgsIsReadAlikeByBothPaths) {
  std::string text = std::string(k_good_remark) +
                     "--- !Analysis\nPass:            prologepilog\nName:            StackSize\n"
                     "DebugLoc:        { File: a.c, Line: 1, Column: 0 }\nFunction:        g\nArgs:\n...\n" +
                     k_good_remark;
  ReadResult fast = read_alike(write("empty-args.yaml", text));
  EXPECT_EQ(fast.remarks.size(), 2u);
  ASSERT_EQ(fast.summary.errors.size(), 1u);
  EXPECT_NE(fast.summary.errors[0].find("wrong value type for key"), std::string::npos) << fast.summary.errors[0];
}

// Found by the remark_reader fuzz target: LLVM's writer writes a 64-bit hotness, LLVM 19's YAML parser
// rejects 4294967295 and above. Both paths now read it, with and without a byte that sends the document
// to LLVM (a tab), and with an empty pass as well (two patches in one document).
TEST_F(RemarkReaderTest, HotnessBeyond32BitsIsReadByBothPaths) {
  const std::string hot = "--- !Missed\nPass:            loop-vectorize\nName:            MissedDetails\n"
                          "DebugLoc:        { File: a.c, Line: 7, Column: 3 }\nFunction:        f\n"
                          "Hotness:         12345678901\nArgs:\n  - String:          loop not vectorized\n...\n";
  std::string tabbed = hot;
  tabbed.replace(tabbed.find("Function:        f"), 18, "Function:\tf");
  std::string no_pass = tabbed;
  no_pass.replace(no_pass.find("loop-vectorize"), 14, "''");
  // The key twice (the fuzz target's second finding): the last value counts, in both parsers.
  std::string twice = hot;
  twice.replace(twice.find("Hotness:"), 0, "Hotness:         99999999999\n");
  for (const std::string& document : {hot, tabbed, no_pass, twice}) {
    std::string file = write("hot.yaml", std::string(k_good_remark) + document + k_good_remark);
    for (YamlParsing parsing : {YamlParsing::Fast, YamlParsing::LlvmOnly}) {
      ReadResult result = read(file, parsing);
      EXPECT_TRUE(result.summary.errors.empty()) << (result.summary.errors.empty() ? "" : result.summary.errors[0]);
      ASSERT_EQ(result.remarks.size(), 3u);
      EXPECT_EQ(result.remarks[1].hotness, std::optional<uint64_t>(12345678901u));
      EXPECT_EQ(result.remarks[1].function, "f");
    }
  }
  // LLVM still words the error for a number that does not fit 64 bits.
  std::string huge = hot;
  huge.replace(huge.find("12345678901"), 11, "123456789012345678901234");
  ReadResult fast = read_alike(write("huge.yaml", huge));
  ASSERT_EQ(fast.summary.errors.size(), 1u);
  EXPECT_NE(fast.summary.errors[0].find("expected a value of integer type"), std::string::npos);
}

// A malformed remark in the middle is reported and skipped; the record is still complete.
TEST_F(RemarkReaderTest, MalformedMiddleRemarkIsReportedAndTheRestKept) {
  std::string text = std::string(k_good_remark) +
                     "--- !Missed\n"  // 9
                     "Pass:            loop-vectorize\n"
                     "DebugLoc:        { File: a.c, Line: 7, Col\n" +
                     k_good_remark;
  ReadResult result = read(write("middle.yaml", text));
  EXPECT_EQ(result.remarks.size(), 2u);
  ASSERT_EQ(result.summary.errors.size(), 1u);
  EXPECT_EQ(result.summary.errors[0].rfind(path("middle.yaml") + ":", 0), 0u) << result.summary.errors[0];
}

TEST_F(RemarkReaderTest, EmptyAndBlankFilesHaveNoRemarksAndNoErrors) {
  for (const char* text : {"", "\n\n", "# nothing here\n"}) {
    ReadResult result = read(write("empty.yaml", text));
    EXPECT_TRUE(result.remarks.empty());
    EXPECT_TRUE(result.summary.errors.empty());
  }
}

TEST_F(RemarkReaderTest, GarbageIsAnErrorNotARemark) {
  ReadResult result = read(write("garbage.yaml", "this is: not\n  - a remark: [\n"));
  EXPECT_TRUE(result.remarks.empty());
  ASSERT_EQ(result.summary.errors.size(), 1u);
  EXPECT_EQ(result.summary.errors[0].rfind(path("garbage.yaml") + ":", 0), 0u);
}

TEST_F(RemarkReaderTest, UnreadableFileIsAnError) {
  llvm::Expected<RemarkFileSummary> missing = read_remark_file(path("no-such.yaml"), [](Remark&&) {});
  ASSERT_FALSE(static_cast<bool>(missing));
  std::string message = llvm::toString(missing.takeError());
  EXPECT_NE(message.find("no-such.yaml"), std::string::npos) << message;

  llvm::Expected<RemarkFileSummary> directory = read_remark_file(dir_.string(), [](Remark&&) {});
  ASSERT_FALSE(static_cast<bool>(directory));
  llvm::consumeError(directory.takeError());
}

TEST_F(RemarkReaderTest, EmptyPassFieldIsAccepted) {
  std::string text = std::string(k_good_remark) + "--- !Analysis\n"
                                                  "Pass:            ''\n"
                                                  "Name:            SomeAnalysis\n"
                                                  "Function:        h\n"
                                                  "Args:\n"
                                                  "  - String:          'no pass name'\n"
                                                  "...\n";
  for (YamlParsing parsing : {YamlParsing::Fast, YamlParsing::LlvmOnly}) {
    ReadResult result = read(write("empty-pass.yaml", text), parsing);
    EXPECT_TRUE(result.summary.errors.empty());
    ASSERT_EQ(result.remarks.size(), 2u);
    EXPECT_EQ(result.remarks[1].pass, "");
    EXPECT_EQ(result.remarks[1].name, "SomeAnalysis");
    EXPECT_EQ(result.remarks[1].kind, RemarkKind::Analysis);
    EXPECT_TRUE(result.remarks[1].file.empty());
    EXPECT_EQ(result.remarks[1].message(), "no pass name");
  }
}

TEST_F(RemarkReaderTest, AllTagsMapToTheirKinds) {
  const std::pair<const char*, RemarkKind> tags[] = {{"Passed", RemarkKind::Passed},
                                                     {"Missed", RemarkKind::Missed},
                                                     {"Analysis", RemarkKind::Analysis},
                                                     {"AnalysisFPCommute", RemarkKind::AnalysisFPCommute},
                                                     {"AnalysisAliasing", RemarkKind::AnalysisAliasing},
                                                     {"Failure", RemarkKind::Failure}};
  std::string text;
  for (const auto& [tag, kind] : tags)
    text += std::string("--- !") + tag + "\nPass: p\nName: n\nFunction: f\nHotness: 5000000000\n...\n";
  text += "--- !Surprise\nPass: p\nName: n\nFunction: f\n...\n";  // unknown tag: an error
  ReadResult result = read(write("tags.yaml", text));
  ASSERT_EQ(result.remarks.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(result.remarks[i].kind, tags[i].second);
    EXPECT_EQ(result.remarks[i].hotness.value_or(0), 5000000000u);
  }
  ASSERT_EQ(result.summary.errors.size(), 1u);
  // LLVM points at the mapping under the tag, one line below the `--- !Surprise` line.
  EXPECT_EQ(result.summary.errors[0].rfind(path("tags.yaml") + ":38: expected a remark tag", 0), 0u)
      << result.summary.errors[0];
  EXPECT_STREQ(remark_kind_name(RemarkKind::AnalysisFPCommute), "analysis-fp-commute");
}

// More than one read block (1 MiB): documents straddle the block boundary, and an error far into the
// file still names its exact line.
TEST_F(RemarkReaderTest, StreamsAcrossBlocksAndKeepsLineNumbers) {
  std::string text;
  const unsigned copies = 12000;  // 8 lines and ~230 bytes each: ~2.7 MB
  for (unsigned i = 0; i < copies; ++i) text += k_good_remark;
  unsigned bad_line = copies * 8 + 1 + 3;
  text += "--- !Missed\nPass: p\nName: n\nUnknownKey: 1\nFunction: f\n...\n";
  text += k_good_remark;
  ASSERT_GT(text.size(), size_t{2} << 20);
  ReadResult result = read(write("large.yaml", text));
  EXPECT_EQ(result.remarks.size(), copies + 1);
  ASSERT_EQ(result.summary.errors.size(), 1u);
  EXPECT_EQ(result.summary.errors[0].rfind(path("large.yaml") + ":" + std::to_string(bad_line) + ":", 0), 0u)
      << result.summary.errors[0];
}

TEST_F(RemarkReaderTest, QuotedValuesAreUnescaped) {
  std::string text = "--- !Analysis\n"
                     "Pass:            'loop-vectorize'\n"
                     "Name:            N\n"
                     "Function:        f\n"
                     "Args:\n"
                     "  - String:          'it''s '\n"
                     "  - String:          \"tab\\there\\nnext \\\"q\\\" \\x41\"\n"
                     "  - Callee:          plain value\n"
                     "    DebugLoc:        { File: '/some dir/it''s.h', \n"
                     "                       Line: 12, Column: 4 }\n"
                     "...\n";
  for (YamlParsing parsing : {YamlParsing::Fast, YamlParsing::LlvmOnly}) {
    ReadResult result = read(write("quoted.yaml", text), parsing);
    ASSERT_EQ(result.remarks.size(), 1u);
    const Remark& remark = result.remarks[0];
    EXPECT_EQ(remark.pass, "loop-vectorize");
    EXPECT_EQ(remark.message(), "it's tab\there\nnext \"q\" Aplain value");
    EXPECT_EQ(remark.args[2].file, "/some dir/it's.h");
    EXPECT_EQ(remark.args[2].line, 12u);
    EXPECT_EQ(remark.args[2].column, 4u);
  }
}

}  // namespace
}  // namespace hone::vec
