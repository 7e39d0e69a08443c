// libhone_alloc_preload.so: allocation tracking for programs that cannot be relinked.
//
//   LD_PRELOAD=/usr/local/lib/libhone_alloc_preload.so ./program
//
// Loaded first, it defines the C library's allocation functions (malloc, free, calloc, realloc,
// reallocarray, posix_memalign, aligned_alloc, memalign, valloc, pvalloc), so every allocation of the
// program and of its libraries comes here, operator new included (libstdc++'s calls malloc). Each one
// forwards to glibc's own implementation through its exported __libc_* entry points — not through
// dlsym(RTLD_NEXT), which itself allocates and would recurse — and counts the call (counters.cpp).
//
// At exit it prints the whole-process figures on stderr (HONE_ALLOC_REPORT=json for JSON, =0 for
// nothing; HONE_ALLOC_REPORT_FILE=path writes them to a file instead, "%p" in the path becoming the
// process id). The report is written with write(2) from a static destructor, which runs after the
// program's own atexit handlers and static destructors, so their frees are included, to a copy of
// stderr taken at start-up (descriptor 200 or above, close-on-exec).
#include "counters.h"
#include "provider.h"
#include "report_format.h"
#include "usable_size.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

namespace {

using hone::alloc::detail::record_allocation;
using hone::alloc::detail::record_free;

constexpr hone::alloc::detail::Provider k_provider = {
    hone::alloc::detail::k_provider_abi_version,
    "malloc",
    hone::alloc::detail::process_stats,
    hone::alloc::detail::thread_stats,
    hone::alloc::detail::scope_begin,
    hone::alloc::detail::scope_end,
    hone::alloc::detail::top_sampled_sites,
    hone::alloc::detail::thread_totals,
};

// Forced inline, so the allocation function itself is the frame the call-stack sampler skips to.
[[gnu::always_inline]] inline void* counted(void* block, std::size_t requested) noexcept {
  if (block != nullptr) record_allocation(requested, hone::alloc::detail::usable_size(block));
  return block;
}

bool valid_alignment(std::size_t alignment) noexcept {
  return alignment != 0 && (alignment & (alignment - 1)) == 0;
}

void write_all(int fd, const char* text, std::size_t length) noexcept {
  while (length > 0) {
    const ssize_t written = write(fd, text, length);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text += written;
    length -= static_cast<std::size_t>(written);
  }
}

// HONE_ALLOC_REPORT_FILE with "%p" replaced by the process id, or an empty string.
void report_path(char* path, std::size_t capacity) noexcept {
  path[0] = '\0';
  // secure_getenv: a setuid or setgid program must not write a report wherever its caller says.
  const char* pattern = ::secure_getenv("HONE_ALLOC_REPORT_FILE");
  if (pattern == nullptr || pattern[0] == '\0') return;
  hone::alloc::detail::BufferWriter out(path, capacity);
  for (const char* c = pattern; *c != '\0'; ++c) {
    if (c[0] == '%' && c[1] == 'p') {
      out.print("%ld", static_cast<long>(getpid()));
      ++c;
    } else {
      out.print("%c", *c);
    }
  }
}

// A private copy of stderr taken at start-up: some programs close their standard streams before
// exiting (GNU coreutils' close_stdout closes stderr too), which would swallow the report.
constinit int g_report_fd = -1;

__attribute__((constructor)) void keep_stderr() {
  constexpr int k_high_fd = 200;  // out of the way of the descriptors programs number themselves
  g_report_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, k_high_fd);
}

__attribute__((destructor)) void print_report_at_exit() {
  const char* mode = ::secure_getenv("HONE_ALLOC_REPORT");
  if (mode != nullptr && (std::strcmp(mode, "0") == 0 || std::strcmp(mode, "off") == 0)) return;
  const bool json = mode != nullptr && std::strcmp(mode, "json") == 0;
  hone::AllocStats stats;
  hone::alloc::detail::process_stats(&stats);
  static hone::alloc::detail::SampledReport sampled;
  sampled.count =
      hone::alloc::detail::top_sampled_sites(sampled.sites, hone::alloc::detail::k_report_sites, &sampled.totals);
  static char buffer[hone::alloc::detail::k_alloc_report_capacity];
  std::size_t length = 0;
  if (json) {
    length = hone::alloc::detail::format_alloc_report_json(stats, k_provider.kind, sampled, buffer, sizeof buffer);
  } else {
    char name[32] = {};
    const int comm = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
    if (comm >= 0) {
      const ssize_t got = read(comm, name, sizeof name - 1);
      if (got > 0 && name[got - 1] == '\n') name[got - 1] = '\0';
      close(comm);
    }
    char title[96];
    hone::alloc::detail::BufferWriter title_out(title, sizeof title);
    title_out.print("%s in %s (pid %ld)", k_provider.kind, name, static_cast<long>(getpid()));
    length = hone::alloc::detail::format_alloc_report_text(stats, title, sampled, buffer, sizeof buffer);
  }
  char path[4096];
  report_path(path, sizeof path);
  const int error_fd = g_report_fd >= 0 ? g_report_fd : STDERR_FILENO;
  if (path[0] == '\0') {
    write_all(error_fd, buffer, length);
    return;
  }
  const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    static const char k_message[] = "hone: error: cannot write HONE_ALLOC_REPORT_FILE; report follows\n";
    write_all(error_fd, k_message, sizeof k_message - 1);
    write_all(error_fd, buffer, length);
    return;
  }
  write_all(fd, buffer, length);
  close(fd);
}

}  // namespace

extern "C" {

const hone::alloc::detail::Provider* hone_alloc_provider() noexcept {
  return &k_provider;
}

void* malloc(std::size_t size) noexcept {
  return counted(__libc_malloc(size), size);
}

void free(void* block) noexcept {
  if (block == nullptr) return;
  record_free(hone::alloc::detail::usable_size(block));
  __libc_free(block);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  std::size_t total = 0;
  if (__builtin_mul_overflow(count, size, &total)) {
    errno = ENOMEM;
    return nullptr;
  }
  return counted(__libc_calloc(count, size), total);
}

// A realloc is a free of the old block and an allocation of the new one, whether or not it moved.
void* realloc(void* block, std::size_t size) noexcept {
  const std::size_t old_usable = block != nullptr ? hone::alloc::detail::usable_size(block) : 0;
  void* moved = __libc_realloc(block, size);
  if (moved == nullptr && size != 0) return nullptr;  // failed: the old block is untouched
  if (block != nullptr) record_free(old_usable);
  return counted(moved, size);
}

void* reallocarray(void* block, std::size_t count, std::size_t size) noexcept {
  std::size_t total = 0;
  if (__builtin_mul_overflow(count, size, &total)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, total);
}

int posix_memalign(void** result, std::size_t alignment, std::size_t size) noexcept {
  if (!valid_alignment(alignment) || alignment % sizeof(void*) != 0) return EINVAL;
  void* block = counted(__libc_memalign(alignment, size), size);
  if (block == nullptr) return ENOMEM;
  *result = block;
  return 0;
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  if (!valid_alignment(alignment)) {
    errno = EINVAL;
    return nullptr;
  }
  return counted(__libc_memalign(alignment, size), size);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  return counted(__libc_memalign(alignment, size), size);
}

void* valloc(std::size_t size) noexcept {
  return counted(__libc_valloc(size), size);
}
void* pvalloc(std::size_t size) noexcept {
  return counted(__libc_pvalloc(size), size);
}

}  // extern "C"
