#include "actors/session_alerts.hpp"

#include "actors/session_replies.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

const channel_actor& market_data(const session_state& st) {
  return channel_of(st.context->channels, protocol::channel::market_data);
}

market_listener_actor as_listener(session_pointer self) {
  return caf::actor_cast<market_listener_actor>(self);
}

void send_fired(const session_state& st, const std::vector<protocol::alert_details>& fired) {
  for (const auto& f : fired)
    reply(st, protocol::encode_direct(alert_notification(f), protocol::now()));
}

} // namespace

void set_alert(session_pointer self, const protocol::correlation_id& id,
               protocol::set_alert_request& req) {
  auto& st = self->state;
  bool first = !st.alerts;
  if (first)
    st.alerts = std::make_unique<session_alert_state>(st.context->max_alerts);
  auto& alerts = *st.alerts;
  if (alerts.book.set({req.alert_id, req.metric, req.condition, req.threshold}) ==
      alert_book::set_result::full)
    return reply_error(st, id, protocol::error_code::invalid_parameters, "set_alert",
                       "at most " + std::to_string(alerts.book.max()) +
                           " alerts per session: remove one before setting another");
  reply(st, protocol::encode(
                protocol::alert_set{id, req.alert_id, req.metric, req.condition, req.threshold}));
  if (first) // the channel sends the latest step at once: the new alert is evaluated on it
    self->send(market_data(st), caf::join_atom::value, as_listener(self));
  else if (alerts.market) // only the new alert can fire: the others saw these values already
    send_fired(st, alerts.book.observe(*alerts.market));
}

void remove_alert(session_pointer self, const protocol::correlation_id& id,
                  const protocol::remove_alert_request& req) {
  auto& st = self->state;
  if (!st.alerts || !st.alerts->book.remove(req.alert_id))
    return reply_error(st, id, protocol::error_code::not_found, "remove_alert",
                       "no alert '" + req.alert_id + "'");
  reply(st, protocol::encode(protocol::alert_removed{id, req.alert_id}));
  if (st.alerts->book.empty()) {
    st.alerts.reset();
    self->send(market_data(st), caf::leave_atom::value, as_listener(self));
  }
}

void observe_market(session_pointer self, const market_step& step) {
  auto& st = self->state;
  if (!st.alerts)
    return; // a step sent before the channel saw our leave
  st.alerts->market = step.values;
  send_fired(st, st.alerts->book.observe(step.values));
}

} // namespace rtd
