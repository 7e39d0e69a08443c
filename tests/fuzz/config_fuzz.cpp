// Fuzz target: hone.yaml (pgo/config.h), read from a file as `hone pgo` reads it.
//
// The input is the file's text. load_config's contract is that every problem with the file is a
// PgoError carrying "FILE:LINE:COL: message" (exit 2); any other exception escaping it (yaml-cpp's,
// nlohmann's, std::filesystem's) would reach hone-pgo's "internal error" path, so it is a finding here:
// the harness catches only PgoError and lets libFuzzer report everything else. Seeds include the
// hone.yaml cases of issue 11 (duplicate keys, a second document, unknown placeholders, workload names
// '.' and '..', hostile work_dir values).
#include <string>

#include "pgo/config.h"
#include "pgo/error.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path file = hone::fuzz::scratch() / "hone.yaml";
  hone::fuzz::write_file(file, hone::fuzz::as_text(data, size));
  try {
    hone::pgo::Config config = hone::pgo::load_config(file);
    (void)hone::pgo::unsafe_work_dir_reason(config);
    (void)hone::pgo::to_string(config.pgo_kind);
    (void)hone::pgo::to_string(config.lto);
  } catch (const hone::pgo::PgoError& error) {
    if (error.exit_code() != hone::pgo::k_exit_bad_input)
      hone::fuzz::property_failed("a hone.yaml problem that is not 'bad input' (exit 2)");
  }
  return 0;
}
