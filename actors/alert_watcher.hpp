// The alert watcher actor: one per node when alerts are configured on the server. Follows
// market_data through the channel's listeners and publishes each alert that fires on the
// `notifications` channel, for every subscriber (unlike a session's own alerts). In a cluster
// every node's watches the relayed steps and the leader's alone publishes, so that an alert
// fires once in the cluster.
#pragma once

#include "actors/alert_book.hpp"
#include "actors/interfaces.hpp"

#include <vector>

namespace rtd {

struct alert_watcher_state {
  static inline const char* name = "alert_watcher";

  alert_book alerts{0};
  channel_actor notifications;
  bool publishing = true; ///< false while another node leads
};

using alert_watcher_actor = market_listener_actor::extend<
    // The cluster's membership: publishes unless another node leads.
    caf::reacts_to<cluster_view>>;

/// Watches `alerts`; joins `market_data`'s listeners itself.
alert_watcher_actor::behavior_type
alert_watcher(alert_watcher_actor::stateful_pointer<alert_watcher_state> self,
              std::vector<alert> alerts, channel_actor market_data, channel_actor notifications);

} // namespace rtd
