// The system monitor actor: every interval gathers the node's health figures (traffic counters,
// subscribers per channel, calculations, memory, the cluster's members, the history store) and
// publishes them as `system_status` on `system`: "degraded", with the reasons, while the history
// cannot be written or a component says so on the health board.
#pragma once

#include "actors/health_board.hpp"
#include "actors/interfaces.hpp"
#include "actors/traffic_counters.hpp"
#include "metrics/node_metrics.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace rtd {

struct system_monitor_config {
  std::chrono::milliseconds interval{5000};
  std::string node;
};

struct system_monitor_state {
  static inline const char* name = "system_monitor";

  system_monitor_config config;
  channel_set channels;
  calculation_service_actor calculations;
  cluster_actor cluster;
  history_store_actor history; ///< null: no history on disk
  std::shared_ptr<const traffic_counters> traffic;
  std::shared_ptr<const metrics::node_metrics> metrics; ///< for the message rates
  std::shared_ptr<const health_board> health;
  std::chrono::steady_clock::time_point started;

  /// The status being gathered; published when every channel has answered.
  protocol::system_status draft;
  std::size_t awaited_replies = 0;

  /// Counter values at the previous publication, for per-second rates.
  std::chrono::steady_clock::time_point last_time;
  std::uint64_t last_in = 0;
  std::uint64_t last_out = 0;
};

/// Publishes a first status at once, then one per interval.
system_monitor_actor::behavior_type
system_monitor(system_monitor_actor::stateful_pointer<system_monitor_state> self,
               system_monitor_config config, channel_set channels,
               calculation_service_actor calculations, cluster_actor cluster,
               history_store_actor history, std::shared_ptr<const traffic_counters> traffic,
               std::shared_ptr<const metrics::node_metrics> metrics,
               std::shared_ptr<const health_board> health);

} // namespace rtd
