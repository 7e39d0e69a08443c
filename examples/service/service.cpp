// hone-service-example: a small request-serving program that uses the runtime the way a service does,
// and is stopped the way services are stopped: by a signal (Ctrl-C, or SIGTERM from a supervisor).
//
// An acceptor thread makes synthetic requests (a seeded generator, so every run does the same work)
// and queues them; worker threads take them, parse them into tokens and answer them against a small
// in-memory table. What it shows:
//  - ObjectPool: requests come from one pool and go back to it on whichever worker finishes them;
//    response buffers come from a second pool in recycling mode, so their capacity is reused.
//  - Profiling zones on every stage ("accept", "handle request", "parse", "lookup", "respond"), one
//    named at run time by the request's verb ("get", "put"), a named thread per role, and the trace
//    extras: the queue depth as a counter, the response size as a zone value, a frame mark every
//    1000 requests and a message when the monitor reports. Run it with HONE_PROFILE=1 and/or
//    HONE_PROFILE_TRACE=trace.json, stop it with Ctrl-C or SIGTERM, and the report and trace are
//    still written (docs/runtime.md, "Services").
//  - Allocation tracking (linked with hone::alloc_tracking): a status line every 200 ms with the
//    requests served and the process's allocations, and the allocations of one request measured with
//    an AllocScope.
//  - A RegressionMonitor timing "handle request": with --slow-after N, requests after the N-th do four
//    times the work, and the monitor's callback reports the regression on stderr.
// Options: --workers N (default 4), --ready-file PATH (created once --ready-after requests, default
// 2000, were served and, with --slow-after, the regression was reported: lets a test know when to send
// the signal), --slow-after N. Without a signal it runs until killed.
#include <hone/alloc_tracking.h>
#include <hone/object_pool.h>
#include <hone/profiling.h>
#include <hone/regression_monitor.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

struct Options {
  int workers = 4;
  const char* ready_file = nullptr;
  std::uint64_t ready_after = 2000;
  std::uint64_t slow_after = 0;  // 0: never
};

// One request: a key to look up and a few words of payload to parse, with the sequence number that
// decides (with --slow-after) how much work it costs.
struct Request {
  std::uint64_t sequence = 0;
  std::uint32_t key = 0;
  char payload[96] = {};
};

std::atomic<std::uint64_t> g_served{0};
std::atomic<bool> g_regression_reported{false};

// A queue of requests between the acceptor and the workers. Bounded, so a slow worker pool slows the
// acceptor instead of growing memory.
class RequestQueue {
public:
  void push(hone::PoolHandle<Request> request) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < 256; });
    queue_.push_back(std::move(request));
    HONE_COUNTER("queue depth", queue_.size());  // a counter track in the trace
    not_empty_.notify_one();
  }
  hone::PoolHandle<Request> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty(); });
    hone::PoolHandle<Request> request = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return request;
  }

private:
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<hone::PoolHandle<Request>> queue_;
};

void accept_requests(hone::ObjectPool<Request>& requests, RequestQueue& queue) {
  hone::profiling::set_thread_name("acceptor");
  std::uint64_t state = 0x9e3779b97f4a7c15u;  // xorshift: the same requests on every run
  for (std::uint64_t sequence = 1;; ++sequence) {
    HONE_ZONE("accept");
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    hone::PoolHandle<Request> request = requests.make();
    if (!request) continue;  // out of memory: drop this request, as a loaded service would
    request->sequence = sequence;
    request->key = static_cast<std::uint32_t>(state % 1024);
    std::snprintf(request->payload, sizeof request->payload, "%s %u fields a b c d e f %llu",
                  request->key % 4 == 0 ? "put" : "get", request->key, static_cast<unsigned long long>(state >> 40));
    queue.push(std::move(request));
  }
}

std::vector<std::string> parse(const Request& request) {
  HONE_ZONE("parse");
  std::vector<std::string> tokens;
  const char* start = request.payload;
  for (const char* p = request.payload;; ++p) {
    if (*p == ' ' || *p == '\0') {
      if (p != start) tokens.emplace_back(start, p);
      if (*p == '\0') break;
      start = p + 1;
    }
  }
  return tokens;
}

// Work proportional to `rounds`: the "database" lookup. volatile keeps the compiler from folding it.
// It is most of a request's time in every build, so --slow-after's four rounds make requests clearly
// slower even under ThreadSanitizer, where the rest of a request (queue, pools, strings) costs several
// times more than in a plain build: with a smaller lookup, the regression there was a +20 % step
// against a warm-up baseline inflated by start-up and was reported only after up to 2 million requests.
std::uint64_t lookup(std::uint32_t key, int rounds) {
  HONE_ZONE("lookup");
  volatile std::uint64_t value = key;
  for (int i = 0; i < rounds * 10000; ++i) value = value * 6364136223846793005u + 1442695040888963407u;
  return value;
}

void serve(const Options& options, RequestQueue& queue, hone::ObjectPool<std::string>& responses,
           hone::RegressionMonitor& monitor, int worker) {
  const std::string name = "worker " + std::to_string(worker);
  hone::profiling::set_thread_name(name.c_str());
  for (;;) {
    hone::PoolHandle<Request> request = queue.pop();
    const auto start = std::chrono::steady_clock::now();
    {
      HONE_ZONE("handle request");
      const bool slow = options.slow_after != 0 && request->sequence > options.slow_after;
      hone::AllocScope scope;
      const std::vector<std::string> tokens = parse(*request);
      // A zone named at run time, by the request's verb ("get" or "put"): one report row per verb.
      HONE_ZONE_DYNAMIC(tokens.empty() ? std::string_view("?") : std::string_view(tokens[0]));
      const std::uint64_t value = lookup(request->key, slow ? 4 : 1);
      HONE_ZONE("respond");
      hone::PoolHandle<std::string> response = responses.acquire();
      if (response) {
        response->assign(tokens.empty() ? "?" : tokens[0]);
        *response += ' ';
        *response += std::to_string(value % 1000);
        HONE_ZONE_VALUE(response->size());  // the trace shows it in the "respond" zone's args
      }
      if (request->sequence == 1000) {
        std::printf("request 1000: %zu tokens, %llu allocations while handling it\n", tokens.size(),
                    static_cast<unsigned long long>(scope.stats().allocations));
        std::fflush(stdout);
      }
    }
    monitor.record(
        "handle request",
        static_cast<double>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count()));
    if (g_served.fetch_add(1, std::memory_order_relaxed) % 1000 == 999) HONE_FRAME_MARK("1000 requests");
  }
}

// Returns 0 when every option parsed, else the index of the argument that did not.
int parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; i += 2) {  // every option takes a value
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    char* end = nullptr;
    if (std::strcmp(argv[i], "--workers") == 0 && value != nullptr) {
      options.workers = static_cast<int>(std::strtol(value, &end, 10));
      if (*end != '\0' || options.workers < 1 || options.workers > 64) return i;
    } else if (std::strcmp(argv[i], "--ready-file") == 0 && value != nullptr) {
      options.ready_file = value;
    } else if (std::strcmp(argv[i], "--ready-after") == 0 && value != nullptr) {
      options.ready_after = std::strtoull(value, &end, 10);
      if (*end != '\0') return i;
    } else if (std::strcmp(argv[i], "--slow-after") == 0 && value != nullptr) {
      options.slow_after = std::strtoull(value, &end, 10);
      if (*end != '\0') return i;
    } else {
      return i;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const int bad = parse_options(argc, argv, options); bad != 0) {
    std::fprintf(
        stderr,
        "hone-service-example: error: bad option or value at '%s'\n"
        "usage: hone-service-example [--workers 1-64] [--ready-file PATH] [--ready-after N] [--slow-after N]\n",
        argv[bad]);
    return 2;
  }
  {
    HONE_ZONE("start up");  // starts the profiler: from here SIGINT/SIGTERM write its outputs
  }
  std::printf("hone-service-example: %d workers, allocation tracking: %s\n", options.workers,
              hone::alloc_tracking_kind());
  std::fflush(stdout);

  hone::ObjectPool<Request> requests;
  hone::ObjectPoolOptions<std::string> response_options;
  response_options.reset = [](std::string& response) { response.clear(); };  // keep the capacity
  hone::ObjectPool<std::string> responses(response_options);
  hone::RegressionMonitor monitor({}, [](const hone::RegressionReport& report) {
    std::fprintf(stderr, "hone-service-example: regression in '%s' after %zu samples of baseline\n",
                 report.operation.c_str(), report.baseline_samples);
    HONE_MESSAGE("regression in " + report.operation);  // an instant event in the trace
    g_regression_reported = true;
  });

  RequestQueue queue;
  std::vector<std::thread> threads;
  threads.emplace_back(accept_requests, std::ref(requests), std::ref(queue));
  for (int w = 1; w <= options.workers; ++w) {
    threads.emplace_back(serve, std::cref(options), std::ref(queue), std::ref(responses), std::ref(monitor), w);
  }
  // The main thread reports progress until the process is stopped; it never joins the threads.
  bool ready = false;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const hone::AllocStats allocations = hone::alloc_stats();
    const std::uint64_t served = g_served.load(std::memory_order_relaxed);
    std::printf("served %llu requests; %llu allocations, %lld bytes held\n", static_cast<unsigned long long>(served),
                static_cast<unsigned long long>(allocations.allocations),
                static_cast<long long>(allocations.current_bytes));
    std::fflush(stdout);
    if (!ready && options.ready_file != nullptr && served >= options.ready_after &&
        (options.slow_after == 0 || g_regression_reported)) {
      ready = true;
      if (std::FILE* file = std::fopen(options.ready_file, "w"); file != nullptr) std::fclose(file);
    }
  }
}
