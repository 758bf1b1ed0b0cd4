// A session's alerts: `set_alert` and `remove_alert`, and their evaluation. While it has alerts
// on market fields the session is a listener of the market_data channel, while it has alerts
// on analytics one of the analytics actor (each tells listeners after its subscribers got the
// update, so a triggered alert arrives after the update that triggered it), and its live
// calculations' jobs tell it each result (the session evaluates it once the calculations
// channel has handled the update, for the same order). Part of the session actor.
#pragma once

#include "actors/session.hpp"

namespace rtd {

using session_pointer = session_actor::stateful_pointer<session_state>;

void set_alert(session_pointer self, const protocol::correlation_id& id,
               protocol::set_alert_request& req);

void remove_alert(session_pointer self, const protocol::correlation_id& id,
                  const protocol::remove_alert_request& req);

/// Evaluates the session's alerts on market fields, sending the client those that fire.
void observe_market(session_pointer self, const market_step& step);

/// Evaluates the session's alerts on analytics figures.
void observe_analytics(session_pointer self, const protocol::analytics_update& update);

/// Keeps track of the session's live calculations; evaluates the alerts on a result, and ends
/// those on a calculation that ended (telling the client with an unasked `alert_removed`).
void observe_live(session_pointer self, live_calculation_event& event);

} // namespace rtd
