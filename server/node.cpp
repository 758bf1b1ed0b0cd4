#include "server/node.hpp"

#include "actors/calculation_service.hpp"
#include "actors/channel.hpp"
#include "actors/market_simulator.hpp"
#include "actors/notifier.hpp"
#include "actors/system_monitor.hpp"

#include "auth/secret.hpp"
#include "log/log.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <random>

namespace rtd {

namespace {

/// Names this run of every channel's sequence: a restart starts a new epoch.
std::string make_epoch() {
  std::random_device rd;
  std::uint64_t x = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(x));
  return text;
}

/// The token verifier when a secret is configured (required with --require-auth); throws
/// std::runtime_error saying what is wrong with the secret.
std::shared_ptr<const auth::jwt_verifier> make_verifier(const server_options& options) {
  std::optional<std::string> file;
  if (!options.jwt_secret_file.empty())
    file = options.jwt_secret_file;
  else if (!std::getenv(auth::secret_env_var) && !options.gateway.require_auth)
    return nullptr; // no secret, none needed
  auto secret = auth::load_secret(file);
  if (auto err = std::get_if<auth::secret_error>(&secret))
    throw std::runtime_error(err->message);
  return std::make_shared<const auth::jwt_verifier>(std::get<std::string>(std::move(secret)),
                                                    options.jwt_leeway);
}

} // namespace

node::node(caf::actor_system& system, const server_options& options) : system_(system) {
  auto verifier = make_verifier(options);
  auto metrics = std::make_shared<metrics::node_metrics>(options.gateway.io_threads);
  auto traffic = std::make_shared<traffic_counters>();
  metrics->add_gauge_source(metrics::sources::connections_active, {}, [traffic] {
    return static_cast<double>(traffic->connections_active.load(std::memory_order_relaxed));
  });
  auto epoch = make_epoch();
  channel_set channels;
  for (auto c : protocol::all_channels) {
    auto count = std::make_shared<std::atomic<std::uint64_t>>(0);
    metrics->add_gauge_source(
        metrics::sources::subscriptions, {{"channel", std::string{protocol::to_string(c)}}},
        [count] { return static_cast<double>(count->load(std::memory_order_relaxed)); });
    auto& slot = channels[static_cast<std::size_t>(c)];
    slot = system.spawn(channel, channel_config{c, epoch, options.history_size,
                                                channel_config{}.history_bytes, metrics, count});
    actors_.push_back(caf::actor_cast<caf::actor>(slot));
  }
  auto notifications = channel_of(channels, protocol::channel::notifications);
  auto notify = system.spawn(notifier, options.notifier, notifications);
  actors_.push_back(caf::actor_cast<caf::actor>(notify));
  auto market = system.spawn(market_simulator, options.market,
                             channel_of(channels, protocol::channel::market_data));
  actors_.push_back(caf::actor_cast<caf::actor>(market));
  auto calculations = system.spawn(calculation_service, options.calculations,
                                   channel_of(channels, protocol::channel::calculations));
  actors_.push_back(caf::actor_cast<caf::actor>(calculations));
  caf::anon_send(channel_of(channels, protocol::channel::market_data), caf::join_atom::value,
                 market_listener_actor{calculations});
  auto monitor =
      system.spawn(system_monitor, options.system, channels, calculations, traffic, metrics);
  actors_.push_back(caf::actor_cast<caf::actor>(monitor));
  auto sessions = std::make_shared<session_context>(
      session_context{channels, calculations, options.node_name, verifier,
                      options.gateway.require_auth, options.auth_grace});
  try {
    gateway_ =
        start_gateway(system, options.gateway, {sessions, notify, traffic, verifier, metrics});
  } catch (...) {
    stop();
    throw;
  }
  caf::scoped_actor self{system};
  self->request(gateway_, std::chrono::seconds(5), caf::get_atom::value)
      .receive([this](std::uint16_t port) { port_ = port; },
               [](caf::error&) { throw std::runtime_error("gateway did not start"); });
  protocol::notification started;
  started.category = protocol::notification_category::system;
  started.level = protocol::notification_level::success;
  started.message = "server " + options.node_name + " started";
  caf::anon_send(notify, std::move(started));
}

void node::stop() {
  if (gateway_) {
    caf::scoped_actor self{system_};
    self->request(gateway_, caf::infinite, caf::close_atom::value)
        .receive([](caf::ok_atom) {},
                 [](caf::error& e) { log::warn("gateway_stop_failed", caf::to_string(e)); });
    gateway_ = nullptr;
  }
  for (auto& a : actors_)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  actors_.clear();
}

} // namespace rtd
