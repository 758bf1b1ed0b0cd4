// The node's side of the cluster: CAF's middleman (and its OpenSSL module for TLS links)
// configured from the cluster options, and the cluster actor published on the cluster port.
#pragma once

#include "actors/cluster.hpp"

#include <caf/fwd.hpp>

#include <string>

namespace rtd {

/// Checks the cluster options and, for a clustered node, loads the middleman (and OpenSSL)
/// with heartbeats and the connection timeout set from `cluster.timeout`. Before the actor
/// system is built. Returns an error message naming the bad option, or an empty string.
std::string configure_cluster(caf::actor_system_config& config, const cluster_config& cluster);

/// Spawns the cluster actor and, for a clustered node, publishes it on the cluster port and
/// starts it joining; throws std::runtime_error when the port cannot be bound.
cluster_actor start_cluster(caf::actor_system& system, const cluster_config& config,
                            cluster_links links);

} // namespace rtd
