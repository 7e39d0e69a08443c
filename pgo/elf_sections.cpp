// Reading an ELF64 section header table (see elf_sections.h). The layout is the System V ABI's, taken
// from <elf.h>; every offset and count read from the file is checked against the file's size before it
// is used, so a truncated or hostile file gives nullopt, never a read outside the buffer.
#include "pgo/elf_sections.h"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <string_view>

namespace hone::pgo {

namespace fs = std::filesystem;

namespace {

// Reads `size` bytes at `offset`; false when the file is shorter.
bool read_at(std::ifstream& in, uint64_t offset, void* destination, uint64_t size) {
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(static_cast<char*>(destination), static_cast<std::streamsize>(size));
  return in.gcount() == static_cast<std::streamsize>(size);
}

constexpr uint64_t k_max_names = 1 << 24;

struct SectionTable {
  std::vector<Elf64_Shdr> sections;
  uint16_t names_index = 0;  // the section holding the section names (e_shstrndx)
  uint64_t file_size = 0;
};

// The section header table of `file`, checked; nullopt when it is not a readable 64-bit little-endian ELF
// file or its headers are damaged.
std::optional<SectionTable> read_section_headers(std::ifstream& in) {
  Elf64_Ehdr header{};
  if (!read_at(in, 0, &header, sizeof(header))) return std::nullopt;
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_shentsize != sizeof(Elf64_Shdr))
    return std::nullopt;
  if (header.e_shnum == 0 || header.e_shstrndx >= header.e_shnum) return std::nullopt;
  SectionTable table;
  table.sections.resize(header.e_shnum);
  table.names_index = header.e_shstrndx;
  if (!read_at(in, header.e_shoff, table.sections.data(), table.sections.size() * sizeof(Elf64_Shdr)))
    return std::nullopt;
  in.clear();
  in.seekg(0, std::ios::end);
  table.file_size = static_cast<uint64_t>(in.tellg());
  return table;
}

}  // namespace

std::optional<std::vector<std::string>> elf_section_names(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::optional<SectionTable> table = read_section_headers(in);
  if (!table) return std::nullopt;
  // e_shnum is 16 bits, so the table is at most 4 MiB; a limit far above any real binary's name table
  // keeps a damaged header from asking for gigabytes. (Files with more than 65279 sections keep the count
  // elsewhere and are refused: hone's binaries are not such files.)
  const Elf64_Shdr& names_header = table->sections[table->names_index];
  if (names_header.sh_size == 0 || names_header.sh_size > k_max_names) return std::nullopt;
  std::string names(names_header.sh_size, '\0');
  if (!read_at(in, names_header.sh_offset, names.data(), names.size())) return std::nullopt;
  std::vector<std::string> result;
  for (const Elf64_Shdr& section : table->sections) {
    if (section.sh_name >= names.size()) return std::nullopt;
    result.emplace_back(names.c_str() + section.sh_name);  // the table ends with a NUL, so this stops inside
  }
  return result;
}

bool has_elf_symbol_with_prefix(const fs::path& file, std::string_view prefix) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::optional<SectionTable> table = read_section_headers(in);
  if (!table) return false;
  // A symbol table's names are the NUL-separated strings of the string table its sh_link names; looking
  // through that table is enough to know whether some symbol has the prefix. Its size is checked against
  // the file's before anything is allocated.
  for (const Elf64_Shdr& section : table->sections) {
    if (section.sh_type != SHT_SYMTAB && section.sh_type != SHT_DYNSYM) continue;
    if (section.sh_link >= table->sections.size()) continue;
    const Elf64_Shdr& strings = table->sections[section.sh_link];
    if (strings.sh_type != SHT_STRTAB || strings.sh_size == 0 || strings.sh_offset > table->file_size ||
        strings.sh_size > table->file_size - strings.sh_offset)
      continue;
    std::string names(strings.sh_size, '\0');
    if (!read_at(in, strings.sh_offset, names.data(), names.size())) continue;
    for (size_t at = names.find(prefix); at != std::string::npos; at = names.find(prefix, at + 1))
      if (at == 0 || names[at - 1] == '\0') return true;
  }
  return false;
}

bool has_elf_data_string(const fs::path& file, std::string_view prefix, std::string_view suffix) {
  if (prefix.empty()) return false;
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::optional<SectionTable> table = read_section_headers(in);
  if (!table) return false;
  // Only what the program maps and does not run: code is never searched (its bytes could spell anything),
  // nor debug sections and symbol names, which strip removes anyway. Each section is read whole, its size
  // checked against the file's first (SHT_NOBITS, like .bss, has no bytes in the file).
  for (const Elf64_Shdr& section : table->sections) {
    if (section.sh_type != SHT_PROGBITS || (section.sh_flags & SHF_ALLOC) == 0 ||
        (section.sh_flags & SHF_EXECINSTR) != 0)
      continue;
    if (section.sh_size == 0 || section.sh_offset > table->file_size ||
        section.sh_size > table->file_size - section.sh_offset)
      continue;
    std::string bytes(section.sh_size, '\0');
    if (!read_at(in, section.sh_offset, bytes.data(), bytes.size())) continue;
    for (size_t at = bytes.find(prefix); at != std::string::npos; at = bytes.find(prefix, at + 1)) {
      if (at != 0 && bytes[at - 1] != '\0') continue;
      const size_t end = bytes.find('\0', at);
      if (end == std::string::npos) break;  // unterminated at the section's end: not a C string
      const std::string_view whole(bytes.data() + at, end - at);
      if (whole.size() >= prefix.size() + suffix.size() && whole.ends_with(suffix)) return true;
    }
  }
  return false;
}

bool has_elf_section(const fs::path& file, const std::string& name) {
  std::optional<std::vector<std::string>> names = elf_section_names(file);
  return names && std::find(names->begin(), names->end(), name) != names->end();
}

}  // namespace hone::pgo
