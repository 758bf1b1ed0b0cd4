#include "actors/session.hpp"

#include "actors/history_pages.hpp"
#include "actors/session_alerts.hpp"
#include "actors/session_replies.hpp"
#include "auth/roles.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = session_actor::stateful_pointer<session_state>;

/// A channel that does not answer a `history` request within this gets `internal`.
constexpr auto history_timeout = std::chrono::seconds(5);

/// The client has no valid token (any more): it is told, and closed after the grace period
/// unless it authenticates first.
void lose_authentication(self_pointer self, std::string reason) {
  auto& st = self->state;
  st.claims.reset();
  auto generation = ++st.auth_generation;
  reply_error(st, {}, protocol::error_code::unauthorized, "", "unauthorized: " + reason);
  self->delayed_send(self, st.context->auth_grace, auth_check_atom::value, generation);
}

void authenticate(self_pointer self, auth::claims claims) {
  auto& st = self->state;
  auto generation = ++st.auth_generation;
  auto deadline = st.context->verifier->deadline(claims);
  st.claims = std::make_unique<auth::claims>(std::move(claims));
  if (!st.context->require_auth)
    return; // nothing depends on the token: its expiry does not matter
  // Re-checked when the token expires.
  auto left = std::max(deadline - auth::clock::now(), auth::clock::duration::zero());
  self->delayed_send(self, std::chrono::duration_cast<caf::timespan>(left), auth_check_atom::value,
                     generation);
}

/// Timer: the token of `generation` expired, or its grace period ended.
void check_authentication(self_pointer self, std::uint64_t generation) {
  auto& st = self->state;
  if (generation != st.auth_generation)
    return; // a newer token replaced it
  if (st.claims)
    return lose_authentication(self, "token expired");
  st.sink->close(close_code::policy_violation, "unauthorized");
}

/// Dispatches one client message by its type.
struct request_handler {
  self_pointer self;
  const protocol::correlation_id& id;

  session_state& st() const { return self->state; }
  session_actor handle() const { return caf::actor_cast<session_actor>(self); }

  /// False (after replying) when the client may not do `what`.
  bool permitted(auth::action what, std::string_view request_type) const {
    if (!st().context->require_auth)
      return true;
    if (!st().claims) {
      reply_error(st(), id, protocol::error_code::unauthorized, request_type,
                  "unauthorized: send auth with a valid token first");
      return false;
    }
    if (auth::allows(*st().claims, what))
      return true;
    reply_error(st(), id, protocol::error_code::forbidden, request_type,
                "forbidden: needs role " + auth::needed_roles(what));
    return false;
  }

  void operator()(protocol::subscribe_request& req) const {
    if (!permitted(auth::subscribe_action(protocol::to_string(req.target)), "subscribe"))
      return;
    self->send(
        channel_of(st().context->channels, req.target),
        subscription{handle(), st().sink, id, req.since_seq, std::move(req.epoch), req.conflate});
  }

  void operator()(protocol::unsubscribe_request& req) const {
    if (!permitted(auth::action::other, "unsubscribe"))
      return;
    self->send(channel_of(st().context->channels, req.target),
               unsubscription{handle(), st().sink, id});
  }

  void operator()(protocol::ping_request&) const {
    reply(st(), protocol::encode(protocol::pong{id, protocol::now()}));
  }

  void operator()(protocol::calculate_request& req) const {
    if (!permitted(auth::action::calculate, "calculate"))
      return;
    self->send(st().context->calculations,
               calculation_request{handle(), st().sink, id, std::move(req)});
  }

  void operator()(protocol::cancel_request& req) const {
    if (!permitted(auth::action::calculate, "cancel"))
      return;
    self->send(st().context->calculations,
               cancellation{handle(), st().sink, id, std::move(req.calculation_id)});
  }

  void operator()(protocol::auth_request& req) const {
    const auto& verifier = st().context->verifier;
    if (!verifier)
      return reply_error(st(), id, protocol::error_code::unauthorized, "auth",
                         "authentication is not enabled on this server");
    auto verified = verifier->verify(req.token, auth::clock::now());
    if (auto no = std::get_if<auth::rejection>(&verified))
      return reply_error(st(), id, protocol::error_code::unauthorized, "auth",
                         "unauthorized: " + no->reason);
    auto& claims = std::get<auth::claims>(verified);
    reply(st(), protocol::encode(protocol::authenticated{id, claims.subject, claims.roles}));
    authenticate(self, std::move(claims));
  }

  void operator()(protocol::set_alert_request& req) const {
    if (permitted(auth::action::other, "set_alert"))
      set_alert(self, id, req);
  }

  void operator()(protocol::remove_alert_request& req) const {
    if (permitted(auth::action::other, "remove_alert"))
      remove_alert(self, id, req);
  }

  void operator()(protocol::history_request& req) const {
    if (!permitted(auth::subscribe_action(protocol::to_string(req.target)), "history"))
      return;
    self->request(channel_of(st().context->channels, req.target), history_timeout, to_query(req))
        .then(
            [self = self, id = id, target = req.target](const history_page& page) {
              reply(self->state, encode_history(id, target, page));
            },
            [self = self, id = id](const caf::error& e) {
              reply_error(self->state, id, protocol::error_code::internal, "history",
                          "history is not available: " + caf::to_string(e));
            });
  }
};

} // namespace

session_actor::behavior_type session(self_pointer self,
                                     std::shared_ptr<const session_context> context,
                                     frame_sink_ptr sink, auth::verification verified) {
  auto& st = self->state;
  st.context = std::move(context);
  st.sink = std::move(sink);
  if (auto claims = std::get_if<auth::claims>(&verified))
    authenticate(self, std::move(*claims));
  else if (st.context->require_auth)
    lose_authentication(self, std::get<auth::rejection>(verified).reason);
  return {
      [self](protocol::client_message& msg) {
        std::visit(request_handler{self, msg.id}, msg.body);
      },
      [self](auth_check_atom, std::uint64_t generation) { check_authentication(self, generation); },
      [self](market_step& step) { observe_market(self, step); },
      [self](protocol::analytics_update& update) { observe_analytics(self, update); },
      [self](live_calculation_event& event) { observe_live(self, event); },
  };
}

} // namespace rtd
