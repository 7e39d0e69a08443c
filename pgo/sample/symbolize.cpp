// The LLVM side of symbolize.h. The symbolizer is given the object file hone opened itself (not a
// path), so the program headers, the build ID and the DWARF come from one read of one file.
#include "pgo/sample/symbolize.h"

#include <llvm/DebugInfo/DIContext.h>
#include <llvm/DebugInfo/Symbolize/Symbolize.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/Object/BuildID.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/Error.h>

namespace hone::pgo::sample {

struct BinarySymbolizer::State {
  llvm::object::OwningBinary<llvm::object::Binary> binary;
  const llvm::object::ELF64LEObjectFile* object = nullptr;
  struct Segment {
    uint64_t offset, size, address;
  };
  std::vector<Segment> segments;  // executable PT_LOAD segments
  std::unique_ptr<llvm::symbolize::LLVMSymbolizer> symbolizer;
};

BinarySymbolizer::BinarySymbolizer(const std::string& binary) : state_(std::make_unique<State>()) {
  llvm::Expected<llvm::object::OwningBinary<llvm::object::Binary>> opened = llvm::object::createBinary(binary);
  if (!opened) {
    error_ = "cannot read '" + binary + "': " + llvm::toString(opened.takeError());
    return;
  }
  state_->binary = std::move(*opened);
  state_->object = llvm::dyn_cast<llvm::object::ELF64LEObjectFile>(state_->binary.getBinary());
  if (!state_->object) {
    error_ = "'" + binary + "' is not a 64-bit little-endian ELF file (the only kind hone-sample-profile reads)";
    return;
  }
  auto headers = state_->object->getELFFile().program_headers();
  if (!headers) {
    error_ = "'" + binary + "' has damaged program headers: " + llvm::toString(headers.takeError());
    return;
  }
  for (const auto& header : *headers)
    if (header.p_type == llvm::ELF::PT_LOAD && (header.p_flags & llvm::ELF::PF_X))
      state_->segments.push_back({header.p_offset, header.p_filesz, header.p_vaddr});
  for (const llvm::object::SectionRef& section : state_->object->sections()) {
    llvm::Expected<llvm::StringRef> name = section.getName();
    if (name && *name == ".debug_line") has_line_tables_ = true;
    if (!name) llvm::consumeError(name.takeError());
  }
  for (uint8_t byte : llvm::object::getBuildID(state_->object)) {
    static const char digits[] = "0123456789abcdef";
    build_id_ += digits[byte >> 4];
    build_id_ += digits[byte & 15];
  }
  llvm::symbolize::LLVMSymbolizer::Options options;
  options.PrintFunctions = llvm::DILineInfoSpecifier::FunctionNameKind::LinkageName;
  options.Demangle = false;       // the profile names functions as the compiler does: mangled
  options.UseSymbolTable = true;  // names of functions whose DWARF has no linkage name
  state_->symbolizer = std::make_unique<llvm::symbolize::LLVMSymbolizer>(options);
}

BinarySymbolizer::~BinarySymbolizer() = default;

std::optional<uint64_t> BinarySymbolizer::address_of_offset(uint64_t file_offset) const {
  for (const State::Segment& segment : state_->segments)
    if (file_offset >= segment.offset && file_offset - segment.offset < segment.size)
      return segment.address + (file_offset - segment.offset);
  return std::nullopt;
}

std::vector<Frame> BinarySymbolizer::frames(uint64_t address) {
  std::vector<Frame> frames;
  if (!state_->object) return frames;
  llvm::Expected<llvm::DIInliningInfo> info = state_->symbolizer->symbolizeInlinedCode(
      *state_->object, {address, llvm::object::SectionedAddress::UndefSection});
  if (!info) {
    llvm::consumeError(info.takeError());
    return frames;
  }
  for (uint32_t i = 0; i < info->getNumberOfFrames(); ++i) {
    const llvm::DILineInfo& line = info->getFrame(i);
    // No function or no line (code the compiler made up, or a function without DWARF): a profile record
    // at such a place would be attributed to the wrong line, so the whole address counts as unattributed.
    if (line.FunctionName == llvm::DILineInfo::BadString || line.FunctionName.empty() || line.Line == 0) return {};
    Frame frame;
    frame.function = line.FunctionName;
    frame.line = line.Line;
    frame.start_line = line.StartLine;
    // The compiler looks profile records up by the base discriminator, without the duplication factor
    // and copy id that the same DWARF value also encodes.
    frame.discriminator =
        llvm::DILocation::getBaseDiscriminatorFromDiscriminator(line.Discriminator, /*IsFSDiscriminator=*/false);
    frames.push_back(std::move(frame));
  }
  return frames;
}

}  // namespace hone::pgo::sample
