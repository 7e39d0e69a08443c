// Per-thread allocation counters, merged on read.
//
// Every thread that allocates gets one ThreadCounters block (counters.h), found through an
// initial-exec thread_local pointer (one instruction to read). The owning thread is the only writer of
// its block:
// it updates the shared-visible counters with relaxed loads and stores (plain moves on x86, no
// read-modify-write), so a reader on another thread can sum every block at any time without a lock
// and without a data race, and the hot path never touches a cache line another thread writes.
//
// Blocks are never freed. When a thread exits, a pthread key destructor puts its block on a free list
// and the next new thread continues counting in it, so the process totals keep what exited threads
// did and a program that starts many short threads does not grow without bound. Blocks come from
// mmap'd slabs and locks are pthread mutexes, because in the preload library this code runs inside
// malloc itself and must never call it.
//
// The current balance is exact on read (allocated minus freed over all blocks), but a peak of a sum
// across threads cannot be computed from per-thread figures. Each thread therefore publishes its
// balance change to one shared atomic balance once it has moved by k_publish_bytes, and the shared
// peak is raised then: one atomic add per 16 KiB of net allocation instead of one per call, at the
// price of a peak that may be off by up to 16 KiB per thread. Below 16 KiB a thread also publishes each
// new high of its balance, so a small program's peak is not reported as 0 (at most a few hundred
// extra atomic adds per thread). AllocScope's peak is per thread and exact.
#include "counters.h"
#include "usable_size.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <pthread.h>
#include <sys/mman.h>

namespace hone::alloc::detail {

constinit thread_local ThreadCounters* t_counters __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

constexpr std::size_t k_slab_bytes = 64 * 1024;

constinit pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
constinit std::atomic<ThreadCounters*> g_all{nullptr};
constinit ThreadCounters* g_free = nullptr;  // guarded by g_mutex
constinit unsigned char* g_slab = nullptr;   // guarded by g_mutex
constinit std::size_t g_slab_left = 0;       // guarded by g_mutex
constinit std::atomic<std::int64_t> g_published_balance{0};
constinit std::atomic<std::int64_t> g_published_peak{0};
constinit pthread_once_t g_key_once = PTHREAD_ONCE_INIT;
constinit pthread_key_t g_key = 0;
constinit bool g_key_ok = false;

void raise_peak(std::int64_t balance) noexcept {
  std::int64_t peak = g_published_peak.load(std::memory_order_relaxed);
  while (balance > peak && !g_published_peak.compare_exchange_weak(peak, balance, std::memory_order_relaxed)) {
  }
}

std::int64_t balance_of(const ThreadCounters& counters) noexcept {
  return static_cast<std::int64_t>(counters.bytes_allocated.load(std::memory_order_relaxed) -
                                   counters.bytes_freed.load(std::memory_order_relaxed));
}

void release_thread(void* block) {
  auto* counters = static_cast<ThreadCounters*>(block);
  publish(*counters, balance_of(*counters));
  // The next thread to take this block arms its own sampler (a fresh random sequence).
  counters->sample_armed = false;
  counters->sample_countdown = 0;
  t_counters = nullptr;
  pthread_mutex_lock(&g_mutex);
  counters->next_free = g_free;
  g_free = counters;
  pthread_mutex_unlock(&g_mutex);
}

void create_key() {
  g_key_ok = pthread_key_create(&g_key, release_thread) == 0;
}

// A fresh block from the current slab (a new 64 KiB slab when it is used up). Caller holds g_mutex.
ThreadCounters* carve_block() noexcept {
  if (g_slab_left < sizeof(ThreadCounters)) {
    void* slab = mmap(nullptr, k_slab_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (slab == MAP_FAILED) return nullptr;
    g_slab = static_cast<unsigned char*>(slab);
    g_slab_left = k_slab_bytes;
  }
  auto* block = new (g_slab) ThreadCounters;
  g_slab += sizeof(ThreadCounters);
  g_slab_left -= sizeof(ThreadCounters);
  block->next_all = g_all.load(std::memory_order_relaxed);
  g_all.store(block, std::memory_order_release);
  return block;
}

ThreadCounters* counters_of_this_thread() noexcept {
  ThreadCounters* counters = t_counters;
  return counters != nullptr ? counters : attach_this_thread();
}

}  // namespace

ThreadCounters* attach_this_thread() noexcept {
  pthread_once(&g_key_once, create_key);
  pthread_mutex_lock(&g_mutex);
  ThreadCounters* counters = g_free;
  if (counters != nullptr) {
    g_free = counters->next_free;
  } else {
    counters = carve_block();
  }
  pthread_mutex_unlock(&g_mutex);
  if (counters == nullptr) return nullptr;
  t_counters = counters;
  // Keys below PTHREAD_KEY_2NDLEVEL_SIZE (32) are stored without allocating.
  if (g_key_ok) pthread_setspecific(g_key, counters);
  return counters;
}

void publish(ThreadCounters& counters, std::int64_t balance) noexcept {
  const std::int64_t change = balance - counters.published_balance;
  counters.published_balance = balance;
  // Exact highs only until the thread first holds 16 KiB; from then on, 16 KiB steps.
  if (balance >= k_publish_bytes) {
    counters.exact_high = k_no_exact_high;
  } else if (balance > counters.exact_high) {
    counters.exact_high = balance;
  }
  const std::int64_t next_high = counters.exact_high == k_no_exact_high ? k_no_exact_high : counters.exact_high + 1;
  counters.publish_at_or_above = std::min(balance + k_publish_bytes, next_high);
  counters.publish_at_or_below = balance - k_publish_bytes;
  raise_peak(g_published_balance.fetch_add(change, std::memory_order_relaxed) + change);
}

void process_stats(AllocStats* out) {
  AllocStats sum;
  for (const ThreadCounters* c = g_all.load(std::memory_order_acquire); c != nullptr; c = c->next_all) {
    sum.frees += c->frees.load(std::memory_order_relaxed);
    sum.bytes_allocated += c->bytes_allocated.load(std::memory_order_relaxed);
    sum.bytes_freed += c->bytes_freed.load(std::memory_order_relaxed);
    sum.requested_bytes += c->requested_bytes.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < k_alloc_size_classes; ++i) {
      const std::uint64_t count = c->size_classes[i].load(std::memory_order_relaxed);
      sum.size_classes[i] += count;
      sum.allocations += count;
    }
  }
  sum.current_bytes = static_cast<std::int64_t>(sum.bytes_allocated - sum.bytes_freed);
  // A balance seen on read was really held, so it raises the shared peak too: reported peaks never
  // go down from one read to the next.
  raise_peak(sum.current_bytes);
  const std::int64_t peak = g_published_peak.load(std::memory_order_relaxed);
  sum.peak_bytes = static_cast<std::uint64_t>(peak > sum.current_bytes ? peak : sum.current_bytes);
  *out = sum;
}

void thread_stats(AllocStats* out) {
  AllocStats mine;
  if (const ThreadCounters* c = counters_of_this_thread(); c != nullptr) {
    mine.frees = c->frees.load(std::memory_order_relaxed);
    mine.bytes_allocated = c->bytes_allocated.load(std::memory_order_relaxed);
    mine.bytes_freed = c->bytes_freed.load(std::memory_order_relaxed);
    mine.requested_bytes = c->requested_bytes.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < k_alloc_size_classes; ++i) {
      mine.size_classes[i] = c->size_classes[i].load(std::memory_order_relaxed);
      mine.allocations += mine.size_classes[i];
    }
    mine.current_bytes = balance_of(*c);
    mine.peak_bytes = static_cast<std::uint64_t>(c->scope_peak);
  }
  *out = mine;
}

std::int64_t scope_begin() {
  ThreadCounters* counters = counters_of_this_thread();
  if (counters == nullptr) return 0;
  const std::int64_t saved = counters->scope_peak;
  counters->scope_peak = balance_of(*counters);
  return saved;
}

void scope_end(std::int64_t saved) {
  ThreadCounters* counters = counters_of_this_thread();
  if (counters != nullptr && saved > counters->scope_peak) counters->scope_peak = saved;
}

const ThreadTotals* thread_totals() {
  return counters_of_this_thread();
}

constinit std::atomic<int> g_usable_size_mode{k_usable_unknown};

std::size_t usable_size_slow(void* block, int mode) noexcept {
  if (mode == k_usable_unknown) mode = detect_usable_size_mode();
  return mode == k_usable_chunk_header ? glibc_chunk_usable_size(block) : malloc_usable_size(block);
}

int detect_usable_size_mode() noexcept {
  int mode = k_usable_library_call;
#if defined(HONE_ALLOC_PRELOAD)
  // The preload library allocates every block itself through glibc's __libc_* functions.
  const bool glibc_malloc = true;
#else
  const bool glibc_malloc = reinterpret_cast<void*>(&::malloc) == reinterpret_cast<void*>(&__libc_malloc) &&
                            reinterpret_cast<void*>(&::free) == reinterpret_cast<void*>(&__libc_free);
#endif
  if (glibc_malloc) {
    // Small bins, tcache sizes, large bins, an aligned block and mmap'd blocks (above the 128 KiB
    // default threshold): every one must agree with the library's answer.
    constexpr std::size_t k_sizes[] = {0, 1, 24, 100, 1000, 5000, 70000, 300000, std::size_t{4} << 20};
    mode = k_usable_chunk_header;
    for (const std::size_t size : k_sizes) {
      void* block = __libc_malloc(size);
      if (block == nullptr || glibc_chunk_usable_size(block) != malloc_usable_size(block)) mode = k_usable_library_call;
      __libc_free(block);
    }
    void* aligned = __libc_memalign(256, 700);
    if (aligned == nullptr || glibc_chunk_usable_size(aligned) != malloc_usable_size(aligned)) {
      mode = k_usable_library_call;
    }
    __libc_free(aligned);
  }
  g_usable_size_mode.store(mode, std::memory_order_relaxed);
  return mode;
}

}  // namespace hone::alloc::detail
