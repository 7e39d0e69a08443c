// Names for the return addresses of sampled allocation stacks (sampling.h), for the reports.
//
// dladdr() names only the symbols a module exports, and a program's own functions usually are not
// exported (only -rdynamic does that). So when dladdr finds no symbol, the module's file is mapped and
// its ELF symbol table (.symtab, which every program not stripped keeps) is searched for the function
// that contains the address. C++ names are demangled with __cxa_demangle when the process has the C++
// runtime loaded (looked up with dlsym, so the preload library does not pull libstdc++ into a C
// program). A frame reads "function (module+0xoffset)" or, without a name, "module+0xoffset": the
// offset is what `addr2line -f -e module 0xoffset` takes for a file and line, which is not read here
// (DWARF line tables are neither cheap nor always present).
//
// Header-only (inline), because the counting libraries (exit report) and hone::runtime (the public
// API) both symbolize and the runtime must not depend on the counting libraries. Used only when a
// report is made, never on the allocation path, so it may allocate (demangling does): those
// allocations are counted like any other, after the report's samples were copied out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hone::alloc::detail {

// True for the functions that hand out memory, whose frames open a stack when the allocation came
// through more than one of them (operator new calling malloc under the preload library): a site is
// where the program asked, not where the allocator did.
inline bool is_allocation_function(const char* mangled) noexcept {
  static constexpr const char* k_names[] = {"malloc",        "calloc",   "realloc", "reallocarray", "posix_memalign",
                                            "aligned_alloc", "memalign", "valloc",  "pvalloc"};
  if (std::strncmp(mangled, "_Znw", 4) == 0 || std::strncmp(mangled, "_Zna", 4) == 0) return true;
  for (const char* name : k_names) {
    if (std::strcmp(mangled, name) == 0) return true;
  }
  return false;
}

class Symbolizer {
public:
  Symbolizer() noexcept { demangle_ = reinterpret_cast<Demangle>(dlsym(RTLD_DEFAULT, "__cxa_demangle")); }
  ~Symbolizer() {
    for (std::size_t i = 0; i < module_count_; ++i) {
      if (modules_[i].image != nullptr) munmap(modules_[i].image, modules_[i].size);
    }
  }
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;

  // The mangled name of the function holding return address `pc` (null when unknown).
  const char* mangled_name(void* pc) noexcept {
    Lookup found = lookup(pc);
    return found.name;
  }

  // Writes the frame's text into `out` (always NUL-terminated).
  void describe(void* pc, char* out, std::size_t capacity) noexcept {
    if (capacity == 0) return;
    out[0] = '\0';
    const Lookup found = lookup(pc);
    const char* slash = std::strrchr(found.module, '/');
    const char* module = slash != nullptr ? slash + 1 : found.module;
    std::size_t length = 0;
    if (found.name != nullptr) {
      char* demangled = nullptr;
      int status = -1;
      if (demangle_ != nullptr && found.name[0] == '_' && found.name[1] == 'Z') {
        demangled = demangle_(found.name, nullptr, nullptr, &status);
      }
      length = append(out, capacity, length, status == 0 && demangled != nullptr ? demangled : found.name);
      std::free(demangled);
      length = append(out, capacity, length, " (");
    }
    length = append(out, capacity, length, module[0] != '\0' ? module : "?");
    char offset[24] = "+0x";
    std::size_t digits = 3;
    std::uintptr_t value = found.offset;
    char reversed[20];
    std::size_t count = 0;
    do {
      reversed[count++] = "0123456789abcdef"[value & 15];
      value >>= 4;
    } while (value != 0 && count < sizeof reversed);
    while (count > 0) offset[digits++] = reversed[--count];
    offset[digits] = '\0';
    length = append(out, capacity, length, offset);
    if (found.name != nullptr) append(out, capacity, length, ")");
  }

private:
  using Demangle = char* (*)(const char*, char*, std::size_t*, int*);

  struct Lookup {
    const char* name = nullptr;
    const char* module = "";
    std::uintptr_t offset = 0;  // from the module's load address: addr2line's address
  };

  // One mapped module file and its symbol table (null when it has none).
  struct Module {
    std::uintptr_t base = 0;  // link_map l_addr: symbol values plus this are run-time addresses
    void* image = nullptr;
    std::size_t size = 0;
    const Elf64_Sym* symbols = nullptr;
    std::size_t symbol_count = 0;
    const char* names = nullptr;
    std::size_t names_size = 0;
  };

  static std::size_t append(char* out, std::size_t capacity, std::size_t length, const char* text) noexcept {
    while (*text != '\0' && length + 1 < capacity) out[length++] = *text++;
    out[length] = '\0';
    return length;
  }

  Lookup lookup(void* pc) noexcept {
    Lookup found;
    // A return address points after the call; one byte back is inside the calling function even
    // when the call was its last instruction.
    const auto address = reinterpret_cast<std::uintptr_t>(pc) - 1;
    Dl_info info{};
    link_map* map = nullptr;
    if (dladdr1(reinterpret_cast<void*>(address), &info, reinterpret_cast<void**>(&map), RTLD_DL_LINKMAP) == 0 ||
        map == nullptr) {
      found.offset = address;
      return found;
    }
    found.module = info.dli_fname != nullptr && info.dli_fname[0] != '\0' ? info.dli_fname : program_path();
    found.offset = address - map->l_addr;
    if (info.dli_sname != nullptr && info.dli_saddr != nullptr) {
      found.name = info.dli_sname;
      return found;
    }
    if (const Module* module = module_for(map); module != nullptr) found.name = symtab_name(*module, found.offset);
    return found;
  }

  static const char* program_path() noexcept {
    static char path[4096];
    if (path[0] == '\0') {
      const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
      path[length > 0 ? length : 0] = '\0';
    }
    return path;
  }

  const Module* module_for(const link_map* map) noexcept {
    for (std::size_t i = 0; i < module_count_; ++i) {
      if (modules_[i].base == map->l_addr) return &modules_[i];
    }
    if (module_count_ == k_max_modules) return nullptr;
    Module& module = modules_[module_count_++];
    module.base = map->l_addr;
    const char* path = map->l_name != nullptr && map->l_name[0] != '\0' ? map->l_name : program_path();
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return &module;
    struct stat status{};
    if (fstat(fd, &status) == 0 && status.st_size > static_cast<off_t>(sizeof(Elf64_Ehdr))) {
      void* image = mmap(nullptr, static_cast<std::size_t>(status.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (image != MAP_FAILED) {
        module.image = image;
        module.size = static_cast<std::size_t>(status.st_size);
        find_symtab(module);
      }
    }
    close(fd);
    return &module;
  }

  // Finds .symtab and its string table, checking every offset against the file's size.
  static void find_symtab(Module& module) noexcept {
    const auto* bytes = static_cast<const unsigned char*>(module.image);
    const auto* header = reinterpret_cast<const Elf64_Ehdr*>(bytes);
    if (std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 || header->e_ident[EI_CLASS] != ELFCLASS64 ||
        header->e_shentsize != sizeof(Elf64_Shdr) || header->e_shoff > module.size ||
        header->e_shnum > (module.size - header->e_shoff) / sizeof(Elf64_Shdr)) {
      return;
    }
    const auto* sections = reinterpret_cast<const Elf64_Shdr*>(bytes + header->e_shoff);
    for (std::size_t i = 0; i < header->e_shnum; ++i) {
      const Elf64_Shdr& symtab = sections[i];
      if (symtab.sh_type != SHT_SYMTAB || symtab.sh_link >= header->e_shnum) continue;
      const Elf64_Shdr& strtab = sections[symtab.sh_link];
      if (symtab.sh_offset > module.size || symtab.sh_size > module.size - symtab.sh_offset ||
          strtab.sh_offset > module.size || strtab.sh_size > module.size - strtab.sh_offset) {
        return;
      }
      module.symbols = reinterpret_cast<const Elf64_Sym*>(bytes + symtab.sh_offset);
      module.symbol_count = symtab.sh_size / sizeof(Elf64_Sym);
      module.names = reinterpret_cast<const char*>(bytes + strtab.sh_offset);
      module.names_size = strtab.sh_size;
      // Names are read up to their NUL: a table that does not end with one is not used.
      if (module.names_size == 0 || module.names[module.names_size - 1] != '\0') module.symbol_count = 0;
      return;
    }
  }

  static const char* symtab_name(const Module& module, std::uintptr_t offset) noexcept {
    for (std::size_t i = 0; i < module.symbol_count; ++i) {
      const Elf64_Sym& symbol = module.symbols[i];
      if (ELF64_ST_TYPE(symbol.st_info) != STT_FUNC || symbol.st_shndx == SHN_UNDEF) continue;
      if (offset < symbol.st_value || offset - symbol.st_value >= (symbol.st_size == 0 ? 1 : symbol.st_size)) continue;
      if (symbol.st_name >= module.names_size) return nullptr;
      // find_symtab checked that the string table ends with a NUL, so the name is terminated.
      return module.names + symbol.st_name;
    }
    return nullptr;
  }

  static constexpr std::size_t k_max_modules = 16;
  Demangle demangle_ = nullptr;
  Module modules_[k_max_modules];
  std::size_t module_count_ = 0;
};

}  // namespace hone::alloc::detail
