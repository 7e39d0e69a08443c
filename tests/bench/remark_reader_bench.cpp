// Throughput and memory of hone vec's optimization-record reader on a large YAML remark set.
//
// The input is real: a C file with a mix of loops is compiled by clang 19 with
// -fsave-optimization-record, and its YAML record is replicated with shifted line numbers (so no two
// remarks are identical) into a temporary file of --size-mb megabytes (default 4, what ctest's smoke
// run uses; run with --size-mb=256 for the figures in docs/vec.md). The file is written in pieces and
// deleted at exit. Two readings of the same file are timed side by side:
//   BM_ReadRemarks/fast      the reader as `hone vec` uses it (target: >= 100 MB/s)
//   BM_ReadRemarks/llvm_only every document through LLVM's own YAML remark parser (the baseline)
// Each reports bytes_per_second, remarks, and peak_rss_mb (getrusage: the process's peak resident set
// after reading, which stays flat as --size-mb grows because the reader streams).
#include "remark_reader.h"

#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

constexpr const char* k_source =
    "#include <math.h>\n"
    "#include <string.h>\n"
    "double sum(const double* a, int n) { double s = 0; for (int i = 0; i < n; ++i) s += a[i]; return s; }\n"
    "void add(float* a, float* b, float* c, int n) { for (int i = 0; i < n; ++i) a[i] = b[i] + c[i]; }\n"
    "void roots(double* a, int n) { for (int i = 0; i < n; ++i) a[i] = sqrt(a[i]); }\n"
    "void chain(int* a, int n) { for (int i = 1; i < n; ++i) a[i] = a[i - 1] + 1; }\n"
    "int find(const int* a, int n, int k) { for (int i = 0; i < n; ++i) if (a[i] == k) return i; return -1; }\n"
    "void odd(int* a, int n) { for (int i = 0; i < n; ++i) { if (i % 2) a[i] = 0; else a[i] *= 3; } }\n"
    "void copy(char* d, const char* s, int n) { for (int i = 0; i < n; ++i) d[i] = s[i]; memset(d, 0, 4); }\n"
    "int main(void) { static double x[64]; static float f[64]; add(f, f, f, 64); roots(x, 64);\n"
    "  return (int)sum(x, 64); }\n";

size_t g_size_mb = 4;
fs::path g_dir;
std::string g_file;
size_t g_file_bytes = 0;

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

// Adds `shift` to every `Line: N` so that the copies differ the way a many-file project's do.
std::string shifted_copy(const std::string& record, unsigned shift) {
  std::string out;
  out.reserve(record.size() + 64);
  size_t at = 0;
  for (;;) {
    size_t key = record.find("Line: ", at);
    if (key == std::string::npos) break;
    size_t digits = key + 6;
    size_t end = digits;
    while (end < record.size() && record[end] >= '0' && record[end] <= '9') ++end;
    out.append(record, at, digits - at);
    out += std::to_string(std::strtoul(record.c_str() + digits, nullptr, 10) + shift);
    at = end;
  }
  out.append(record, at, std::string::npos);
  return out;
}

// Compiles k_source with clang 19 and writes g_size_mb MB of its record; false (with a message) on
// failure.
bool make_input() {
  std::string pattern = (fs::temp_directory_path() / "hone-remark-bench-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    std::perror("hone: error: mkdtemp");
    return false;
  }
  g_dir = pattern;
  std::ofstream(g_dir / "loops.c") << k_source;
  std::string command = "cd '" + g_dir.string() +
                        "' && '" HONE_BENCH_LLVM_BIN_DIR "/clang' -O2 -c loops.c -o loops.o -fsave-optimization-record "
                        "-foptimization-record-file=loops.yaml -gline-tables-only -gcolumn-info";
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "hone: error: clang 19 could not produce the remark record: %s\n", command.c_str());
    return false;
  }
  std::stringstream record;
  record << std::ifstream(g_dir / "loops.yaml").rdbuf();
  g_file = (g_dir / "large.opt.yaml").string();
  std::ofstream out(g_file, std::ios::binary);
  size_t target = g_size_mb << 20;
  for (unsigned copy = 0; g_file_bytes < target; ++copy) {
    std::string text = shifted_copy(record.str(), copy);
    out << text;
    g_file_bytes += text.size();
  }
  return static_cast<bool>(out.flush());
}

void read_remarks(benchmark::State& state, hone::vec::YamlParsing parsing) {
  size_t remarks = 0;
  for (auto _ : state) {
    remarks = 0;
    llvm::Expected<hone::vec::RemarkFileSummary> summary = hone::vec::read_remark_file(
        g_file,
        [&](hone::vec::Remark&& remark) {
          benchmark::DoNotOptimize(remark.args.data());
          ++remarks;
        },
        parsing);
    if (!summary) {
      state.SkipWithError(llvm::toString(summary.takeError()).c_str());
      return;
    }
    if (!summary->errors.empty()) {
      state.SkipWithError(summary->errors.front().c_str());
      return;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * g_file_bytes));
  state.counters["remarks"] = static_cast<double>(remarks);
  state.counters["file_mb"] = static_cast<double>(g_file_bytes) / (1 << 20);
  state.counters["peak_rss_mb"] = peak_rss_mb();
}

void BM_ReadRemarks_fast(benchmark::State& state) {
  read_remarks(state, hone::vec::YamlParsing::Fast);
}
void BM_ReadRemarks_llvm_only(benchmark::State& state) {
  read_remarks(state, hone::vec::YamlParsing::LlvmOnly);
}
// Whole seconds per reading at the real sizes: one iteration each, repeated and interleaved by
// --benchmark_repetitions.
BENCHMARK(BM_ReadRemarks_fast)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadRemarks_llvm_only)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  // Our own flag first; Google Benchmark rejects flags it does not know.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--size-mb=", 10) == 0)
      g_size_mb = std::strtoul(argv[i] + 10, nullptr, 10);
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (g_size_mb == 0) {
    std::fprintf(stderr, "hone: error: --size-mb must be a positive number of megabytes\n");
    return 2;
  }
  int status = 1;
  if (make_input()) {
    std::fprintf(stderr, "remark set: %s, %.1f MB, peak RSS before reading %.1f MB\n", g_file.c_str(),
                 static_cast<double>(g_file_bytes) / (1 << 20), peak_rss_mb());
    benchmark::RunSpecifiedBenchmarks();
    status = 0;
  }
  benchmark::Shutdown();
  std::error_code ignored;
  fs::remove_all(g_dir, ignored);
  return status;
}
