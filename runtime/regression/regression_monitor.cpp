// hone::RegressionMonitor (see hone/regression_monitor.h for what it decides, hone/sequential.h for the
// test).
//
// Layout. Operations live in a map guarded by a shared_mutex, touched only when a thread meets an
// operation for the first time. Each (thread, operation) pair has a SampleRing: a single-producer,
// single-consumer ring whose producer is the recording thread and whose consumer is whoever holds the
// operation's mutex. A thread finds its ring through a 16-entry thread-local cache keyed by (monitor
// id, name), so record() is a short scan, two plain stores and a release store: no lock, no
// read-modify-write. Monitor ids come from a process-wide counter and are never reused, so a cache
// entry of a destroyed monitor can never match a live one; the ring it points to is kept alive by
// shared ownership until the entry is evicted or its thread exits.
//
// Folding. Every check_every samples the thread try_locks the operation and feeds every ring's new
// samples to the operation's StepDetector. The order of samples from different threads within a batch
// is lost; the test treats samples as exchangeable, so that does not change what it decides. A thread
// whose ring is full (the folder is slow or keeps losing the try_lock) waits for the lock instead of
// dropping samples. When a thread exits or evicts a cache entry it marks the ring abandoned: its
// remaining samples are folded with the next batch, and the ring is handed to the next thread that
// meets the operation. Callbacks run after record() is done with the cache and the locks, so a
// callback may record, check or set baselines itself.
#include "hone/regression_monitor.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "hone/sequential.h"

namespace hone {
namespace {

constexpr std::size_t k_ring_capacity = 256;  // a power of two; 2 KiB of samples per thread and operation
constexpr std::size_t k_ring_mask = k_ring_capacity - 1;
constexpr std::size_t k_max_batch = k_ring_capacity / 2;  // check_every is clamped here so a fold can keep up
constexpr std::size_t k_cache_entries = 16;

std::atomic<std::uint64_t> g_next_monitor_id{1};

// One thread's samples for one operation. head and tail count samples ever pushed and folded; they
// sit on their own cache lines so the producer's stores do not bounce the consumer's line.
struct SampleRing {
  alignas(64) std::atomic<std::uint64_t> tail{0};  // written by the producer
  alignas(64) std::atomic<std::uint64_t> head{0};  // written by the consumer, under the operation's mutex
  std::atomic<bool> abandoned{false};              // the producer is gone; any thread may adopt the ring
  double values[k_ring_capacity];
};

// The last `capacity` samples, for the report's comparison.
class RecentSamples {
public:
  explicit RecentSamples(std::size_t capacity) : values_(capacity) {}
  void push(double value) {
    values_[next_] = value;
    if (++next_ == values_.size()) next_ = 0;
    size_ = std::min(size_ + 1, values_.size());
  }
  void clear() { next_ = size_ = 0; }
  std::size_t size() const { return size_; }
  std::vector<double> last(std::size_t count) const {  // oldest first
    count = std::min(count, size_);
    std::vector<double> out;
    out.reserve(count);
    const std::size_t start = (next_ + values_.size() - count) % values_.size();
    for (std::size_t i = 0; i < count; ++i) out.push_back(values_[(start + i) % values_.size()]);
    return out;
  }

private:
  std::vector<double> values_;
  std::size_t next_ = 0;
  std::size_t size_ = 0;
};

struct Operation {
  Operation(std::string_view operation_name, const RegressionMonitorOptions& options)
      : name(operation_name), detector([&] {
          stats::StepDetectorOptions test;
          test.detect_percent = options.detect_percent;
          test.false_alarm_rate = options.false_alarm_rate;
          test.warm_up = options.baseline_size;
          test.detect_improvements = options.report_improvements;
          return test;
        }()),
        recent(options.window) {}

  const std::string name;
  std::mutex mutex;
  // Guarded by mutex:
  std::vector<std::shared_ptr<SampleRing>> rings;
  stats::StepDetector detector;
  std::vector<double> baseline;  // the warm-up's (or set_baseline's) values, for the report
  RecentSamples recent;
  std::uint64_t episodes = 0;
};

// A thread's view of one (monitor, operation) pair.
struct CacheEntry {
  std::uint64_t monitor_id = 0;  // 0: unused
  std::string name;
  Operation* operation = nullptr;  // valid while the monitor with monitor_id lives
  std::shared_ptr<SampleRing> ring;
  std::uint64_t known_head = 0;  // the producer's last look at ring->head (refreshed when the ring seems full)
  std::size_t unflushed = 0;

  void release() {
    if (ring) ring->abandoned.store(true, std::memory_order_release);
    ring.reset();
    monitor_id = 0;
    operation = nullptr;
  }
};

struct ThreadCache {
  std::array<CacheEntry, k_cache_entries> entries;
  std::size_t next_victim = 0;
  std::size_t last_hit = 0;

  ThreadCache() = default;
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;
  ~ThreadCache() {
    for (CacheEntry& entry : entries) entry.release();
  }

  CacheEntry* find(std::uint64_t monitor_id, std::string_view name) {
    CacheEntry& last = entries[last_hit];  // a thread usually records one operation many times in a row
    if (last.monitor_id == monitor_id && last.name == name) return &last;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].monitor_id == monitor_id && entries[i].name == name) {
        last_hit = i;
        return &entries[i];
      }
    return nullptr;
  }
  CacheEntry& claim() {
    for (CacheEntry& entry : entries)
      if (entry.monitor_id == 0) return entry;
    CacheEntry& victim = entries[next_victim];
    next_victim = (next_victim + 1) % entries.size();
    victim.release();
    return victim;
  }
};

thread_local ThreadCache t_cache;

stats::Verdict verdict_of(stats::StepEvent episode) {
  switch (episode) {
    case stats::StepEvent::regression: return stats::Verdict::regression;
    case stats::StepEvent::improvement: return stats::Verdict::improvement;
    default: return stats::Verdict::no_change;
  }
}

}  // namespace

struct RegressionMonitor::State {
  std::uint64_t id = g_next_monitor_id.fetch_add(1, std::memory_order_relaxed);
  RegressionMonitorOptions options;
  Callback callback;
  mutable std::shared_mutex map_mutex;
  std::map<std::string, std::unique_ptr<Operation>, std::less<>> operations;
  std::atomic<std::uint64_t> dropped{0};

  using Reports = std::vector<RegressionReport>;

  // The operation's state, created on first use; nullptr when over max_operations.
  Operation* find_or_create(std::string_view name) {
    if (Operation* found = find(name)) return found;
    std::unique_lock lock(map_mutex);
    auto it = operations.find(name);
    if (it != operations.end()) return it->second.get();
    if (operations.size() >= options.max_operations) return nullptr;
    auto created = std::make_unique<Operation>(name, options);
    Operation* raw = created.get();
    operations.emplace(std::string(name), std::move(created));
    return raw;
  }

  Operation* find(std::string_view name) const {
    std::shared_lock lock(map_mutex);
    auto it = operations.find(name);
    return it == operations.end() ? nullptr : it->second.get();
  }

  RegressionReport report(const Operation& operation, stats::Verdict verdict) const {
    const stats::StepDetector& test = operation.detector;
    RegressionReport report;
    report.operation = operation.name;
    const std::size_t since = test.samples_since_change();
    const std::vector<double> current = operation.recent.last(since == 0 ? operation.recent.size() : since);
    report.comparison = stats::compare_samples(operation.baseline, current, options.rule);
    report.comparison.verdict = verdict;
    report.baseline_samples = operation.baseline.size();
    report.window_samples = current.size();
    report.check_number = test.samples_tested();
    report.episode = operation.episodes;
    report.samples_since_change = since;
    report.statistic = test.statistic();
    report.threshold = test.threshold();
    return report;
  }

  // One sample into the operation's test; a report when it opens an episode. Caller holds the mutex.
  void consume(Operation& operation, double value, Reports& reports) const {
    const bool learning = !operation.detector.warmed_up();
    if (learning && operation.baseline.size() < options.baseline_size) operation.baseline.push_back(value);
    const stats::StepEvent event = operation.detector.add(value);
    operation.recent.push(value);
    if (event == stats::StepEvent::regression || event == stats::StepEvent::improvement) {
      ++operation.episodes;
      reports.push_back(report(operation, verdict_of(event)));
      // Samples before the change are not part of the episode: the window restarts at the change.
    }
  }

  // Feeds every ring's new samples to the test. Caller holds the operation's mutex.
  void fold(Operation& operation, Reports& reports) const {
    for (const std::shared_ptr<SampleRing>& ring : operation.rings) {
      std::uint64_t head = ring->head.load(std::memory_order_relaxed);
      const std::uint64_t tail = ring->tail.load(std::memory_order_acquire);
      for (; head != tail; ++head) consume(operation, ring->values[head & k_ring_mask], reports);
      ring->head.store(tail, std::memory_order_release);
    }
  }

  // Folds when the lock is free (or always, when `wait`).
  void flush(Operation& operation, bool wait, Reports& reports) const {
    std::unique_lock lock(operation.mutex, std::defer_lock);
    if (wait) {
      lock.lock();
    } else if (!lock.try_lock()) {
      return;  // another thread is folding, our samples included
    }
    fold(operation, reports);
  }

  // This thread's cache entry for a new (monitor, operation) pair: adopts an abandoned ring or makes one.
  CacheEntry* attach(std::string_view name, Reports& reports) {
    Operation* operation = find_or_create(name);
    if (operation == nullptr) return nullptr;
    std::shared_ptr<SampleRing> ring;
    {
      std::lock_guard lock(operation->mutex);
      fold(*operation, reports);  // empties the abandoned rings too
      for (const std::shared_ptr<SampleRing>& candidate : operation->rings)
        if (candidate->abandoned.load(std::memory_order_acquire)) {
          ring = candidate;
          break;
        }
      if (!ring) {
        ring = std::make_shared<SampleRing>();
        operation->rings.push_back(ring);
      }
      ring->abandoned.store(false, std::memory_order_relaxed);
    }
    CacheEntry& entry = t_cache.claim();
    entry.name.assign(name);
    entry.monitor_id = id;
    entry.operation = operation;
    entry.known_head = ring->head.load(std::memory_order_acquire);
    entry.unflushed = 0;
    entry.ring = std::move(ring);
    return &entry;
  }

  void deliver(const Reports& reports) const {
    if (!callback) return;
    for (const RegressionReport& report : reports) {
      try {
        callback(report);
      } catch (...) {
        // A throwing callback loses its report, not the service.
      }
    }
  }
};

RegressionMonitor::RegressionMonitor(RegressionMonitorOptions options, Callback callback) noexcept {
  options.window = std::max<std::size_t>(options.window, 3);
  options.baseline_size = std::max<std::size_t>(options.baseline_size, 2);
  options.check_every = std::clamp<std::size_t>(options.check_every, 1, k_max_batch);
  try {
    state_ = std::make_unique<State>();
    state_->options = options;
    state_->callback = std::move(callback);
  } catch (...) {
    state_.reset();  // every member function then does nothing
  }
}

RegressionMonitor::~RegressionMonitor() = default;

void RegressionMonitor::record(std::string_view name, double value) noexcept {
  // The fast path: a cached ring with room and no fold due. `value > 0 && value <= max` also rejects NaN.
  if (!state_ || !(value > 0.0 && value <= std::numeric_limits<double>::max())) return;
  CacheEntry* entry = t_cache.find(state_->id, name);
  if (entry != nullptr) {
    SampleRing& ring = *entry->ring;
    const std::uint64_t tail = ring.tail.load(std::memory_order_relaxed);
    if (tail - entry->known_head < k_ring_capacity && entry->unflushed + 1 < state_->options.check_every) {
      ring.values[tail & k_ring_mask] = value;
      ring.tail.store(tail + 1, std::memory_order_release);
      ++entry->unflushed;
      return;
    }
  }
  record_slowly(name, value);
}

// First sample of an operation on this thread, a full ring, or a fold due.
void RegressionMonitor::record_slowly(std::string_view name, double value) noexcept {
  try {
    State::Reports reports;  // stays empty (no allocation) unless a fold opens an episode
    CacheEntry* entry = t_cache.find(state_->id, name);
    if (entry == nullptr) {
      entry = state_->attach(name, reports);
      if (entry == nullptr) {
        state_->dropped.fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
    SampleRing& ring = *entry->ring;
    const std::uint64_t tail = ring.tail.load(std::memory_order_relaxed);
    if (tail - entry->known_head >= k_ring_capacity) {
      entry->known_head = ring.head.load(std::memory_order_acquire);
      if (tail - entry->known_head >= k_ring_capacity) {
        state_->flush(*entry->operation, /*wait=*/true, reports);
        entry->known_head = ring.head.load(std::memory_order_acquire);
      }
    }
    ring.values[tail & k_ring_mask] = value;
    ring.tail.store(tail + 1, std::memory_order_release);
    if (++entry->unflushed >= state_->options.check_every) {
      entry->unflushed = 0;
      state_->flush(*entry->operation, /*wait=*/false, reports);
    }
    // From here on `entry` is not used: a callback may record other operations and evict it.
    if (!reports.empty()) state_->deliver(reports);
  } catch (...) {
    // Allocation failure: the sample is lost, the service is not.
  }
}

bool RegressionMonitor::set_baseline(std::string_view name, std::span<const double> samples) noexcept {
  if (!state_) return false;
  try {
    Operation* operation = state_->find_or_create(name);
    if (operation == nullptr) return false;
    State::Reports reports;
    bool accepted = false;
    {
      std::lock_guard lock(operation->mutex);
      state_->fold(*operation, reports);  // samples recorded before this call belong to the old baseline
      accepted = operation->detector.set_baseline(samples);
      if (accepted) {
        operation->baseline.clear();
        for (double value : samples)
          if (value > 0.0 && std::isfinite(value)) operation->baseline.push_back(value);
        const std::size_t keep = state_->options.baseline_size;
        if (operation->baseline.size() > keep)
          operation->baseline.erase(operation->baseline.begin(), operation->baseline.end() - static_cast<long>(keep));
        operation->recent.clear();
      }
    }
    state_->deliver(reports);
    return accepted;
  } catch (...) {
    return false;
  }
}

std::optional<RegressionReport> RegressionMonitor::check(std::string_view name) const noexcept {
  if (!state_) return std::nullopt;
  try {
    Operation* operation = state_->find(name);
    if (operation == nullptr) return std::nullopt;
    State::Reports reports;
    std::optional<RegressionReport> now;
    {
      std::lock_guard lock(operation->mutex);
      state_->fold(*operation, reports);
      if (operation->detector.warmed_up()) now = state_->report(*operation, verdict_of(operation->detector.episode()));
    }
    state_->deliver(reports);  // an episode opened by the folded samples is reported as record() would
    return now;
  } catch (...) {
    return std::nullopt;
  }
}

std::uint64_t RegressionMonitor::dropped_samples() const noexcept {
  return state_ ? state_->dropped.load(std::memory_order_relaxed) : 0;
}

std::uint64_t RegressionMonitor::episodes(std::string_view name) const noexcept {
  if (!state_) return 0;
  try {
    Operation* operation = state_->find(name);
    if (operation == nullptr) return 0;
    std::lock_guard lock(operation->mutex);
    return operation->episodes;
  } catch (...) {
    return 0;
  }
}

}  // namespace hone
