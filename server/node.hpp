// One rtd node: its actors and its gateway, started and stopped together.
#pragma once

#include "gateway/gateway.hpp"
#include "server/options.hpp"

#include <caf/fwd.hpp>

#include <memory>
#include <vector>

namespace rtd {

class node {
public:
  /// Spawns the actors and starts the gateway; throws std::runtime_error when the gateway
  /// cannot listen (after stopping what it had spawned).
  node(caf::actor_system& system, const server_options& options);

  /// The port the gateway listens on.
  std::uint16_t port() const { return port_; }

  /// Closes every client with 1001, then stops every actor.
  void stop();

private:
  caf::actor_system& system_;
  std::vector<caf::actor> actors_; ///< everything to stop, the gateway excluded
  std::shared_ptr<calculation_pool> calculation_pool_;
  gateway_actor gateway_;
  std::uint16_t port_ = 0;
};

} // namespace rtd
