// The Redis bridge actor: rtd's channels and Redis's pub/sub joined, for the programs around
// rtd that speak Redis. It owns the bridge's thread (redis_link) and acts as an internal
// client of the node: a normal session, whose frame_sink is the link's redis_sink, subscribes
// to every egress channel with conflate=false, so the channels deliver to Redis exactly as to
// a WebSocket client (same frames, same seq/epoch) and never wait for it. Ingest goes the other
// way: what the link passes on is validated like POST /api/notifications and published
// through the notifier, with the channel's normal seq/epoch and history.
#pragma once

#include "actors/health_board.hpp"
#include "actors/interfaces.hpp"
#include "actors/log_throttle.hpp"
#include "actors/redis_config.hpp"
#include "actors/redis_counters.hpp"
#include "actors/session.hpp"

#include <memory>

namespace rtd {

class redis_link;

/// What the bridge works with.
struct redis_bridge_dependencies {
  notifier_actor notifier;
  std::shared_ptr<const session_context> sessions; ///< for the bridge's own session
  std::shared_ptr<redis_counters> counters;
  std::shared_ptr<health_board> health;
};

struct redis_bridge_state {
  static inline const char* name = "redis_bridge";

  redis_bridge_state();
  ~redis_bridge_state(); ///< stops the link's thread

  notifier_actor notifier;
  std::shared_ptr<redis_counters> counters;
  session_actor session; ///< the internal client whose sink is the link's; linked
  log_throttle invalid_warnings{std::chrono::seconds(10)};
  std::unique_ptr<redis_link> link; ///< last: stopped first
};

/// Starts the link (it connects, and keeps reconnecting, on its own thread) and the session.
redis_bridge_actor::behavior_type
redis_bridge(redis_bridge_actor::stateful_pointer<redis_bridge_state> self,
             redis_bridge_config config, redis_bridge_dependencies deps);

} // namespace rtd
