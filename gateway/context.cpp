#include "gateway/context.hpp"

#include <caf/all.hpp>

namespace rtd {

gateway_context::gateway_context(gateway_config config, gateway_dependencies deps,
                                 caf::actor_system& system)
    : config(std::move(config)), deps(std::move(deps)), system(system) {
  for (std::size_t i = 0; i < this->config.io_threads; ++i)
    lanes.push_back(std::make_unique<io_lane>());
}

void gateway_context::notify(protocol::notification_level level, std::string message) const {
  protocol::notification n;
  n.category = protocol::notification_category::system;
  n.level = level;
  n.message = std::move(message);
  caf::anon_send(deps.notifier, std::move(n));
}

} // namespace rtd
