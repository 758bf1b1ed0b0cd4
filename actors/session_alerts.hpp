// A session's alerts: `set_alert` and `remove_alert`, and their evaluation on each market
// step, which the session receives from the market_data channel while it has any alert (the
// channel sends it after the step's market_update reached the lanes, so a triggered alert
// arrives after the update that triggered it). Part of the session actor.
#pragma once

#include "actors/session.hpp"

namespace rtd {

using session_pointer = session_actor::stateful_pointer<session_state>;

void set_alert(session_pointer self, const protocol::correlation_id& id,
               protocol::set_alert_request& req);

void remove_alert(session_pointer self, const protocol::correlation_id& id,
                  const protocol::remove_alert_request& req);

/// Evaluates the session's alerts on a market step, sending the client those that fire.
void observe_market(session_pointer self, const market_step& step);

} // namespace rtd
