// Timeline capture for profiling zones, private to runtime/profiling (public API: start_trace() and
// friends in hone/profiling.h).
//
// One buffer of fixed-size chunks is allocated when a trace starts. A thread claims a whole chunk
// with one atomic increment and then fills it alone, so recording an event is two stores and a
// release store of the chunk's fill count: no lock, no allocation, and no cache line shared with
// another writer. When no chunk is left the thread counts its events as dropped; memory never grows.
#pragma once

#include "recorder.h"

#include <atomic>
#include <cstdint>

namespace hone::profiling::detail {

// An event packs the duration and the site id into one word: 12 bits of site, 52 of duration ticks
// (over a year at 100 GHz), so a chunk of 256 events is exactly 4 KiB of events.
inline constexpr unsigned k_trace_site_bits = 12;
static_assert((std::uint32_t{1} << k_trace_site_bits) == k_max_sites, "site ids must fit the event");
inline constexpr std::uint32_t k_trace_chunk_events = 256;

struct TraceEvent {
  std::uint64_t start_ticks;
  std::uint64_t duration_and_site;  // duration << k_trace_site_bits | site
};

struct TraceChunk {
  // Events written so far; stored with release by the owning thread after each event, so a reader
  // that loads it with acquire sees those events and the fields below.
  std::atomic<std::uint32_t> used{0};
  std::uint32_t thread_index = 0;  // ThreadState::index of the claiming thread
  std::int64_t os_thread_id = 0;   // gettid() of the claiming thread: the trace's "tid"
  TraceEvent events[k_trace_chunk_events];
};

extern constinit std::atomic<bool> g_tracing;

// Records one closed zone for `state`'s thread (called by Zone::end only while g_tracing is set).
void record_trace_event(ThreadState& state, std::uint32_t site, std::uint64_t start_ticks,
                        std::uint64_t duration_ticks) noexcept;

// HONE_PROFILE_TRACE=path: starts a trace to be written by write_trace_output() (outputs.h arranges
// when). True if a trace was asked for and started. Called once, while the registry is being created
// (so it must not call registry()).
bool start_trace_from_environment() noexcept;

// Stops the trace started by start_trace_from_environment() and writes it to its path, with one line
// on stderr saying how many events it holds (or why it could not be written).
void write_trace_output() noexcept;

}  // namespace hone::profiling::detail
