// Reports of profiling zones: merges every thread's accumulators per call site and formats the result
// as a text table or JSON.
//
// Reading runs concurrently with recording: each counter is read atomically, but the figures of one
// zone are not a single consistent snapshot while other threads are still inside it (a count may
// include a call whose duration is not yet in the total). Durations are kept in clock ticks and
// converted to nanoseconds here, so the hot path never multiplies.
#include "recorder.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <memory>
#include <new>

namespace hone::profiling {
namespace {

using detail::Accumulator;
using detail::k_bucket_count;

struct Merged {
  std::uint64_t count = 0;
  std::uint64_t threads = 0;
  std::uint64_t total = 0;
  std::uint64_t self = 0;
  std::uint64_t min = UINT64_MAX;
  std::uint64_t max = 0;
  std::uint64_t buckets[k_bucket_count] = {};
};

void append_format(std::string& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void append_format(std::string& out, const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  const int written = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (written > 0) out.append(buffer, std::min(static_cast<std::size_t>(written), sizeof buffer - 1));
}

std::vector<ZoneReport> collect() {
  detail::Registry& reg = detail::registry();
  std::vector<detail::Site> sites;
  std::vector<detail::ThreadState*> threads;
  std::vector<std::string> thread_names;
  {
    std::lock_guard lock(reg.mutex);
    sites = reg.sites;
    threads = reg.threads;
    for (const detail::ThreadState* thread : threads) {
      thread_names.push_back(thread->name[0] != '\0' ? std::string(thread->name)
                                                     : "thread " + std::to_string(thread->index));
    }
  }
  const double scale = detail::ns_per_tick();
  std::vector<ZoneReport> reports;
  auto merged = std::make_unique<Merged>();
  for (std::size_t site = 0; site < sites.size(); ++site) {
    *merged = Merged{};
    std::vector<ThreadShare> shares;
    for (std::size_t t = 0; t < threads.size(); ++t) {
      const Accumulator* acc = threads[t]->slots[site].load(std::memory_order_acquire);
      if (acc == nullptr) continue;
      const std::uint64_t count = acc->count.load(std::memory_order_relaxed);
      if (count == 0) continue;
      const std::uint64_t total = acc->total_ticks.load(std::memory_order_relaxed);
      const std::uint64_t self = acc->self_ticks.load(std::memory_order_relaxed);
      shares.push_back(
          ThreadShare{thread_names[t], count, static_cast<double>(total) * scale, static_cast<double>(self) * scale});
      merged->count += count;
      merged->threads += 1;
      merged->total += total;
      merged->self += self;
      merged->min = std::min(merged->min, acc->min_ticks.load(std::memory_order_relaxed));
      merged->max = std::max(merged->max, acc->max_ticks.load(std::memory_order_relaxed));
      for (std::size_t i = 0; i < k_bucket_count; ++i) {
        merged->buckets[i] += acc->buckets[i].load(std::memory_order_relaxed);
      }
    }
    if (merged->count == 0) continue;
    // A zone closing on another thread right now may have its count stored before its minimum.
    if (merged->min > merged->max) merged->min = merged->max;
    std::uint64_t histogram_total = 0;
    for (const std::uint64_t c : merged->buckets) histogram_total += c;
    auto quantile = [&](double q) {
      return static_cast<double>(detail::percentile(merged->buckets, histogram_total, q, merged->min, merged->max)) *
             scale;
    };
    ZoneReport report;
    report.name = sites[site].name;
    report.file = sites[site].file;
    report.line = sites[site].line;
    report.count = merged->count;
    report.threads = merged->threads;
    report.total_ns = static_cast<double>(merged->total) * scale;
    report.self_ns = static_cast<double>(merged->self) * scale;
    report.min_ns = static_cast<double>(merged->min) * scale;
    report.max_ns = static_cast<double>(merged->max) * scale;
    report.mean_ns = report.total_ns / static_cast<double>(merged->count);
    report.p50_ns = quantile(0.50);
    report.p95_ns = quantile(0.95);
    report.p99_ns = quantile(0.99);
    report.per_thread = std::move(shares);
    reports.push_back(std::move(report));
  }
  // std::sort with a full tie-break rather than std::stable_sort, whose libstdc++ 12 implementation
  // trips clang 19's deprecation warning.
  std::sort(reports.begin(), reports.end(), [](const ZoneReport& a, const ZoneReport& b) {
    if (a.total_ns != b.total_ns) return a.total_ns > b.total_ns;
    if (a.file != b.file) return a.file < b.file;
    return a.line < b.line;
  });
  return reports;
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

namespace detail {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          append_format(out, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace detail

std::vector<ZoneReport> snapshot() noexcept {
  try {
    return collect();
  } catch (...) {
    return {};
  }
}

std::string report_text() noexcept {
  try {
    const std::vector<ZoneReport> zones = collect();
    std::string out;
    append_format(out, "hone profile: %zu zone%s, clock %s, times in microseconds except total/self (ms)\n",
                  zones.size(), zones.size() == 1 ? "" : "s", clock_name());
    append_format(out, "%-32s %10s %11s %11s %10s %10s %10s %10s %10s %10s %3s  %s\n", "zone", "count", "total ms",
                  "self ms", "mean", "min", "p50", "p95", "p99", "max", "thr", "location");
    for (const ZoneReport& z : zones) {
      append_format(out, "%-32s %10llu %11.3f %11.3f %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f %3llu  %s:%d\n",
                    z.name.c_str(), static_cast<unsigned long long>(z.count), z.total_ns / 1e6, z.self_ns / 1e6,
                    z.mean_ns / 1e3, z.min_ns / 1e3, z.p50_ns / 1e3, z.p95_ns / 1e3, z.p99_ns / 1e3, z.max_ns / 1e3,
                    static_cast<unsigned long long>(z.threads), base_name(z.file).c_str(), z.line);
    }
    return out;
  } catch (...) {
    return {};
  }
}

std::string report_json() noexcept {
  try {
    const std::vector<ZoneReport> zones = collect();
    std::string out = "{\"clock\": ";
    detail::append_json_string(out, clock_name());
    out += ", \"zones\": [";
    for (std::size_t i = 0; i < zones.size(); ++i) {
      const ZoneReport& z = zones[i];
      out += i == 0 ? "\n  {\"name\": " : ",\n  {\"name\": ";
      detail::append_json_string(out, z.name);
      out += ", \"file\": ";
      detail::append_json_string(out, z.file);
      append_format(out,
                    ", \"line\": %d, \"count\": %llu, \"threads\": %llu, \"total_ns\": %.1f, \"self_ns\": %.1f, "
                    "\"min_ns\": %.1f, \"max_ns\": %.1f, \"mean_ns\": %.1f, \"p50_ns\": %.1f, \"p95_ns\": %.1f, "
                    "\"p99_ns\": %.1f, \"per_thread\": [",
                    z.line, static_cast<unsigned long long>(z.count), static_cast<unsigned long long>(z.threads),
                    z.total_ns, z.self_ns, z.min_ns, z.max_ns, z.mean_ns, z.p50_ns, z.p95_ns, z.p99_ns);
      for (std::size_t t = 0; t < z.per_thread.size(); ++t) {
        const ThreadShare& share = z.per_thread[t];
        out += t == 0 ? "{\"thread\": " : ", {\"thread\": ";
        detail::append_json_string(out, share.thread);
        append_format(out, ", \"count\": %llu, \"total_ns\": %.1f, \"self_ns\": %.1f}",
                      static_cast<unsigned long long>(share.count), share.total_ns, share.self_ns);
      }
      out += "]}";
    }
    out += zones.empty() ? "]}\n" : "\n]}\n";
    return out;
  } catch (...) {
    return {};
  }
}

void reset() noexcept {
  detail::Registry& reg = detail::registry();
  std::lock_guard lock(reg.mutex);
  for (detail::ThreadState* thread : reg.threads) {
    for (auto& slot : thread->slots) {
      Accumulator* acc = slot.load(std::memory_order_acquire);
      if (acc == nullptr) continue;
      acc->count.store(0, std::memory_order_relaxed);
      acc->total_ticks.store(0, std::memory_order_relaxed);
      acc->self_ticks.store(0, std::memory_order_relaxed);
      acc->min_ticks.store(UINT64_MAX, std::memory_order_relaxed);
      acc->max_ticks.store(0, std::memory_order_relaxed);
      for (auto& bucket : acc->buckets) bucket.store(0, std::memory_order_relaxed);
    }
  }
}

}  // namespace hone::profiling
