// The Redis bridge's figures: kept as atomics by the bridge (its thread and its actor), read
// by GET /metrics.
#pragma once

#include "metrics/node_metrics.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

namespace rtd {

/// The bridge's two connections.
enum class redis_role : std::uint8_t { publish, subscribe };

struct redis_counters {
  std::array<std::atomic<bool>, 2> connected{}; ///< indexed by redis_role
  std::atomic<std::uint64_t> published{0};      ///< PUBLISHes Redis answered
  std::atomic<std::uint64_t> streamed{0};       ///< XADDs Redis answered
  std::atomic<std::uint64_t> queue_full{0};     ///< frames dropped: too many in flight
  std::atomic<std::uint64_t> disconnected{0};   ///< frames dropped: the connection was down
  /// Commands refused by Redis, or lost with the connection before their reply.
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> ingested{0};     ///< messages from Redis published into rtd
  std::atomic<std::uint64_t> invalid{0};      ///< refused by validation or the size limit
  std::atomic<std::uint64_t> rate_limited{0}; ///< dropped over the ingest rate or pending bound
  /// Ingest messages handed to the actor and not yet published (or refused).
  std::atomic<std::uint64_t> ingest_pending{0};

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
};

/// Registers every counter as a source of `metrics` (rtd_redis_*); the subscribe
/// connection's gauge only when `ingesting` (without ingest channels there is none).
void register_redis_metrics(metrics::node_metrics& metrics,
                            std::shared_ptr<const redis_counters> counters, bool ingesting);

} // namespace rtd
