// A binary's DWARF, asked what source locations an address stands for. Two steps: a file offset (what
// perf_script.h counts) becomes the link-time address through the ELF program headers (the PT_LOAD
// segment that holds the offset), and an address becomes its inline frames through LLVM's symbolizer
// (llvm::symbolize::LLVMSymbolizer over the line tables and the DW_TAG_inlined_subroutine tree), with
// linkage names and base discriminators, as sample_profile.h needs them. This is the one part of
// hone pgo that links LLVM libraries; it lives in the hone-sample-profile executable, never in `hone`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pgo/sample/sample_profile.h"

namespace hone::pgo::sample {

class BinarySymbolizer {
public:
  // Opens `binary`; on failure error() says why (not a file, not a 64-bit little-endian ELF file).
  explicit BinarySymbolizer(const std::string& binary);
  ~BinarySymbolizer();
  BinarySymbolizer(const BinarySymbolizer&) = delete;
  BinarySymbolizer& operator=(const BinarySymbolizer&) = delete;

  const std::string& error() const { return error_; }
  // True when the binary has DWARF line tables (without them no sample can be attributed).
  bool has_line_tables() const { return has_line_tables_; }
  // The GNU build ID as hex, "" when it has none.
  const std::string& build_id() const { return build_id_; }

  // The link-time address of the byte at `file_offset` in an executable segment, or nullopt.
  std::optional<uint64_t> address_of_offset(uint64_t file_offset) const;
  // The inline frames at `address`, innermost first; empty when the address has no line information.
  std::vector<Frame> frames(uint64_t address);

private:
  struct State;
  std::unique_ptr<State> state_;
  std::string error_;
  std::string build_id_;
  bool has_line_tables_ = false;
};

}  // namespace hone::pgo::sample
