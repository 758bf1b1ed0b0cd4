#include "actors/session_alerts.hpp"

#include "actors/session_replies.hpp"
#include "protocol/result_fields.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

namespace {

using live_kind = live_calculation_event::kind;

void send_fired(const session_state& st, const std::vector<protocol::alert_details>& fired) {
  for (const auto& f : fired)
    reply(st, protocol::encode_direct(alert_notification(f), protocol::now()));
}

live_calculation* find_live(session_state& st, const std::string& calculation_id) {
  auto it = std::find_if(st.live.begin(), st.live.end(), [&](const live_calculation& c) {
    return c.calculation_id == calculation_id;
  });
  return it == st.live.end() ? nullptr : &*it;
}

/// Why the session cannot watch `metric` (a live calculation it does not have, a field its
/// result does not have as a number); empty when it can.
std::string refusal(session_state& st, const protocol::calculation_metric& metric) {
  const auto* calc = find_live(st, metric.calculation_id);
  if (!calc)
    return "metric: calculation '" + metric.calculation_id +
           "' is not a live calculation of this session";
  const auto& fields = protocol::numeric_result_fields(calc->type);
  if (std::find(fields.begin(), fields.end(), metric.field) != fields.end())
    return {};
  std::string what = "metric: a " + std::string{protocol::to_string(calc->type)} +
                     " result has no number '" + metric.field + "'";
  if (fields.empty())
    return what;
  what += " (it has ";
  for (std::size_t i = 0; i < fields.size(); ++i)
    what.append(i == 0 ? "" : ", ").append(fields[i]);
  return what + ")";
}

/// Joins or leaves the market_data channel and the analytics actor as the alerts need; what
/// is followed anew sends its latest values at once.
void follow(session_pointer self) {
  auto& st = self->state;
  auto& alerts = *st.alerts;
  bool market = alerts.book.watches<protocol::market_indicator>();
  if (market != alerts.follows_market) {
    alerts.follows_market = market;
    const auto& channel = channel_of(st.context->channels, protocol::channel::market_data);
    auto listener = caf::actor_cast<market_listener_actor>(self);
    if (market)
      self->send(channel, caf::join_atom::value, listener);
    else
      self->send(channel, caf::leave_atom::value, listener);
    alerts.market.reset();
  }
  bool analytics = alerts.book.watches<protocol::analytics_metric>();
  if (analytics != alerts.follows_analytics && st.context->analytics) {
    alerts.follows_analytics = analytics;
    auto listener = caf::actor_cast<analytics_listener_actor>(self);
    if (analytics)
      self->send(st.context->analytics, caf::join_atom::value, listener);
    else
      self->send(st.context->analytics, caf::leave_atom::value, listener);
    alerts.analytics.reset();
  }
}

/// Follows what the alerts watch now; without alerts, nothing.
void refollow(session_pointer self) {
  follow(self);
  if (self->state.alerts->book.empty())
    self->state.alerts.reset();
}

/// Evaluates the book on the latest values it has of each kind: only a new alert can fire,
/// the others saw them already.
void evaluate_latest(session_pointer self, const protocol::alert_metric& metric) {
  auto& st = self->state;
  auto& alerts = *st.alerts;
  if (std::holds_alternative<protocol::market_indicator>(metric) && alerts.market)
    send_fired(st, alerts.book.observe(*alerts.market));
  else if (std::holds_alternative<protocol::analytics_metric>(metric) && alerts.analytics)
    send_fired(st, alerts.book.observe(*alerts.analytics));
  else if (auto c = std::get_if<protocol::calculation_metric>(&metric)) {
    const auto* calc = find_live(st, c->calculation_id);
    if (calc && calc->result)
      send_fired(st, alerts.book.observe(calc->calculation_id, *calc->result));
  }
}

/// The live calculation `calculation_id` ended: so do the alerts on it.
void end_alerts_on(session_pointer self, const std::string& calculation_id) {
  auto& st = self->state;
  if (!st.alerts)
    return;
  for (auto& alert_id : st.alerts->book.remove_calculation(calculation_id))
    reply(st, protocol::encode(protocol::alert_removed{{}, std::move(alert_id), true}));
  refollow(self);
}

} // namespace

void set_alert(session_pointer self, const protocol::correlation_id& id,
               protocol::set_alert_request& req) {
  auto& st = self->state;
  if (auto c = std::get_if<protocol::calculation_metric>(&req.metric))
    if (auto why = refusal(st, *c); !why.empty())
      return reply_error(st, id, protocol::error_code::invalid_parameters, "set_alert", why);
  if (!st.alerts)
    st.alerts = std::make_unique<session_alert_state>(st.context->max_alerts);
  auto& alerts = *st.alerts;
  if (alerts.book.set({req.alert_id, req.metric, req.condition, req.threshold}) ==
      alert_book::set_result::full)
    return reply_error(st, id, protocol::error_code::invalid_parameters, "set_alert",
                       "at most " + std::to_string(alerts.book.max()) +
                           " alerts per session: remove one before setting another");
  reply(st, protocol::encode(
                protocol::alert_set{id, req.alert_id, req.metric, req.condition, req.threshold}));
  evaluate_latest(self, req.metric);
  follow(self); // what is followed anew sends its latest values, on which the alert is evaluated
}

void remove_alert(session_pointer self, const protocol::correlation_id& id,
                  const protocol::remove_alert_request& req) {
  auto& st = self->state;
  if (!st.alerts || !st.alerts->book.remove(req.alert_id))
    return reply_error(st, id, protocol::error_code::not_found, "remove_alert",
                       "no alert '" + req.alert_id + "'");
  reply(st, protocol::encode(protocol::alert_removed{id, req.alert_id}));
  refollow(self);
}

void observe_market(session_pointer self, const market_step& step) {
  auto& st = self->state;
  if (!st.alerts || !st.alerts->follows_market)
    return; // a step sent before the channel saw our leave
  st.alerts->market = step.values;
  send_fired(st, st.alerts->book.observe(step.values));
}

void observe_analytics(session_pointer self, const protocol::analytics_update& update) {
  auto& st = self->state;
  if (!st.alerts || !st.alerts->follows_analytics)
    return; // an update sent before the analytics actor saw our leave
  st.alerts->analytics = update;
  send_fired(st, st.alerts->book.observe(update));
}

/// Runs `then` once the calculations channel has handled what it had when the session asked:
/// the update the job gave it before telling the session, so that what `then` sends the
/// client arrives after that update.
template <class Then> void after_calculations(session_pointer self, Then then) {
  const auto& channel = channel_of(self->state.context->channels, protocol::channel::calculations);
  self->request(channel, std::chrono::seconds(5), caf::get_atom::value)
      .then([then](std::uint64_t) { then(); }, [then](const caf::error&) { then(); });
}

void observe_live(session_pointer self, live_calculation_event& event) {
  auto& st = self->state;
  auto* calc = find_live(st, event.calculation_id);
  switch (event.what) {
  case live_kind::started:
    if (calc) // the id's earlier job has ended and its end is still on the way
      *calc = {event.calculation_id, event.job, event.type, std::nullopt};
    else
      st.live.push_back({event.calculation_id, event.job, event.type, std::nullopt});
    return;
  case live_kind::completed:
    if (!calc || calc->job != event.job)
      return;
    calc->result = event.result_json;
    if (st.alerts && st.alerts->book.watches<protocol::calculation_metric>())
      after_calculations(self, [self, id = event.calculation_id, result = event.result_json] {
        if (auto& alerts = self->state.alerts)
          send_fired(self->state, alerts->book.observe(id, result));
      });
    return;
  case live_kind::ended:
    if (!calc || calc->job != event.job)
      return; // the id has a newer job already
    st.live.erase(st.live.begin() + (calc - st.live.data()));
    if (st.alerts && st.alerts->book.watches<protocol::calculation_metric>())
      after_calculations(self, [self, id = event.calculation_id] { end_alerts_on(self, id); });
    return;
  }
}

} // namespace rtd
