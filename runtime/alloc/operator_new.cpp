// hone::alloc_tracking: replaces every form of the global operator new and operator delete with ones
// that allocate exactly as the standard library's do (malloc / aligned allocation, the new-handler
// loop, std::bad_alloc) and count each call in the calling thread's counters (counters.cpp).
//
// Replaced forms (20): new and new[] — plain, nothrow, aligned, aligned nothrow; delete and delete[]
// — plain, nothrow, sized, aligned, aligned nothrow, sized aligned. A delete counts the usable size of
// the block (usable_size.h), the same figure its new counted, so the balance is exact whichever delete
// form the compiler picks.
//
// All forms and the provider table live in this one object file, and the target's link interface asks
// the linker for hone_alloc_provider (--undefined), so linking the static library always brings in the
// whole replacement, even into a program that never names operator new itself.
#include "counters.h"
#include "provider.h"
#include "report_format.h"
#include "usable_size.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <new>

namespace {

using hone::alloc::detail::record_allocation;
using hone::alloc::detail::record_free;

constexpr hone::alloc::detail::Provider k_provider = {
    hone::alloc::detail::k_provider_abi_version,
    "operator new",
    hone::alloc::detail::process_stats,
    hone::alloc::detail::thread_stats,
    hone::alloc::detail::scope_begin,
    hone::alloc::detail::scope_end,
    hone::alloc::detail::top_sampled_sites,
    hone::alloc::detail::thread_totals,
};

void* allocate_or_null(std::size_t size, std::size_t alignment) noexcept {
  if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__) return std::malloc(size);
  void* block = nullptr;
  return posix_memalign(&block, alignment, size) == 0 ? block : nullptr;
}

// The standard's loop after a failed allocation: call the new-handler until it makes room (the next
// try succeeds), gives up by throwing, or none is installed (throw std::bad_alloc).
__attribute__((noinline, cold)) void* allocate_after_failure(std::size_t size, std::size_t alignment) {
  for (;;) {
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
    if (void* block = allocate_or_null(size, alignment); block != nullptr) return block;
  }
}

// The hot path, inlined into every operator new: one allocation, one usable-size read, the counters.
__attribute__((always_inline)) inline void* allocate(std::size_t size, std::size_t alignment) {
  const std::size_t bytes = size == 0 ? 1 : size;  // every successful new returns a distinct pointer
  void* block = allocate_or_null(bytes, alignment);
  if (__builtin_expect(block == nullptr, 0)) block = allocate_after_failure(bytes, alignment);
  record_allocation(size, hone::alloc::detail::usable_size(block));
  return block;
}

void* allocate_nothrow(std::size_t size, std::size_t alignment) noexcept {
  try {
    return allocate(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

__attribute__((always_inline)) inline void deallocate(void* block) noexcept {
  if (block == nullptr) return;
  record_free(hone::alloc::detail::usable_size(block));
  std::free(block);
}

std::size_t alignment_of(std::align_val_t alignment) {
  return static_cast<std::size_t>(alignment);
}

void print_report_at_exit() {
  hone::AllocStats stats;
  hone::alloc::detail::process_stats(&stats);
  static hone::alloc::detail::SampledReport sampled;
  sampled.count =
      hone::alloc::detail::top_sampled_sites(sampled.sites, hone::alloc::detail::k_report_sites, &sampled.totals);
  static char buffer[hone::alloc::detail::k_alloc_report_capacity];
  const char* mode = ::secure_getenv("HONE_ALLOC_REPORT");
  const bool json = mode != nullptr && std::strcmp(mode, "json") == 0;
  if (json) {
    hone::alloc::detail::format_alloc_report_json(stats, k_provider.kind, sampled, buffer, sizeof buffer);
  } else {
    hone::alloc::detail::format_alloc_report_text(stats, k_provider.kind, sampled, buffer, sizeof buffer);
  }
  std::fputs(buffer, stderr);
}

// HONE_ALLOC_REPORT=1 (or json) prints the whole-process figures on stderr at exit.
__attribute__((constructor)) void register_report_at_exit() {
  const char* mode = ::secure_getenv("HONE_ALLOC_REPORT");
  if (mode != nullptr && (std::strcmp(mode, "1") == 0 || std::strcmp(mode, "json") == 0)) {
    std::atexit(print_report_at_exit);
  }
}

}  // namespace

extern "C" const hone::alloc::detail::Provider* hone_alloc_provider() noexcept {
  return &k_provider;
}

void* operator new(std::size_t size) {
  return allocate(size, 0);
}
void* operator new[](std::size_t size) {
  return allocate(size, 0);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, 0);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, 0);
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return allocate(size, alignment_of(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return allocate(size, alignment_of(alignment));
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, alignment_of(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate_nothrow(size, alignment_of(alignment));
}

void operator delete(void* block) noexcept {
  deallocate(block);
}
void operator delete[](void* block) noexcept {
  deallocate(block);
}
void operator delete(void* block, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete[](void* block, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::size_t) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::size_t) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept {
  deallocate(block);
}
void operator delete(void* block, std::size_t, std::align_val_t) noexcept {
  deallocate(block);
}
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept {
  deallocate(block);
}
