// Raw and indexed profile magic numbers and the raw header's version word (see profile_format.h).
#include "pgo/profile_format.h"

#include <fstream>

namespace hone::pgo {

namespace {

// 0xff 'l' 'p' 'r' 'o' 'f' 'r' 0x81 and 0xff 'l' 'p' 'r' 'o' 'f' 'i' 0x81, as 64-bit numbers.
constexpr uint64_t k_raw_magic = 0xff6c70726f667281ULL;
constexpr uint64_t k_indexed_magic = 0x8169666f72706cffULL;
constexpr uint64_t k_variant_ir_bit = 1ULL << 56;
constexpr uint64_t k_version_mask = 0x00ffffffffffffffULL;
constexpr uint64_t k_header_size = 8 * 16;  // the smallest raw header any LLVM release writes

bool read_word(std::ifstream& in, uint64_t& word) {
  unsigned char bytes[8];
  if (!in.read(reinterpret_cast<char*>(bytes), 8)) return false;
  word = 0;
  for (int i = 7; i >= 0; --i) word = (word << 8) | bytes[i];
  return true;
}

}  // namespace

ProfileFileKind profile_file_kind(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  uint64_t magic = 0;
  if (!read_word(in, magic)) return ProfileFileKind::unknown;
  if (magic == k_raw_magic) return ProfileFileKind::raw;
  if (magic == k_indexed_magic) return ProfileFileKind::indexed;
  return ProfileFileKind::unknown;
}

RawProfileHeader read_raw_profile_header(const std::filesystem::path& file) {
  RawProfileHeader header;
  std::ifstream in(file, std::ios::binary);
  uint64_t magic = 0, version = 0;
  if (!in) {
    header.problem = "it cannot be read";
    return header;
  }
  if (!read_word(in, magic) || !read_word(in, version)) {
    header.problem = "it is shorter than a profile header";
    return header;
  }
  if (magic != k_raw_magic) {
    header.problem = "it does not start with the raw profile magic number";
    return header;
  }
  std::error_code error;
  if (std::filesystem::file_size(file, error) < k_header_size) {
    header.problem = "it is shorter than a profile header";
    return header;
  }
  header.version = version & k_version_mask & 0xffffffffULL;
  header.ir_level = (version & k_variant_ir_bit) != 0;
  header.valid = true;
  return header;
}

}  // namespace hone::pgo
