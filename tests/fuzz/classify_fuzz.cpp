// Fuzz target: the wrapper's classification of a compiler command line (driver/wrapper/classify.h) and
// the `@file` expansion it uses (support/response_files.h), the code every compile runs through.
//
// Input layout, so that seeds stay readable: the bytes are split at NUL bytes; part 0 is the text of
// the response file `a.rsp`, part 1 that of `b.rsp` (both in the scratch folder, which is the working
// directory), and every further part is one argument. Without argument parts the command line is
// `-c @a.rsp`, so a plain text input is a response file. The files may name each other or themselves.
//
// Properties beyond "no crash, no sanitizer report": the expansion finishes (libFuzzer's -timeout and
// -rss_limit_mb catch the exponential self-inclusion of issue 11 item 7), arguments without '@' come
// back unchanged, and classify() puts only real arguments into sources, objects and output.
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "driver/wrapper/classify.h"
#include "support/response_files.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

void check_classification(const hone::wrapper::Classification& call, const std::vector<std::string>& expanded) {
  auto named = [&](const std::string& value) {
    return value == "-" || std::find(expanded.begin(), expanded.end(), value) != expanded.end() ||
           std::any_of(expanded.begin(), expanded.end(),
                       [&](const std::string& argument) { return argument.find(value) != std::string::npos; });
  };
  for (const std::string& source : call.sources)
    if (!named(source)) hone::fuzz::property_failed("a source that is in no argument");
  for (const std::string& object : call.objects)
    if (!named(object)) hone::fuzz::property_failed("an object that is in no argument");
  if (!call.output.empty() && !named(call.output)) hone::fuzz::property_failed("an output that is in no argument");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (chdir(hone::fuzz::scratch().c_str()) != 0) hone::fuzz::property_failed("cannot enter the scratch folder");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> parts = hone::fuzz::split_at_nul(hone::fuzz::as_text(data, size));
  hone::fuzz::write_file("a.rsp", parts[0]);
  hone::fuzz::write_file("b.rsp", parts.size() > 1 ? parts[1] : "");
  std::vector<std::string> arguments(parts.begin() + std::min<size_t>(2, parts.size()), parts.end());
  if (arguments.empty()) arguments = {"-c", "@a.rsp"};

  bool error = false;
  std::vector<std::string> expanded = hone::support::expand_response_files(arguments, error);
  const bool has_file_argument = std::any_of(arguments.begin(), arguments.end(), [](const std::string& argument) {
    return argument.size() >= 2 && argument[0] == '@';
  });
  if (!has_file_argument && (expanded != arguments || error))
    hone::fuzz::property_failed("arguments without @file changed by the expansion");

  hone::wrapper::Classification call = hone::wrapper::classify(arguments);
  (void)hone::wrapper::to_string(call.kind);
  check_classification(call, expanded);
  (void)hone::support::split_response_text(parts[0]);
  return 0;
}
