// The public allocation-tracking API (hone/alloc_tracking.h), part of hone::runtime.
//
// The counting happens in a separate library that replaces the allocation functions (see provider.h);
// this file only finds that library and reads it. hone_alloc_provider is a weak reference, so it is
// resolved when hone::alloc_tracking is linked into the program and null otherwise; then dlsym looks
// for a preloaded libhone_alloc_preload.so. Without either, every figure is zero and
// alloc_tracking_active() says so.
#include "provider.h"
#include "report_format.h"

#include <cstdio>
#include <dlfcn.h>
#include <memory>

#pragma weak hone_alloc_provider

namespace hone {
namespace {

using alloc::detail::Provider;

const Provider* find_provider() noexcept {
  const Provider* provider = nullptr;
  if (&hone_alloc_provider != nullptr) {
    provider = hone_alloc_provider();
  } else if (void* symbol = dlsym(RTLD_DEFAULT, "hone_alloc_provider"); symbol != nullptr) {
    provider = reinterpret_cast<const Provider* (*)() noexcept>(symbol)();
  }
  if (provider != nullptr && provider->abi_version != alloc::detail::k_provider_abi_version) {
    std::fprintf(stderr,
                 "hone: warning: the allocation-tracking library speaks interface version %u but this "
                 "hone::runtime speaks version %u; allocation figures are disabled (link both from the "
                 "same hone installation)\n",
                 provider->abi_version, alloc::detail::k_provider_abi_version);
    provider = nullptr;
  }
  return provider;
}

const Provider* provider() noexcept {
  static const Provider* const found = find_provider();
  return found;
}

void read_samples(alloc::detail::SampledReport& sampled) noexcept {
  if (const Provider* found = provider(); found != nullptr) {
    sampled.count = found->sampled_sites(sampled.sites, alloc::detail::k_report_sites, &sampled.totals);
  }
}

template <std::size_t (*format)(const AllocStats&, const char*, const alloc::detail::SampledReport&, char*,
                                std::size_t)>
std::string format_report() noexcept {
  try {
    auto sampled = std::make_unique<alloc::detail::SampledReport>();
    read_samples(*sampled);
    std::string buffer(alloc::detail::k_alloc_report_capacity, '\0');
    const std::size_t length = format(alloc_stats(), alloc_tracking_kind(), *sampled, buffer.data(), buffer.size());
    buffer.resize(length);
    return buffer;
  } catch (...) {
    return {};
  }
}

}  // namespace

bool alloc_tracking_active() noexcept {
  return provider() != nullptr;
}

const char* alloc_tracking_kind() noexcept {
  const Provider* found = provider();
  return found != nullptr ? found->kind : "none";
}

AllocStats alloc_stats() noexcept {
  AllocStats stats;
  if (const Provider* found = provider(); found != nullptr) found->process_stats(&stats);
  return stats;
}

std::vector<AllocSite> alloc_top_sites(std::size_t max_sites) noexcept {
  const Provider* found = provider();
  if (found == nullptr || max_sites == 0) return {};
  try {
    std::vector<alloc::detail::SampledSite> raw(max_sites);
    raw.resize(found->sampled_sites(raw.data(), raw.size(), nullptr));
    std::vector<AllocSite> sites;
    sites.reserve(raw.size());
    alloc::detail::Symbolizer symbols;
    for (const alloc::detail::SampledSite& sample : raw) {
      AllocSite& site = sites.emplace_back();
      site.bytes = sample.bytes;
      site.allocations = sample.allocations;
      site.samples = sample.samples;
      for (std::uint32_t f = alloc::detail::first_program_frame(symbols, sample); f < sample.depth; ++f) {
        char frame[256];
        symbols.describe(sample.frames[f], frame, sizeof frame);
        site.frames.emplace_back(frame);
      }
    }
    return sites;
  } catch (...) {
    return {};
  }
}

std::uint64_t alloc_sample_interval() noexcept {
  const Provider* found = provider();
  if (found == nullptr) return 0;
  alloc::detail::SamplingTotals totals;
  found->sampled_sites(nullptr, 0, &totals);
  return totals.interval > 0 ? static_cast<std::uint64_t>(totals.interval) : 0;
}

std::string alloc_report_text() noexcept {
  return format_report<alloc::detail::format_alloc_report_text>();
}
std::string alloc_report_json() noexcept {
  return format_report<alloc::detail::format_alloc_report_json>();
}

AllocScope::AllocScope() noexcept {
  if (const Provider* found = provider(); found != nullptr) {
    saved_peak_ = found->scope_begin();
    found->thread_stats(&start_);
  }
}

AllocScope::~AllocScope() {
  if (const Provider* found = provider(); found != nullptr) found->scope_end(saved_peak_);
}

AllocStats AllocScope::stats() const noexcept {
  AllocStats now;
  const Provider* found = provider();
  if (found == nullptr) return now;
  found->thread_stats(&now);
  AllocStats since;
  since.allocations = now.allocations - start_.allocations;
  since.frees = now.frees - start_.frees;
  since.bytes_allocated = now.bytes_allocated - start_.bytes_allocated;
  since.bytes_freed = now.bytes_freed - start_.bytes_freed;
  since.requested_bytes = now.requested_bytes - start_.requested_bytes;
  since.current_bytes = now.current_bytes - start_.current_bytes;
  // thread_stats() reports the running scope peak, a balance, in peak_bytes (see provider.h).
  const std::int64_t peak = static_cast<std::int64_t>(now.peak_bytes) - start_.current_bytes;
  since.peak_bytes = peak > 0 ? static_cast<std::uint64_t>(peak) : 0;
  for (std::size_t i = 0; i < k_alloc_size_classes; ++i) {
    since.size_classes[i] = now.size_classes[i] - start_.size_classes[i];
  }
  return since;
}

}  // namespace hone

namespace hone::alloc::detail {

const ThreadTotals* current_thread_totals() noexcept {
  const Provider* found = provider();
  return found != nullptr ? found->thread_totals() : nullptr;
}

}  // namespace hone::alloc::detail
