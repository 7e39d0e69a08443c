// Formats allocation figures as the text table or JSON object documented in hone/alloc_tracking.h,
// with the sampled allocation sites (sampling.h) after them.
//
// Header-only and free of std::string (it writes into a caller's buffer with snprintf), because the
// preload library prints its report at exit from inside a program whose malloc it has replaced and
// which may not even be C++: it must not depend on the C++ runtime. (Naming the sites' frames may
// allocate, see symbolize.h; the figures are copied out before.)
#pragma once

#include "hone/alloc_tracking.h"
#include "sampling.h"
#include "symbolize.h"

#include <cstdarg>
#include <cstdio>

namespace hone::alloc::detail {

// Appends formatted text to a fixed buffer, always NUL-terminated; output past the end is dropped.
class BufferWriter {
public:
  BufferWriter(char* buffer, std::size_t capacity) noexcept : buffer_(buffer), capacity_(capacity) {
    if (capacity_ > 0) buffer_[0] = '\0';
  }
  void print(const char* format, ...) noexcept __attribute__((format(printf, 2, 3))) {
    if (length_ + 1 >= capacity_) return;
    va_list args;
    va_start(args, format);
    const int written = std::vsnprintf(buffer_ + length_, capacity_ - length_, format, args);
    va_end(args);
    if (written <= 0) return;
    length_ += static_cast<std::size_t>(written);
    if (length_ >= capacity_) length_ = capacity_ - 1;
  }
  std::size_t length() const noexcept { return length_; }

private:
  char* buffer_;
  std::size_t capacity_;
  std::size_t length_ = 0;
};

// `bytes` with a binary unit: "512 B", "1.5 KiB", "12.0 MiB".
inline void print_bytes(BufferWriter& out, double bytes) noexcept {
  static constexpr const char* k_units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  const bool negative = bytes < 0;
  double value = negative ? -bytes : bytes;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < sizeof k_units / sizeof k_units[0]) {
    value /= 1024.0;
    ++unit;
  }
  if (unit == 0) {
    out.print("%s%.0f B", negative ? "-" : "", value);
  } else {
    out.print("%s%.1f %s", negative ? "-" : "", value, k_units[unit]);
  }
}

inline unsigned long long as_ull(std::uint64_t value) noexcept {
  return static_cast<unsigned long long>(value);
}

inline std::uint64_t size_class_upper_bound(std::size_t size_class) noexcept {
  if (size_class == 0) return 0;
  if (size_class + 1 >= k_alloc_size_classes) return UINT64_MAX;
  return (std::uint64_t{1} << size_class) - 1;
}

// The sites a report shows, and the frames per site in the text form (JSON has them all).
inline constexpr std::size_t k_report_sites = 10;
inline constexpr std::size_t k_report_text_frames = 6;

// The sampled figures a report shows: the top sites and the totals.
struct SampledReport {
  SampledSite sites[k_report_sites];
  std::size_t count = 0;
  SamplingTotals totals;
};

// The first frame of `site` that is not an allocation function (see is_allocation_function).
inline std::uint32_t first_program_frame(Symbolizer& symbols, const SampledSite& site) noexcept {
  std::uint32_t first = 0;
  while (first + 1 < site.depth) {
    const char* name = symbols.mangled_name(site.frames[first]);
    if (name == nullptr || !is_allocation_function(name)) break;
    ++first;
  }
  return first;
}

inline void print_sites_text(BufferWriter& out, const SampledReport& sampled) noexcept {
  const SamplingTotals& t = sampled.totals;
  if (t.interval <= 0) {
    out.print("  allocation sites: call-stack sampling is off (HONE_ALLOC_SAMPLE=0)\n");
    return;
  }
  out.print("  allocation sites (call stacks sampled about every ");
  print_bytes(out, static_cast<double>(t.interval));
  if (t.samples == 0) {
    out.print(" allocated): none sampled yet\n");
    return;
  }
  out.print(" allocated; %llu samples, %llu stacks; bytes and counts are estimates):\n", as_ull(t.samples),
            as_ull(t.stacks));
  Symbolizer symbols;
  for (std::size_t i = 0; i < sampled.count; ++i) {
    const SampledSite& site = sampled.sites[i];
    out.print("    #%-2zu ", i + 1);
    print_bytes(out, static_cast<double>(site.bytes));
    out.print("  %4.1f%%  ~%llu allocations  %llu samples\n",
              t.bytes > 0 ? 100.0 * static_cast<double>(site.bytes) / static_cast<double>(t.bytes) : 0.0,
              as_ull(site.allocations), as_ull(site.samples));
    const std::uint32_t first = first_program_frame(symbols, site);
    for (std::uint32_t f = first; f < site.depth && f < first + k_report_text_frames; ++f) {
      char frame[256];
      symbols.describe(site.frames[f], frame, sizeof frame);
      out.print("        %s\n", frame);
    }
    if (site.depth == 0) out.print("        (no frames)\n");
  }
}

inline void print_json_string(BufferWriter& out, const char* text) noexcept {
  out.print("\"");
  for (const char* c = text; *c != '\0'; ++c) {
    const auto byte = static_cast<unsigned char>(*c);
    if (byte == '"' || byte == '\\') {
      out.print("\\%c", *c);
    } else if (byte < 0x20) {
      out.print("\\u%04x", byte);
    } else {
      out.print("%c", *c);
    }
  }
  out.print("\"");
}

inline void print_sites_json(BufferWriter& out, const SampledReport& sampled) noexcept {
  const SamplingTotals& t = sampled.totals;
  out.print(", \"sampling\": {\"interval_bytes\": %lld, \"samples\": %llu, \"estimated_bytes\": %llu, "
            "\"estimated_allocations\": %llu, \"stacks\": %llu, \"dropped_samples\": %llu, \"sites\": [",
            static_cast<long long>(t.interval), as_ull(t.samples), as_ull(t.bytes), as_ull(t.allocations),
            as_ull(t.stacks), as_ull(t.dropped_samples));
  Symbolizer symbols;
  for (std::size_t i = 0; i < sampled.count; ++i) {
    const SampledSite& site = sampled.sites[i];
    out.print("%s{\"bytes\": %llu, \"allocations\": %llu, \"samples\": %llu, \"frames\": [", i == 0 ? "" : ", ",
              as_ull(site.bytes), as_ull(site.allocations), as_ull(site.samples));
    const std::uint32_t first = first_program_frame(symbols, site);
    for (std::uint32_t f = first; f < site.depth; ++f) {
      char frame[256];
      symbols.describe(site.frames[f], frame, sizeof frame);
      if (f != first) out.print(", ");
      print_json_string(out, frame);
    }
    out.print("]}");
  }
  out.print("]}");
}

inline std::size_t format_alloc_report_text(const AllocStats& s, const char* kind, const SampledReport& sampled,
                                            char* buffer, std::size_t capacity) noexcept {
  BufferWriter out(buffer, capacity);
  out.print("hone alloc: tracking %s\n", kind);
  out.print("  allocations      %llu\n  frees            %llu\n  live blocks      %lld\n", as_ull(s.allocations),
            as_ull(s.frees), static_cast<long long>(s.allocations) - static_cast<long long>(s.frees));
  out.print("  bytes allocated  ");
  print_bytes(out, static_cast<double>(s.bytes_allocated));
  out.print(" (requested ");
  print_bytes(out, static_cast<double>(s.requested_bytes));
  out.print(")\n  bytes freed      ");
  print_bytes(out, static_cast<double>(s.bytes_freed));
  out.print("\n  current bytes    ");
  print_bytes(out, static_cast<double>(s.current_bytes));
  out.print("\n  peak bytes       ");
  print_bytes(out, static_cast<double>(s.peak_bytes));
  out.print("\n  allocations by requested size:\n");
  for (std::size_t i = 0; i < k_alloc_size_classes; ++i) {
    if (s.size_classes[i] == 0) continue;
    const std::uint64_t low = alloc_size_class_lower_bound(i);
    const std::uint64_t high = size_class_upper_bound(i);
    char range[64];
    BufferWriter range_out(range, sizeof range);
    if (high == low) {
      print_bytes(range_out, static_cast<double>(low));
    } else if (high == UINT64_MAX) {
      print_bytes(range_out, static_cast<double>(low));
      range_out.print(" and up");
    } else {
      range_out.print("[");
      print_bytes(range_out, static_cast<double>(low));
      range_out.print(", ");
      print_bytes(range_out, static_cast<double>(high) + 1.0);
      range_out.print(")");
    }
    out.print("    %-22s %10llu\n", range, as_ull(s.size_classes[i]));
  }
  print_sites_text(out, sampled);
  return out.length();
}

inline std::size_t format_alloc_report_json(const AllocStats& s, const char* kind, const SampledReport& sampled,
                                            char* buffer, std::size_t capacity) noexcept {
  BufferWriter out(buffer, capacity);
  out.print("{\"tracking\": \"%s\", \"allocations\": %llu, \"frees\": %llu, \"bytes_allocated\": %llu, "
            "\"bytes_freed\": %llu, \"requested_bytes\": %llu, \"current_bytes\": %lld, \"peak_bytes\": %llu, "
            "\"size_classes\": [",
            kind, as_ull(s.allocations), as_ull(s.frees), as_ull(s.bytes_allocated), as_ull(s.bytes_freed),
            as_ull(s.requested_bytes), static_cast<long long>(s.current_bytes), as_ull(s.peak_bytes));
  bool first = true;
  for (std::size_t i = 0; i < k_alloc_size_classes; ++i) {
    if (s.size_classes[i] == 0) continue;
    // The open-ended last class has "max_bytes": null.
    out.print("%s{\"min_bytes\": %llu, \"max_bytes\": ", first ? "" : ", ", as_ull(alloc_size_class_lower_bound(i)));
    if (size_class_upper_bound(i) == UINT64_MAX) {
      out.print("null");
    } else {
      out.print("%llu", as_ull(size_class_upper_bound(i)));
    }
    out.print(", \"allocations\": %llu}", as_ull(s.size_classes[i]));
    first = false;
  }
  out.print("]");
  print_sites_json(out, sampled);
  out.print("}\n");
  return out.length();
}

// Large enough for every line of either format: 42 size classes of ~40-90 bytes, the totals, and 10
// sites of up to 16 frames of at most 255 bytes each.
inline constexpr std::size_t k_alloc_report_capacity = 65536;

}  // namespace hone::alloc::detail
