// The sampled path of allocation tracking (sampling.h): arming a thread's byte countdown, capturing
// the call stack of a sampled allocation and adding it to one table of stacks shared by every thread.
//
// The table is a fixed array of k_slots slots (open addressing, linear probing), mapped with mmap the
// first time anything is sampled, so a program that never samples pays nothing and the table never
// calls malloc. A slot's `key` is 0 while empty, k_claiming while its owner writes the frames and the
// stack's hash (never 0 or 1) once published with a release store; the frames never change after
// that, so a reader or a second inserter that loads the key with acquire may compare or copy them
// without a lock. Claiming is one compare-and-swap from 0; another thread that finds a slot being
// claimed waits for the few stores it takes. The per-stack figures are atomic adds: samples are rare
// (one per `interval` bytes per thread), so a shared add per sample costs nothing that matters, and a
// stack that finds no free slot within k_max_probes is counted in the totals as dropped, never lost.
//
// The stack is captured with _Unwind_Backtrace (the unwinder of libgcc_s, which every C++ program
// already loads): it reads the DWARF call-frame tables, so it works on code built without frame
// pointers, and it does not go through glibc's backtrace(), whose first call dlopens libgcc_s and
// would do so from inside malloc. The frames of the tracking code itself are left out by skipping
// everything up to the allocation function (the frame whose return address is the one this function
// returns to), so a stack starts at the code that asked for memory.
#include "sampling.h"

#include "counters.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/mman.h>
#include <unistd.h>
#include <unwind.h>

namespace hone::alloc::detail {
namespace {

constexpr std::size_t k_slots = 4096;  // a power of two; ~750 KiB of address space, touched as used
constexpr std::size_t k_max_probes = 64;
constexpr std::uint64_t k_claiming = 1;
// Frames of the tracking code above the allocation function: sample_allocation's own frame, and room
// for frames an unwinder may add (a signal trampoline, an inlined wrapper that was not inlined).
constexpr std::size_t k_skip_slack = 8;
// Estimated allocation counts are kept in 1/256ths so that the fractional weights 1/p add up.
constexpr double k_count_scale = 256.0;

struct alignas(64) StackSlot {
  std::atomic<std::uint64_t> key{0};
  std::atomic<std::uint64_t> samples{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> scaled_allocations{0};
  std::uint32_t depth = 0;             // written before `key` is published, never after
  void* frames[k_sample_frames] = {};  // likewise
};

constinit std::atomic<StackSlot*> g_table{nullptr};
constinit std::atomic<std::int64_t> g_interval{-1};  // -1: HONE_ALLOC_SAMPLE not read yet
constinit std::atomic<std::uint64_t> g_seed{0};
constinit std::atomic<std::uint64_t> g_arm_sequence{0};
constinit std::atomic<std::uint64_t> g_dropped_samples{0};
constinit std::atomic<std::uint64_t> g_dropped_bytes{0};
constinit std::atomic<std::uint64_t> g_dropped_scaled_allocations{0};

void write_text(const char* text) noexcept {
  const ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
  static_cast<void>(ignored);
}

// HONE_ALLOC_SAMPLE: a whole number of bytes (0 turns sampling off). Anything else is reported once
// and replaced by the default. Parsed by hand: no strtoll locale, no snprintf inside malloc.
std::int64_t interval_from_environment() noexcept {
  const char* text = ::secure_getenv("HONE_ALLOC_SAMPLE");
  if (text == nullptr || text[0] == '\0') return k_default_sample_interval;
  std::int64_t value = 0;
  const char* c = text;
  for (; *c >= '0' && *c <= '9'; ++c) {
    if (value > (INT64_MAX / 4 - 9) / 10) break;  // far beyond any useful interval
    value = value * 10 + (*c - '0');
  }
  if (*c != '\0') {
    write_text("hone: warning: HONE_ALLOC_SAMPLE='");
    write_text(text);
    write_text("' is not a number of bytes (e.g. 524288, or 0 to turn call-stack sampling off); "
               "sampling every 524288 bytes\n");
    return k_default_sample_interval;
  }
  return value;
}

std::uint64_t mix(std::uint64_t x) noexcept {  // the splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

std::uint64_t next_random(ThreadCounters& c) noexcept {  // xorshift64*
  std::uint64_t x = c.sample_random;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  c.sample_random = x;
  return x * 0x2545f4914f6cdd1du;
}

// Bytes until the next sample: exponential with mean c.sample_interval, at least 1.
std::int64_t draw_countdown(ThreadCounters& c) noexcept {
  const double uniform = (static_cast<double>(next_random(c) >> 11) + 0.5) * 0x1p-53;  // in (0, 1)
  const double bytes = -std::log(uniform) * static_cast<double>(c.sample_interval);
  if (bytes < 1.0) return 1;
  if (bytes > 0x1p62) return std::int64_t{1} << 62;
  return static_cast<std::int64_t>(bytes);
}

void arm(ThreadCounters& c) noexcept {
  c.sample_interval = sample_interval();
  const std::uint64_t sequence = g_arm_sequence.fetch_add(1, std::memory_order_relaxed);
  std::uint64_t seed = g_seed.load(std::memory_order_relaxed);
  if (seed == 0) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    seed = reinterpret_cast<std::uintptr_t>(&c) ^ (static_cast<std::uint64_t>(now.tv_nsec) << 20) ^
           static_cast<std::uint64_t>(now.tv_sec);
  }
  c.sample_random = mix(seed + sequence * 0x9e3779b97f4a7c15u);
  if (c.sample_random == 0) c.sample_random = 1;  // xorshift's one fixed point
  c.sample_armed = true;
  c.sample_countdown = c.sample_interval > 0 ? draw_countdown(c) : INT64_MAX;
}

StackSlot* table() noexcept {
  StackSlot* slots = g_table.load(std::memory_order_acquire);
  if (slots != nullptr) return slots;
  void* memory = mmap(nullptr, sizeof(StackSlot) * k_slots, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return nullptr;
  auto* fresh = static_cast<StackSlot*>(memory);  // zero pages: every key 0, every figure 0
  if (g_table.compare_exchange_strong(slots, fresh, std::memory_order_acq_rel)) return fresh;
  munmap(memory, sizeof(StackSlot) * k_slots);  // another thread mapped it first
  return slots;
}

struct Unwound {
  std::uintptr_t ips[k_sample_frames + k_skip_slack] = {};
  std::size_t count = 0;
};

_Unwind_Reason_Code collect_frame(_Unwind_Context* context, void* arg) {
  auto* unwound = static_cast<Unwound*>(arg);
  const std::uintptr_t ip = _Unwind_GetIP(context);
  if (ip == 0) return _URC_END_OF_STACK;
  unwound->ips[unwound->count++] = ip;
  return unwound->count == k_sample_frames + k_skip_slack ? _URC_END_OF_STACK : _URC_NO_REASON;
}

std::uint64_t hash_stack(void* const* frames, std::uint32_t depth) noexcept {
  std::uint64_t h = depth;
  for (std::uint32_t i = 0; i < depth; ++i) h = mix(h ^ reinterpret_cast<std::uintptr_t>(frames[i]));
  return h < 2 ? h + 2 : h;  // 0 and 1 (k_claiming) are slot states
}

void add_sample(void* const* frames, std::uint32_t depth, std::uint64_t bytes,
                std::uint64_t scaled_allocations) noexcept {
  StackSlot* slots = table();
  const std::uint64_t key = hash_stack(frames, depth);
  for (std::size_t probe = 0; slots != nullptr && probe < k_max_probes; ++probe) {
    StackSlot& slot = slots[(key + probe) & (k_slots - 1)];
    std::uint64_t seen = slot.key.load(std::memory_order_acquire);
    if (seen == 0) {
      if (slot.key.compare_exchange_strong(seen, k_claiming, std::memory_order_acquire)) {
        slot.depth = depth;
        std::memcpy(slot.frames, frames, depth * sizeof(void*));
        slot.key.store(key, std::memory_order_release);
        seen = key;
      }
    }
    while (seen == k_claiming) seen = slot.key.load(std::memory_order_acquire);  // a few stores away
    if (seen != key || slot.depth != depth || std::memcmp(slot.frames, frames, depth * sizeof(void*)) != 0) continue;
    slot.samples.fetch_add(1, std::memory_order_relaxed);
    slot.bytes.fetch_add(bytes, std::memory_order_relaxed);
    slot.scaled_allocations.fetch_add(scaled_allocations, std::memory_order_relaxed);
    return;
  }
  g_dropped_samples.fetch_add(1, std::memory_order_relaxed);
  g_dropped_bytes.fetch_add(bytes, std::memory_order_relaxed);
  g_dropped_scaled_allocations.fetch_add(scaled_allocations, std::memory_order_relaxed);
}

std::uint64_t unscale(std::uint64_t scaled_allocations) noexcept {
  return (scaled_allocations + static_cast<std::uint64_t>(k_count_scale) / 2) /
         static_cast<std::uint64_t>(k_count_scale);
}

}  // namespace

std::int64_t sample_interval() noexcept {
  std::int64_t interval = g_interval.load(std::memory_order_relaxed);
  if (interval >= 0) return interval;
  interval = interval_from_environment();
  g_interval.store(interval, std::memory_order_relaxed);
  return interval;
}

__attribute__((noinline)) void sample_allocation(ThreadCounters& c, std::size_t requested) noexcept {
  const auto size = static_cast<std::int64_t>(requested);
  if (c.in_sample) {
    c.sample_countdown += size;  // the tracking code's own allocations do not use up the countdown
    return;
  }
  if (!c.sample_armed) {
    arm(c);
    c.sample_countdown -= size;
    if (c.sample_countdown >= 0) return;
  }
  if (c.sample_interval <= 0) {
    c.sample_countdown = INT64_MAX;
    return;
  }
  c.in_sample = true;
  Unwound unwound;
  _Unwind_Backtrace(collect_frame, &unwound);
  // Start after the allocation function's frame: the one that returns to where it called us.
  const auto allocation_function = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  std::size_t first = 0;
  for (std::size_t i = 0; i < unwound.count && i <= k_skip_slack; ++i) {
    if (unwound.ips[i] == allocation_function) {
      first = i + 1;
      break;
    }
  }
  void* frames[k_sample_frames];
  std::uint32_t depth = 0;
  for (std::size_t i = first; i < unwound.count && depth < k_sample_frames; ++i) {
    frames[depth++] = reinterpret_cast<void*>(unwound.ips[i]);
  }
  // Probability that this allocation held a sample point of the Poisson process, and the weights.
  const double probability = -std::expm1(-static_cast<double>(size) / static_cast<double>(c.sample_interval));
  const double bytes = static_cast<double>(size) / probability;
  const double scaled_allocations = k_count_scale / probability;
  add_sample(frames, depth, static_cast<std::uint64_t>(std::llround(bytes)),
             static_cast<std::uint64_t>(std::llround(scaled_allocations)));
  c.sample_countdown = draw_countdown(c);
  c.in_sample = false;
}

std::size_t top_sampled_sites(SampledSite* out, std::size_t capacity, SamplingTotals* totals) noexcept {
  SamplingTotals sum;
  sum.interval = sample_interval();
  sum.dropped_samples = g_dropped_samples.load(std::memory_order_relaxed);
  sum.samples = sum.dropped_samples;
  sum.bytes = g_dropped_bytes.load(std::memory_order_relaxed);
  std::uint64_t scaled_allocations = g_dropped_scaled_allocations.load(std::memory_order_relaxed);
  std::size_t kept = 0;
  const StackSlot* slots = g_table.load(std::memory_order_acquire);
  for (std::size_t i = 0; slots != nullptr && i < k_slots; ++i) {
    const StackSlot& slot = slots[i];
    if (slot.key.load(std::memory_order_acquire) <= k_claiming) continue;
    SampledSite site;
    site.samples = slot.samples.load(std::memory_order_relaxed);
    if (site.samples == 0) continue;  // published, its first sample not added yet
    site.bytes = slot.bytes.load(std::memory_order_relaxed);
    const std::uint64_t scaled = slot.scaled_allocations.load(std::memory_order_relaxed);
    site.allocations = unscale(scaled);
    site.depth = slot.depth;
    std::memcpy(site.frames, slot.frames, slot.depth * sizeof(void*));
    ++sum.stacks;
    sum.samples += site.samples;
    sum.bytes += site.bytes;
    scaled_allocations += scaled;
    // Insertion into the sorted top `capacity` (capacity is a report's handful of rows).
    std::size_t at = kept;
    while (at > 0 && out[at - 1].bytes < site.bytes) --at;
    if (at >= capacity) continue;
    const std::size_t last = kept < capacity ? kept : capacity - 1;
    for (std::size_t j = last; j > at; --j) out[j] = out[j - 1];
    out[at] = site;
    if (kept < capacity) ++kept;
  }
  sum.allocations = unscale(scaled_allocations);
  if (totals != nullptr) *totals = sum;
  return kept;
}

void configure_sampling(std::int64_t interval, std::uint64_t seed) noexcept {
  g_interval.store(interval < 0 ? 0 : interval, std::memory_order_relaxed);
  g_seed.store(seed, std::memory_order_relaxed);
  g_arm_sequence.store(0, std::memory_order_relaxed);
  if (ThreadCounters* c = t_counters; c != nullptr) {
    c->sample_armed = false;
    c->sample_countdown = 0;
  }
}

void reset_samples() noexcept {
  if (StackSlot* slots = g_table.load(std::memory_order_acquire); slots != nullptr) {
    for (std::size_t i = 0; i < k_slots; ++i) {
      slots[i].samples.store(0, std::memory_order_relaxed);
      slots[i].bytes.store(0, std::memory_order_relaxed);
      slots[i].scaled_allocations.store(0, std::memory_order_relaxed);
      slots[i].key.store(0, std::memory_order_release);
    }
  }
  g_dropped_samples.store(0, std::memory_order_relaxed);
  g_dropped_bytes.store(0, std::memory_order_relaxed);
  g_dropped_scaled_allocations.store(0, std::memory_order_relaxed);
}

}  // namespace hone::alloc::detail
