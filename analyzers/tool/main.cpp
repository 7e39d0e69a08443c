// hone-analyze: the analyzer executable behind `hone layout` and `hone vec`.
//
// `hone layout ARGS` execs `hone-analyze layout ARGS`. This file holds only the table of analyzers
// and the dispatch; each analyzer parses its own options in its entry point, which receives the
// arguments after its name and returns the process exit code.
#include "layout_main.h"
#include "unit_worker.h"
#include "vec_main.h"

#include <llvm/Support/InitLLVM.h>
#include <llvm/Support/raw_ostream.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

struct AnalyzerEntry {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

// One row per analyzer.
constexpr AnalyzerEntry k_analyzers[] = {
    {"layout", "struct layout: padding, holes, the optimal field order", hone::layout::layout_main},
    {"vec", "loops not vectorized: why, and a fix hone has verified", hone::vec::vec_main},
    // Internal, not listed: the one-pass child `hone vec` runs per TU (analyzers/vectorize/unit_worker.h).
    {"vec-unit", nullptr, hone::vec::unit_worker_main},
};

void print_usage(llvm::raw_ostream& out) {
  out << "usage: hone-analyze <analyzer> [options] [files...] [-- compiler flags]\n\nanalyzers:\n";
  for (const AnalyzerEntry& entry : k_analyzers)
    if (entry.summary)
      out << "  " << entry.name << std::string(10 - std::strlen(entry.name), ' ') << entry.summary << '\n';
  out << "\nRun 'hone-analyze <analyzer> --help' for its options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  llvm::InitLLVM init(argc, argv);
  if (argc < 2) {
    print_usage(llvm::errs());
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h") {
    print_usage(llvm::outs());
    return 0;
  }
  for (const AnalyzerEntry& entry : k_analyzers) {
    if (name == entry.name) return entry.run(std::vector<std::string>(argv + 2, argv + argc));
  }
  llvm::errs() << "hone: error: unknown analyzer '" << name << "'\n";
  print_usage(llvm::errs());
  return 2;
}
