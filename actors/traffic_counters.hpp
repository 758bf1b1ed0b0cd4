// Process-wide connection counts, written by the gateway's I/O threads and read by the system
// monitor (message counts are per lane: metrics/lane_metrics.hpp). Relaxed atomics: the figures are
// statistics, not synchronisation.
#pragma once

#include <atomic>
#include <cstdint>

namespace rtd {

struct traffic_counters {
  std::atomic<std::uint64_t> connections_active{0};
  std::atomic<std::uint64_t> connections_total{0};
};

} // namespace rtd
