// What one gateway I/O lane counts on the hot path. Every figure has a single writer, the
// lane's thread, so a count costs a plain add instead of a shared atomic read-modify-write;
// the node folds the lanes together when it is scraped.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace rtd::metrics {

/// A count with one writer thread. The increment is a relaxed load and a relaxed store, not a
/// read-modify-write: on x86-64 it compiles to the same plain add as a `uint64_t` (no lock
/// prefix), while a reader on another thread, which a plain integer would race with, reads
/// whole values that never go down.
class lane_counter {
public:
  /// The writer thread only.
  void add(std::uint64_t n = 1) {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  /// Any thread.
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> value_{0};
};

/// Upper bounds of the publish-to-socket latency buckets, in nanoseconds: 50 us to 5 s. A last
/// bucket, +Inf, takes what is slower.
inline constexpr std::array<std::int64_t, 16> latency_bounds_ns{
    50'000,      100'000,       250'000,       500'000,      1'000'000,   2'500'000,
    5'000'000,   10'000'000,    25'000'000,    50'000'000,   100'000'000, 250'000'000,
    500'000'000, 1'000'000'000, 2'500'000'000, 5'000'000'000};

/// Samples per bucket, not cumulative; the last is +Inf.
using latency_counts = std::array<std::uint64_t, latency_bounds_ns.size() + 1>;

/// A latency histogram with one writer thread, made of lane_counters.
class lane_histogram {
public:
  /// The writer thread only. `samples` sockets that waited `latency` each; a negative latency
  /// counts as zero.
  void observe(std::chrono::nanoseconds latency, std::uint64_t samples = 1) {
    auto ns = std::max<std::int64_t>(latency.count(), 0);
    // A sample on a bound belongs to that bound's bucket (Prometheus buckets are `le`).
    auto bucket = std::lower_bound(latency_bounds_ns.begin(), latency_bounds_ns.end(), ns) -
                  latency_bounds_ns.begin();
    buckets_[static_cast<std::size_t>(bucket)].add(samples);
    sum_ns_.add(static_cast<std::uint64_t>(ns) * samples);
  }

  /// Any thread.
  latency_counts counts() const {
    latency_counts counts{};
    for (std::size_t i = 0; i < counts.size(); ++i)
      counts[i] = buckets_[i].value();
    return counts;
  }

  /// Any thread: the sum of every sample, in nanoseconds.
  std::uint64_t sum_ns() const { return sum_ns_.value(); }

private:
  std::array<lane_counter, latency_counts{}.size()> buckets_;
  lane_counter sum_ns_;
};

/// What a lane has counted so far, or the sum over lanes.
struct lane_totals {
  std::uint64_t received = 0;     ///< client frames read
  std::uint64_t sent = 0;         ///< frames written to sockets
  std::uint64_t sent_bytes = 0;   ///< payload bytes of those frames
  std::uint64_t delivered = 0;    ///< publication frames handed to connections
  std::uint64_t rate_limited = 0; ///< client frames dropped by the rate limit
  latency_counts latency{};       ///< publish-to-socket samples per bucket
  std::uint64_t latency_sum_ns = 0;

  lane_totals& operator+=(const lane_totals& other);
};

/// The hot-path figures of one I/O lane. Every writing member is for the lane's own thread
/// only (the one that runs its io_context); read() is for any thread. Aligned to a cache line
/// so that two lanes never write to the same line.
class alignas(64) lane_metrics {
public:
  /// `messages` client frames read from sockets, rate-limited ones included.
  void received(std::uint64_t messages = 1) { received_.add(messages); }

  /// `frames` frames written to sockets, `bytes` bytes of payload in all.
  void sent(std::uint64_t frames, std::uint64_t bytes) {
    sent_.add(frames);
    sent_bytes_.add(bytes);
  }

  /// `frames` publication frames handed to connections' outbound queues.
  void delivered(std::uint64_t frames = 1) { delivered_.add(frames); }

  /// `messages` client frames dropped by the rate limit.
  void rate_limited(std::uint64_t messages = 1) { rate_limited_.add(messages); }

  /// `sockets` connections had a publication's frame handed to them `latency` after it was
  /// published (one batch of a delivery may be observed at once).
  void observe_publish_latency(std::chrono::nanoseconds latency, std::uint64_t sockets = 1) {
    latency_.observe(latency, sockets);
  }

  /// Any thread: the figures so far.
  lane_totals read() const;

private:
  lane_counter received_;
  lane_counter sent_;
  lane_counter sent_bytes_;
  lane_counter delivered_;
  lane_counter rate_limited_;
  lane_histogram latency_;
};

} // namespace rtd::metrics
