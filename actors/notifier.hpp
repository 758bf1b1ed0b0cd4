// The notifier actor: publishes notifications on the `notifications` channel. The server's own
// events (clients closed for limits, ...) are throttled per window so that an event storm,
// say a thousand slow clients at once, becomes a handful of notifications and one summary.
#pragma once

#include "actors/interfaces.hpp"

#include <chrono>
#include <cstdint>

namespace rtd {

struct notifier_config {
  std::uint32_t max_events_per_window = 10; ///< server events published per window
  std::chrono::milliseconds window{1000};
};

struct notifier_state {
  static inline const char* name = "notifier";

  notifier_config config;
  channel_actor notifications;
  bool window_open = false;
  std::uint32_t published_in_window = 0;
  std::uint64_t suppressed_in_window = 0;
};

notifier_actor::behavior_type notifier(notifier_actor::stateful_pointer<notifier_state> self,
                                       notifier_config config, channel_actor notifications);

} // namespace rtd
