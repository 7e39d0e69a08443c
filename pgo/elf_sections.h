// The section names of an ELF file, read from its section header table. hone pgo checks built binaries
// by their sections: an instrumented binary has LLVM's profile counters (__llvm_prf_cnts), an optimized
// or baseline one must not, and BOLT needs the relocation sections --emit-relocs leaves (.rela.text).
// Searching the whole file for the name would also find it in string data (a compiler's own binary
// mentions __llvm_prf_cnts), so only the section header string table is read. GCC's instrumentation
// has no section of its own; its binaries are known by libgcov's symbols (__gcov_*), read from the
// symbol string tables the same bounded way, or, once `strip` has removed those, by the .gcda paths GCC
// compiles into the read-only data (strip keeps every allocated section).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hone::pgo {

// The names of every section, in header order; nullopt when the file is not a readable 64-bit
// little-endian ELF file (the only kind the platforms hone supports produce) or its headers are damaged.
std::optional<std::vector<std::string>> elf_section_names(const std::filesystem::path& file);

// True when `file` is an ELF file with a section named `name`; false otherwise (also when not ELF).
bool has_elf_section(const std::filesystem::path& file, const std::string& name);

// True when a symbol in `file`'s symbol tables (.symtab, .dynsym) starts with `prefix`; false otherwise
// (also when not ELF, or stripped of the symbols looked for).
bool has_elf_symbol_with_prefix(const std::filesystem::path& file, std::string_view prefix);

// True when an allocated, non-executable data section of `file` (.rodata, .data, ...) holds a
// NUL-terminated string that starts with `prefix` and ends with `suffix`; false otherwise (also when not
// ELF). Whole strings only: a longer string that merely contains the two does not count.
bool has_elf_data_string(const std::filesystem::path& file, std::string_view prefix, std::string_view suffix);

// LLVM's profile counter section: present exactly in binaries linked from instrumented objects.
inline constexpr const char* k_profile_counters_section = "__llvm_prf_cnts";

}  // namespace hone::pgo
