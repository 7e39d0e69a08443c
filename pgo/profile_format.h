// Just enough of LLVM's profile file formats to recognise them and check them before llvm-profdata
// sees them: the 8-byte magic of raw (.profraw) and indexed (.profdata) profiles, and the raw format
// version, which changes between LLVM releases. The layout is LLVM's documented on-disk format
// (llvm/ProfileData/InstrProfData.inc), little-endian on the platforms hone supports.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace hone::pgo {

enum class ProfileFileKind { raw, indexed, unknown };

struct RawProfileHeader {
  bool valid = false;
  std::string problem;    // why it is not valid
  uint64_t version = 0;   // format version without the variant flags (LLVM 19 writes 10)
  bool ir_level = false;  // written by -fprofile-generate (IR) rather than -fprofile-instr-generate
};

ProfileFileKind profile_file_kind(const std::filesystem::path& file);
RawProfileHeader read_raw_profile_header(const std::filesystem::path& file);

}  // namespace hone::pgo
