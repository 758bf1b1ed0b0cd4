#include "actors/alert_watcher.hpp"

#include <caf/all.hpp>

namespace rtd {

alert_watcher_actor::behavior_type
alert_watcher(alert_watcher_actor::stateful_pointer<alert_watcher_state> self,
              std::vector<alert> alerts, channel_actor market_data, channel_actor notifications) {
  auto& st = self->state;
  st.alerts = alert_book{alerts.size()};
  for (auto& a : alerts)
    st.alerts.set(std::move(a));
  st.notifications = std::move(notifications);
  self->send(market_data, caf::join_atom::value, market_listener_actor{self});
  return {
      [self](market_step& step) {
        auto& st = self->state;
        // Observed everywhere, so that a new leader's alerts know where the market was.
        for (const auto& fired : st.alerts.observe(step.values))
          if (st.publishing)
            self->send(st.notifications, protocol::publication_body{alert_notification(fired)});
      },
      [self](cluster_view& view) {
        self->state.publishing = !view.joined || view.leader == view.local;
      },
  };
}

} // namespace rtd
