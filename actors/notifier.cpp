#include "actors/notifier.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = notifier_actor::stateful_pointer<notifier_state>;

void publish(self_pointer self, protocol::notification n) {
  self->send(self->state.notifications, protocol::publication_body{std::move(n)});
}

protocol::notification suppression_summary(const notifier_state& st) {
  protocol::notification n;
  n.category = protocol::notification_category::system;
  n.level = protocol::notification_level::warning;
  n.message = std::to_string(st.suppressed_in_window) +
              " more server notifications were held back (limit " +
              std::to_string(st.config.max_events_per_window) + " per " +
              std::to_string(st.config.window.count()) + " ms)";
  return n;
}

} // namespace

notifier_actor::behavior_type notifier(self_pointer self, notifier_config config,
                                       channel_actor notifications) {
  self->state.config = config;
  self->state.notifications = std::move(notifications);
  return {
      [self](protocol::notification& n) {
        auto& st = self->state;
        if (!st.window_open) {
          st.window_open = true;
          self->delayed_send(self, st.config.window, caf::tick_atom::value);
        }
        if (st.published_in_window < st.config.max_events_per_window) {
          ++st.published_in_window;
          publish(self, std::move(n));
        } else {
          ++st.suppressed_in_window;
        }
      },
      [self](caf::publish_atom, protocol::notification& n) {
        return self->delegate(self->state.notifications, caf::publish_atom::value,
                              protocol::publication_body{std::move(n)});
      },
      [self](caf::tick_atom) {
        auto& st = self->state;
        if (st.suppressed_in_window > 0)
          publish(self, suppression_summary(st));
        st.window_open = false;
        st.published_in_window = 0;
        st.suppressed_in_window = 0;
      },
  };
}

} // namespace rtd
