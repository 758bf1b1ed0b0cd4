#include "actors/redis_bridge.hpp"

#include "actors/redis_link.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = redis_bridge_actor::stateful_pointer<redis_bridge_state>;

constexpr auto publish_timeout = std::chrono::seconds(5);

/// Who the bridge's session is. With authentication it needs claims (and admin's role, for
/// an egress of `system`); they never expire in practice: no client can present them.
auth::verification internal_client(const session_context& sessions) {
  if (!sessions.verifier)
    return auth::rejection{"no authentication configured"}; // and none required
  auth::claims claims;
  claims.subject = "redis-bridge";
  claims.expires = auth::clock::now() + std::chrono::hours(24 * 365 * 100);
  claims.roles = {"admin"};
  return claims;
}

void ingest(self_pointer self, redis_ingest& msg) {
  auto& st = self->state;
  // However it ends, it is no longer pending.
  auto done = [counters = st.counters] {
    counters->ingest_pending.fetch_sub(1, std::memory_order_relaxed);
  };
  // Only notifications are ingestible (redis_config.hpp), so it reads as POST's body does.
  auto decoded = protocol::decode_notification_post(msg.payload);
  if (auto err = std::get_if<protocol::decode_error>(&decoded)) {
    done();
    redis_counters::add(st.counters->invalid);
    auto key = "rtd:publish:" + std::string{protocol::to_string(msg.target)};
    return st.invalid_warnings.log(spdlog::level::warn, "redis_ingest_invalid",
                                   "redis ingest dropped an invalid message on " + key + ": " +
                                       err->message,
                                   {{"channel", key}});
  }
  self->request(st.notifier, publish_timeout, caf::publish_atom::value,
                std::get<protocol::notification>(std::move(decoded)))
      .then(
          [self, done](const frame&) {
            done();
            redis_counters::add(self->state.counters->ingested);
          },
          [done](const caf::error& e) {
            done();
            log::warn("redis_ingest_failed",
                      "a notification from redis was not published: " + caf::to_string(e));
          });
}

} // namespace

redis_bridge_state::redis_bridge_state() = default;
redis_bridge_state::~redis_bridge_state() = default;

redis_bridge_actor::behavior_type redis_bridge(self_pointer self, redis_bridge_config config,
                                               redis_bridge_dependencies deps) {
  auto& st = self->state;
  st.notifier = std::move(deps.notifier);
  st.counters = deps.counters;
  auto egress = config.egress;
  st.link =
      std::make_unique<redis_link>(std::move(config), st.counters, std::move(deps.health),
                                   [handle = caf::actor_cast<redis_bridge_actor>(self)](
                                       protocol::channel c, std::string payload) {
                                     caf::anon_send(handle, redis_ingest{c, std::move(payload)});
                                   });
  st.session = self->spawn<caf::linked>(session, deps.sessions, st.link->sink(),
                                        internal_client(*deps.sessions));
  for (auto c : egress) {
    protocol::subscribe_request req;
    req.target = c;
    req.conflate = false; // every publication, never the newest instead
    self->send(st.session, protocol::client_message{std::string{"redis-egress"}, req});
  }
  st.link->start();
  return {
      [self](redis_ingest& msg) { ingest(self, msg); },
      [self](redis_active_atom, bool active) { self->state.link->set_active(active); },
  };
}

} // namespace rtd
