// Fuzz target: a stage manifest (pgo/manifest.h), .hone/<stage>/manifest.json.
//
// The input is the file's text. Properties: read_manifest never throws and never crashes (issue 11
// item 11: a field of the wrong type made every `hone pgo` command fail with "internal error"); a
// manifest it accepts has the types the stages rely on (every output hash a string); and an accepted
// manifest survives a round trip through write_manifest and read_manifest unchanged.
#include <filesystem>
#include <string>

#include "pgo/error.h"
#include "pgo/manifest.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

bool same(const hone::pgo::Manifest& a, const hone::pgo::Manifest& b) {
  return a.stage == b.stage && a.input_key == b.input_key && a.inputs == b.inputs && a.commands == b.commands &&
         a.outputs == b.outputs && a.facts == b.facts && a.seconds == b.seconds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  const fs::path stage = hone::fuzz::scratch() / "stage";
  const fs::path copy = hone::fuzz::scratch() / "copy";
  std::error_code ignored;
  fs::create_directory(stage, ignored);
  fs::create_directory(copy, ignored);
  hone::fuzz::write_file(hone::pgo::manifest_path(stage), hone::fuzz::as_text(data, size));

  std::optional<hone::pgo::Manifest> manifest = hone::pgo::read_manifest(stage);
  if (!manifest) return 0;
  if (!manifest->outputs.is_object() || !manifest->commands.is_array() || !manifest->inputs.is_object() ||
      !manifest->facts.is_object())
    hone::fuzz::property_failed("an accepted manifest with a field of the wrong type");
  for (const auto& [path, hash] : manifest->outputs.items())
    if (!hash.is_string()) hone::fuzz::property_failed("an accepted manifest with an output hash that is not a string");

  hone::pgo::write_manifest(copy, *manifest);
  std::optional<hone::pgo::Manifest> again = hone::pgo::read_manifest(copy);
  if (!again || !same(*manifest, *again))
    hone::fuzz::property_failed("a manifest does not survive write_manifest + read_manifest");
  return 0;
}
