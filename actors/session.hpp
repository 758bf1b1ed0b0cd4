// The session actor: one per WebSocket client. Turns the client's requests into messages to
// channels and the calculation service, enforces authentication and roles, and owns what the
// client set up (subscriptions through the channels' monitors, calculations through the
// service's). The gateway sends `welcome` itself, before any frame of the session, and ends
// the session when the client goes.
#pragma once

#include "actors/interfaces.hpp"
#include "auth/jwt_verifier.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

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
};

struct session_state {
  static inline const char* name = "session";

  // Kept small: a node holds one session per client.
  std::shared_ptr<const session_context> context;
  frame_sink_ptr sink;                  ///< the client's connection
  std::unique_ptr<auth::claims> claims; ///< of the token the client presented, while valid
  std::uint64_t auth_generation = 0;    ///< invalidates timers set for an earlier token
};

/// Serves the client's messages; `verified` is what the upgrade request's token gave.
session_actor::behavior_type session(session_actor::stateful_pointer<session_state> self,
                                     std::shared_ptr<const session_context> context,
                                     frame_sink_ptr sink, auth::verification verified);

} // namespace rtd
