// The issue 8 RegressionMonitor, the side-by-side baseline of regression_bench (see
// regression_monitor_v1.h). Unchanged apart from the namespace.
#include "regression_monitor_v1.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace hone_bench::v1 {
namespace {

// A fixed-capacity ring buffer of doubles: the most recent `capacity` values.
class Ring {
public:
  explicit Ring(std::size_t capacity) : values_(capacity) {}
  void push(double value) {
    values_[next_] = value;
    next_ = (next_ + 1) % values_.size();
    size_ = std::min(size_ + 1, values_.size());
  }
  void clear() { next_ = size_ = 0; }
  std::size_t size() const { return size_; }
  bool full() const { return size_ == values_.size(); }
  std::vector<double> copy() const {  // oldest first
    std::vector<double> out;
    out.reserve(size_);
    const std::size_t start = (next_ + values_.size() - size_) % values_.size();
    for (std::size_t i = 0; i < size_; ++i) out.push_back(values_[(start + i) % values_.size()]);
    return out;
  }

private:
  std::vector<double> values_;
  std::size_t next_ = 0;
  std::size_t size_ = 0;
};

constexpr std::size_t k_min_window = 3;  // below this no two-sided test reaches alpha = 0.05

}  // namespace

struct RegressionMonitor::State {
  struct Operation {
    Operation(std::size_t baseline_size, std::size_t window) : baseline(baseline_size), window(window) {}
    mutable std::mutex mutex;
    Ring baseline;
    Ring window;
    bool baseline_given = false;  // set_baseline: complete even when smaller than baseline_size
    std::size_t since_check = 0;
    std::uint64_t checks = 0;
  };

  RegressionMonitorOptions options;
  Callback callback;
  mutable std::shared_mutex map_mutex;
  std::map<std::string, std::unique_ptr<Operation>, std::less<>> operations;
  std::atomic<std::uint64_t> dropped{0};

  // The operation's state, created on first use; nullptr when over max_operations.
  Operation* find_or_create(std::string_view name) {
    {
      std::shared_lock lock(map_mutex);
      auto it = operations.find(name);
      if (it != operations.end()) return it->second.get();
    }
    std::unique_lock lock(map_mutex);
    auto it = operations.find(name);
    if (it != operations.end()) return it->second.get();
    if (operations.size() >= options.max_operations) return nullptr;
    auto created = std::make_unique<Operation>(options.baseline_size, options.window);
    Operation* raw = created.get();
    operations.emplace(std::string(name), std::move(created));
    return raw;
  }

  const Operation* find(std::string_view name) const {
    std::shared_lock lock(map_mutex);
    auto it = operations.find(name);
    return it == operations.end() ? nullptr : it->second.get();
  }

  static bool baseline_complete(const Operation& operation) {
    return operation.baseline_given ? operation.baseline.size() > 0 : operation.baseline.full();
  }

  RegressionReport compare(std::string_view name, const std::vector<double>& baseline,
                           const std::vector<double>& window, std::uint64_t check_number) const {
    RegressionReport report;
    report.operation = std::string(name);
    report.comparison = hone::stats::compare_samples(baseline, window, options.rule);
    report.baseline_samples = baseline.size();
    report.window_samples = window.size();
    report.check_number = check_number;
    return report;
  }
};

RegressionMonitor::RegressionMonitor(RegressionMonitorOptions options, Callback callback) noexcept {
  options.window = std::max<std::size_t>(options.window, k_min_window);
  options.baseline_size = std::max<std::size_t>(options.baseline_size, k_min_window);
  if (options.check_every == 0) options.check_every = options.window;
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
  if (!state_ || !std::isfinite(value)) return;
  try {
    State::Operation* operation = state_->find_or_create(name);
    if (operation == nullptr) {
      state_->dropped.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    std::vector<double> baseline, window;
    std::uint64_t check_number = 0;
    {
      std::lock_guard lock(operation->mutex);
      if (!State::baseline_complete(*operation)) {
        operation->baseline.push(value);  // still learning the baseline
        return;
      }
      operation->window.push(value);
      if (++operation->since_check < state_->options.check_every || operation->window.size() < k_min_window) return;
      operation->since_check = 0;
      check_number = ++operation->checks;
      baseline = operation->baseline.copy();
      window = operation->window.copy();
    }
    const RegressionReport report = state_->compare(name, baseline, window, check_number);
    const hone::stats::Verdict verdict = report.comparison.verdict;
    const bool wanted = verdict == hone::stats::Verdict::regression ||
                        (verdict == hone::stats::Verdict::improvement && state_->options.report_improvements);
    if (wanted && state_->callback) state_->callback(report);
  } catch (...) {
    // Allocation failure or a throwing callback: the sample or the report is lost, the service is not.
  }
}

bool RegressionMonitor::set_baseline(std::string_view name, std::span<const double> samples) noexcept {
  if (!state_) return false;
  try {
    State::Operation* operation = state_->find_or_create(name);
    if (operation == nullptr) return false;
    std::lock_guard lock(operation->mutex);
    operation->baseline.clear();
    operation->window.clear();
    operation->since_check = 0;
    for (double value : samples)
      if (std::isfinite(value)) operation->baseline.push(value);
    operation->baseline_given = operation->baseline.size() > 0;
    return operation->baseline_given;
  } catch (...) {
    return false;
  }
}

std::optional<RegressionReport> RegressionMonitor::check(std::string_view name) const noexcept {
  if (!state_) return std::nullopt;
  try {
    const State::Operation* operation = state_->find(name);
    if (operation == nullptr) return std::nullopt;
    std::vector<double> baseline, window;
    std::uint64_t checks = 0;
    {
      std::lock_guard lock(operation->mutex);
      if (!State::baseline_complete(*operation) || operation->window.size() < k_min_window) return std::nullopt;
      baseline = operation->baseline.copy();
      window = operation->window.copy();
      checks = operation->checks;
    }
    return state_->compare(name, baseline, window, checks);
  } catch (...) {
    return std::nullopt;
  }
}

std::uint64_t RegressionMonitor::dropped_samples() const noexcept {
  return state_ ? state_->dropped.load(std::memory_order_relaxed) : 0;
}

}  // namespace hone_bench::v1
