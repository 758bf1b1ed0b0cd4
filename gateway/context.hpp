// What every connection of the gateway shares. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/connection_registry.hpp"
#include "gateway/gateway.hpp"
#include "gateway/io_lane.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

namespace rtd {

struct gateway_context {
  gateway_context(gateway_config config, gateway_dependencies deps, caf::actor_system& system);

  gateway_config config;
  gateway_dependencies deps;
  caf::actor_system& system;
  /// One per I/O thread. Here rather than in io_server so that they outlive every connection:
  /// actors may drop the last reference to a connection (and its socket) after the gateway
  /// has stopped.
  std::vector<std::unique_ptr<io_lane>> lanes;
  connection_registry connections;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> next_session{1};
  std::atomic<bool> accepting{true}; ///< false once shutdown began (GET /ready says 503)

  /// Reports a server event on the `notifications` channel (throttled by the notifier).
  void notify(protocol::notification_level level, std::string message) const;
};

} // namespace rtd
