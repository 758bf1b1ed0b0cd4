// The session actor: one per WebSocket client. Turns the client's requests into messages to
// channels and answers the ones it can itself (ping). The gateway ends it when the client goes.
#pragma once

#include "actors/interfaces.hpp"

#include <memory>
#include <string>

namespace rtd {

/// What every session of a node shares.
struct session_context {
  channel_set channels;
  calculation_service_actor calculations;
  std::string node; ///< this node's name, for `welcome`
};

struct session_state {
  static inline const char* name = "session";

  std::shared_ptr<const session_context> context;
  frame_sink_ptr sink; ///< the client's connection
  std::string id;      ///< the `session_id` sent in `welcome`
};

/// Sends `welcome` at once, then serves the client's messages.
session_actor::behavior_type session(session_actor::stateful_pointer<session_state> self,
                                     std::shared_ptr<const session_context> context,
                                     frame_sink_ptr sink, std::string session_id);

} // namespace rtd
