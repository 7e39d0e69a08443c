// Fuzz target: the optimization-record reader (analyzers/vectorize/remark_reader.h), YAML, bitstream
// and the REMARKS metadata container, detected from the content as `hone vec` reads them.
//
// The input is the record file's bytes. Properties: no crash, no sanitizer report, no exception; the
// summary counts exactly the remarks handed out; and the two YAML paths agree (the reader's own
// contract: the fast path reads a document exactly as LLVM's parser does, or leaves it to LLVM), in
// whether the file as a whole is an error (cut short), and when it is not, in remarks and per-document
// errors (the remarks handed out before a whole-file error are discarded by contract).
#include <cstdio>
#include <string>
#include <vector>

#include "remark_reader.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

struct Outcome {
  std::vector<hone::vec::Remark> remarks;
  std::vector<std::string> errors;
  std::string file_error;  // the llvm::Error's text, "" when the file was read
};

Outcome read(const std::string& path, hone::vec::YamlParsing parsing) {
  Outcome outcome;
  llvm::Expected<hone::vec::RemarkFileSummary> summary = hone::vec::read_remark_file(
      path, [&](hone::vec::Remark&& remark) { outcome.remarks.push_back(std::move(remark)); }, parsing);
  if (!summary) {
    outcome.file_error = llvm::toString(summary.takeError());
    if (outcome.file_error.empty()) hone::fuzz::property_failed("a file error without a message");
    return outcome;
  }
  if (summary->remarks != outcome.remarks.size())
    hone::fuzz::property_failed("the summary's remark count differs from the remarks handed out");
  outcome.errors = std::move(summary->errors);
  return outcome;
}

bool same_remark(const hone::vec::Remark& a, const hone::vec::Remark& b) {
  if (a.kind != b.kind || a.pass != b.pass || a.name != b.name || a.function != b.function || a.file != b.file ||
      a.line != b.line || a.column != b.column || a.hotness != b.hotness || a.args.size() != b.args.size())
    return false;
  for (size_t i = 0; i < a.args.size(); ++i) {
    const hone::vec::RemarkArg &x = a.args[i], &y = b.args[i];
    if (x.key != y.key || x.value != y.value || x.file != y.file || x.line != y.line || x.column != y.column)
      return false;
  }
  return true;
}

// What one path read, for the report of a failed property.
void print(const char* path, const Outcome& outcome) {
  for (const hone::vec::Remark& remark : outcome.remarks) {
    std::fprintf(stderr, "%s: remark %s/%s in '%s' at %s:%u:%u, %zu args:", path, remark.pass.c_str(),
                 remark.name.c_str(), remark.function.c_str(), remark.file.c_str(), remark.line, remark.column,
                 remark.args.size());
    for (const hone::vec::RemarkArg& arg : remark.args)
      std::fprintf(stderr, " [%s=%s]", arg.key.c_str(), arg.value.c_str());
    std::fprintf(stderr, "\n");
  }
  for (const std::string& error : outcome.errors) std::fprintf(stderr, "%s: error %s\n", path, error.c_str());
  if (!outcome.file_error.empty()) std::fprintf(stderr, "%s: file error %s\n", path, outcome.file_error.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = (hone::fuzz::scratch() / "record.opt.yaml").string();
  hone::fuzz::write_file(path, hone::fuzz::as_text(data, size));
  Outcome fast = read(path, hone::vec::YamlParsing::Fast);
  Outcome reference = read(path, hone::vec::YamlParsing::LlvmOnly);
  if (fast.file_error != reference.file_error)
    hone::fuzz::property_failed("the fast path and LLVM's parser disagree on the file as a whole");
  // A file that is an error as a whole: the remarks handed out before it are discarded by contract.
  if (!fast.file_error.empty()) return 0;
  if (fast.errors != reference.errors) {
    print("fast", fast);
    print("llvm", reference);
    hone::fuzz::property_failed("the fast path and LLVM's parser report different errors");
  }
  if (fast.remarks.size() != reference.remarks.size()) {
    print("fast", fast);
    print("llvm", reference);
    hone::fuzz::property_failed("the fast path and LLVM's parser read a different number of remarks");
  }
  for (size_t i = 0; i < fast.remarks.size(); ++i)
    if (!same_remark(fast.remarks[i], reference.remarks[i])) {
      print("fast", fast);
      print("llvm", reference);
      hone::fuzz::property_failed("the fast path reads a remark differently from LLVM's parser");
    }
  return 0;
}
