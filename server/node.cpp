#include "server/node.hpp"

#include "actors/alert_watcher.hpp"
#include "actors/analytics.hpp"
#include "actors/calculation_service.hpp"
#include "actors/channel.hpp"
#include "actors/channel_relay.hpp"
#include "actors/market_simulator.hpp"
#include "actors/notifier.hpp"
#include "actors/redis_bridge.hpp"
#include "actors/system_monitor.hpp"
#include "server/cluster_setup.hpp"
#include "server/history_setup.hpp"

#include "auth/secret.hpp"
#include "log/log.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace rtd {

namespace {

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

/// A replay hands a client an eighth of its outbound bound at a time, so that a few
/// channels replaying at once and its live traffic fit; a `history` reply half of it.
replay_limits replay_limits_of(const gateway_config& gw) {
  replay_limits r;
  r.chunk_frames = std::max<std::size_t>(1, gw.outbound_queue_frames / 8);
  r.chunk_bytes = std::max<std::size_t>(1, gw.outbound_queue_bytes / 8);
  r.page_bytes = std::max<std::size_t>(1, gw.outbound_queue_bytes / 2);
  return r;
}

/// Redis's password: from --redis-password-file (refused unless only its owner may read it),
/// else REDIS_PASSWORD, else none; throws std::runtime_error saying what is wrong with the file.
std::string redis_password(const server_options& options) {
  if (options.redis_password_file.empty()) {
    const char* value = std::getenv("REDIS_PASSWORD");
    return value ? value : "";
  }
  auto read = auth::read_private_file(options.redis_password_file, "redis password file",
                                      auth::max_secret_bytes);
  if (auto err = std::get_if<auth::secret_error>(&read))
    throw std::runtime_error(err->message);
  auto password = std::get<std::string>(std::move(read));
  if (password.empty())
    throw std::runtime_error("redis password file " + options.redis_password_file + " is empty");
  return password;
}

/// Switches a cluster member's Redis bridge on while the member leads, off otherwise.
cluster_listener_actor::behavior_type redis_leadership(cluster_listener_actor::pointer self,
                                                       redis_bridge_actor bridge) {
  return {[self, bridge](cluster_view& view) {
    self->send(bridge, redis_active_atom::value, view.joined && view.leader == view.local);
  }};
}

/// What /metrics shows of the membership, as the cluster actor last told it.
struct cluster_gauges {
  std::atomic<std::uint64_t> members_up{1};
  std::atomic<bool> leader{true};
};

/// Keeps `gauges` up to date with every view of the membership.
cluster_listener_actor::behavior_type watch_membership(cluster_listener_actor::pointer,
                                                       std::shared_ptr<cluster_gauges> gauges) {
  return {[gauges](cluster_view& view) {
    auto up = std::count_if(view.members.begin(), view.members.end(),
                            [](const member_view& m) { return m.up; });
    gauges->members_up.store(static_cast<std::uint64_t>(up), std::memory_order_relaxed);
    gauges->leader.store(view.joined && view.leader == view.local, std::memory_order_relaxed);
  }};
}

/// rtd_cluster_members and rtd_cluster_is_leader, read from a listener of `members`.
void register_cluster_metrics(caf::actor_system& system, const cluster_actor& members,
                              metrics::node_metrics& metrics, std::vector<caf::actor>& actors) {
  auto gauges = std::make_shared<cluster_gauges>();
  metrics.add_gauge_source(metrics::sources::cluster_members, {}, [gauges] {
    return static_cast<double>(gauges->members_up.load(std::memory_order_relaxed));
  });
  metrics.add_gauge_source(metrics::sources::cluster_leader, {}, [gauges] {
    return gauges->leader.load(std::memory_order_relaxed) ? 1.0 : 0.0;
  });
  auto watcher = system.spawn(watch_membership, std::move(gauges));
  caf::anon_send(members, caf::join_atom::value, watcher);
  actors.push_back(caf::actor_cast<caf::actor>(watcher));
}

/// The Redis bridge, when --redis is set: ingest published through `notify`, egress through
/// a session of its own. A cluster member's is active only while the member leads, so that
/// the cluster publishes each message once.
void start_redis_bridge(caf::actor_system& system, const server_options& options,
                        notifier_actor notify, std::shared_ptr<const session_context> sessions,
                        std::shared_ptr<health_board> health, metrics::node_metrics& metrics,
                        const cluster_actor& members, std::vector<caf::actor>& actors) {
  auto config = options.redis;
  config.password = redis_password(options);
  const bool member = clustered(options.cluster);
  config.active = config.active && !member;
  auto counters = std::make_shared<redis_counters>();
  register_redis_metrics(metrics, counters, !config.ingest.empty());
  auto bridge = system.spawn(redis_bridge, std::move(config),
                             redis_bridge_dependencies{std::move(notify), std::move(sessions),
                                                       std::move(counters), std::move(health)});
  actors.push_back(caf::actor_cast<caf::actor>(bridge));
  if (member) {
    auto leadership = system.spawn(redis_leadership, bridge);
    caf::anon_send(members, caf::join_atom::value, leadership);
    actors.push_back(caf::actor_cast<caf::actor>(leadership));
  }
}

} // namespace

node::node(caf::actor_system& system, const server_options& options) : system_(system) {
  auto verifier = make_verifier(options);
  auto metrics = std::make_shared<metrics::node_metrics>(options.gateway.io_threads);
  auto traffic = std::make_shared<traffic_counters>();
  metrics->add_gauge_source(metrics::sources::connections_active, {}, [traffic] {
    return static_cast<double>(traffic->connections_active.load(std::memory_order_relaxed));
  });
  history_resume resume;
  history_store_actor store;
  if (options.history == "on") {
    store::history_options database;
    // The results kept on disk are the ones the memory cache keeps.
    database.max_results = options.calculations.cache_max_entries;
    database.max_result_bytes = options.calculations.cache_max_bytes;
    resume = open_history({options.data_dir, options.journal_bytes, database,
                           options.calculations.cache_ttl, options.calculations.forecast_history});
    auto config = options.store;
    config.result_ttl = options.calculations.cache_ttl;
    config.gauges = std::make_shared<history_gauges>();
    metrics->add_counter_source(metrics::sources::history_writes, {}, [g = config.gauges] {
      return static_cast<double>(g->written.load(std::memory_order_relaxed));
    });
    metrics->add_gauge_source(metrics::sources::history_backlog, {}, [g = config.gauges] {
      return static_cast<double>(g->backlog.load(std::memory_order_relaxed));
    });
    store = system.spawn<caf::detached>(history_store, config, resume.db);
    actors_.push_back(caf::actor_cast<caf::actor>(store));
  }
  auto epoch = make_epoch();
  channel_set channels;
  for (auto c : protocol::all_channels) {
    const auto i = static_cast<std::size_t>(c);
    auto count = std::make_shared<std::atomic<std::uint64_t>>(0);
    metrics->add_gauge_source(
        metrics::sources::subscriptions, {{"channel", std::string{protocol::to_string(c)}}},
        [count] { return static_cast<double>(count->load(std::memory_order_relaxed)); });
    auto link_messages = std::make_shared<std::atomic<std::uint64_t>>(0);
    metrics->add_counter_source(
        metrics::sources::cluster_link_messages, {{"channel", std::string{protocol::to_string(c)}}},
        [link_messages] {
          return static_cast<double>(link_messages->load(std::memory_order_relaxed));
        });
    channel_config config;
    config.id = c;
    config.epoch = epoch;
    config.history_size = options.history_size;
    config.history_bytes = options.history_bytes;
    config.metrics = metrics;
    config.subscriber_count = count;
    if (const auto& continued = resume.channels[i]) {
      config.epoch = continued->epoch;
      config.seq = continued->seq;
    }
    config.replay = replay_limits_of(options.gateway);
    config.store = store;
    config.journal = resume.journals[i];
    config.node = options.node_name;
    // Every node analyses the relayed market steps; the leader's analysis is published.
    config.leader_only = c == protocol::channel::analytics;
    config.link_messages = link_messages;
    channels[i] = system.spawn(channel, std::move(config));
    actors_.push_back(caf::actor_cast<caf::actor>(channels[i]));
  }
  const auto& market_data = channel_of(channels, protocol::channel::market_data);
  auto notifications = channel_of(channels, protocol::channel::notifications);
  auto notify = system.spawn(notifier, options.notifier, notifications);
  actors_.push_back(caf::actor_cast<caf::actor>(notify));
  calculation_pool_ = std::make_shared<calculation_pool>(options.calculation_pool);
  auto calculation_config = options.calculations;
  auto calculation_figures = calculation_config.figures;
  calculation_config.persistence = {store, std::move(resume.results)};
  auto calculations =
      system.spawn(calculation_service, std::move(calculation_config),
                   channel_of(channels, protocol::channel::calculations),
                   std::shared_ptr<calculation_executor>{calculation_pool_}, metrics);
  actors_.push_back(caf::actor_cast<caf::actor>(calculations));
  auto joined = std::make_shared<std::atomic<bool>>(false);
  cluster_actor members;
  try {
    std::vector<caf::strong_actor_ptr> handles;
    for (const auto& c : channels)
      handles.push_back(caf::actor_cast<caf::strong_actor_ptr>(c));
    // Members learn of this node's calculation service, and how many calculations it runs.
    members = start_cluster(system, options.cluster,
                            {{},
                             notify,
                             traffic,
                             joined,
                             std::move(handles),
                             caf::actor_cast<caf::strong_actor_ptr>(calculations),
                             std::shared_ptr<const std::atomic<std::uint64_t>>(
                                 calculation_figures, &calculation_figures->running)});
  } catch (...) {
    stop();
    throw;
  }
  actors_.push_back(caf::actor_cast<caf::actor>(members));
  register_cluster_metrics(system, members, *metrics, actors_);
  // The channels first: they know the leader before the simulator publishes for it.
  for (const auto& c : channels)
    caf::anon_send(members, caf::join_atom::value, cluster_listener_actor{c});
  caf::anon_send(members, caf::join_atom::value,
                 caf::actor_cast<cluster_listener_actor>(calculations));
  auto market_config = options.market;
  market_config.start = resume.market;
  market_config.idle = clustered(options.cluster);
  auto market = system.spawn(market_simulator, market_config, market_data);
  actors_.push_back(caf::actor_cast<caf::actor>(market));
  caf::anon_send(members, caf::join_atom::value, cluster_listener_actor{market});
  caf::anon_send(market_data, caf::join_atom::value, market_listener_actor{market});
  if (!options.server_alerts.empty()) {
    auto watcher = system.spawn(alert_watcher, options.server_alerts, market_data, notifications);
    caf::anon_send(members, caf::join_atom::value, cluster_listener_actor{watcher});
    actors_.push_back(caf::actor_cast<caf::actor>(watcher));
  }
  if (!resume.market_steps.empty()) // forecasts right after a restart use the stored steps
    caf::anon_send(calculations, market_history{std::move(resume.market_steps)});
  auto trends = system.spawn(analytics, options.analytics,
                             channel_of(channels, protocol::channel::analytics), calculations);
  actors_.push_back(caf::actor_cast<caf::actor>(trends));
  for (const market_listener_actor& listener :
       {market_listener_actor{calculations}, market_listener_actor{trends}})
    caf::anon_send(market_data, caf::join_atom::value, listener);
  auto health = std::make_shared<health_board>();
  auto monitor = system.spawn(system_monitor, options.system, channels, calculations, members,
                              store, traffic, metrics, health);
  actors_.push_back(caf::actor_cast<caf::actor>(monitor));
  auto sessions = std::make_shared<session_context>(session_context{
      channels, calculations, options.node_name, verifier, options.gateway.require_auth,
      options.auth_grace, options.max_alerts_per_session, trends});
  try {
    if (!options.redis_url.empty())
      start_redis_bridge(system, options, notify, sessions, health, *metrics, members, actors_);
    gateway_ = start_gateway(system, options.gateway,
                             {sessions, notify, traffic, verifier, metrics, joined});
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
  // The jobs die with the calculation service; the chunks they left end here.
  if (calculation_pool_)
    calculation_pool_->stop();
}

} // namespace rtd
