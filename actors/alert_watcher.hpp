// The alert watcher actor: one per node when alerts are configured on the server. Follows
// market_data through the channel's listeners and publishes each alert that fires on the
// `notifications` channel, for every subscriber (unlike a session's own alerts).
#pragma once

#include "actors/alert_book.hpp"
#include "actors/interfaces.hpp"

#include <vector>

namespace rtd {

struct alert_watcher_state {
  static inline const char* name = "alert_watcher";

  alert_book alerts{0};
  channel_actor notifications;
};

/// Watches `alerts`; joins `market_data`'s listeners itself.
market_listener_actor::behavior_type
alert_watcher(market_listener_actor::stateful_pointer<alert_watcher_state> self,
              std::vector<alert> alerts, channel_actor market_data, channel_actor notifications);

} // namespace rtd
