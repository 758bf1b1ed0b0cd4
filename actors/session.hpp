// The session actor: one per WebSocket client. Turns the client's requests into messages to
// channels and the calculation service, enforces authentication and roles, and owns what the
// client set up (subscriptions through the channels' monitors, calculations through the
// service's, its alerts itself). The gateway sends `welcome` itself, before any frame of the
// session, and ends the session when the client goes.
#pragma once

#include "actors/alert_book.hpp"
#include "actors/interfaces.hpp"
#include "auth/jwt_verifier.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtd {

/// What every session of a node shares.
struct session_context {
  channel_set channels;
  calculation_service_actor calculations;
  std::string node;                                   ///< this node's name, for `welcome`
  std::shared_ptr<const auth::jwt_verifier> verifier; ///< null: authentication not configured
  bool require_auth = false;
  /// After `unauthorized` (no token, a bad or an expired one): time to send `auth` before
  /// the close with 1008.
  std::chrono::milliseconds auth_grace{10000};
  std::size_t max_alerts = 20; ///< per session
  analytics_actor analytics;   ///< followed while a session has alerts on analytics
};

/// A session's alerts, what they follow, and the last values they saw (to evaluate a new
/// alert at once).
struct session_alert_state {
  explicit session_alert_state(std::size_t max_alerts) : book(max_alerts) {}
  alert_book book;
  bool follows_market = false;    ///< a listener of market_data
  bool follows_analytics = false; ///< a listener of the analytics actor
  std::optional<protocol::market_snapshot> market;
  std::optional<protocol::analytics_update> analytics;
};

/// One of the session's live calculations, as its job reported it.
struct live_calculation {
  std::string calculation_id;
  std::uint64_t job = 0;
  protocol::calculation_type type = protocol::calculation_type::npv;
  std::optional<std::string> result; ///< the latest, for an alert set on it
};

struct session_state {
  static inline const char* name = "session";

  // Kept small: a node holds one session per client.
  std::shared_ptr<const session_context> context;
  frame_sink_ptr sink;                  ///< the client's connection
  std::unique_ptr<auth::claims> claims; ///< of the token the client presented, while valid
  std::uint64_t auth_generation = 0;    ///< invalidates timers set for an earlier token
  /// The client's alerts, from its first one on (most clients set none); while there are
  /// any, the session follows what they watch.
  std::unique_ptr<session_alert_state> alerts;
  std::vector<live_calculation> live; ///< its live calculations, for alerts on their results
};

/// Serves the client's messages; `verified` is what the upgrade request's token gave.
session_actor::behavior_type session(session_actor::stateful_pointer<session_state> self,
                                     std::shared_ptr<const session_context> context,
                                     frame_sink_ptr sink, auth::verification verified);

} // namespace rtd
