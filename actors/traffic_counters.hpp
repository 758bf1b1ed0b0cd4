// Process-wide traffic counters, written by the gateway's I/O threads and read by the system
// monitor. Relaxed atomics: the figures are statistics, not synchronisation.
#pragma once

#include <atomic>
#include <cstdint>

namespace rtd {

struct traffic_counters {
  std::atomic<std::uint64_t> connections_active{0};
  std::atomic<std::uint64_t> connections_total{0};
  std::atomic<std::uint64_t> messages_in{0};  ///< client frames received
  std::atomic<std::uint64_t> messages_out{0}; ///< frames written to clients
  std::atomic<std::uint64_t> bytes_out{0};    ///< bytes written to clients
};

} // namespace rtd
