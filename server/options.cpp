#include "server/options.hpp"

#include "actors/actor_scheduler.hpp"
#include "actors/type_registry.hpp"
#include "server/cluster_setup.hpp"
#include "server/option_types.hpp"
#include "server/thread_scheduling.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <iomanip>
#include <sstream>
#include <thread>

#include <sched.h>
#include <unistd.h>

namespace rtd {

namespace {

/// The allowed range of a numeric option, inclusive.
struct bounds {
  double min;
  double max;
};

/// The allowed values of a string option.
using choices = std::initializer_list<std::string_view>;

/// An option's spelling of a channel name: market_data -> market-data.
std::string dashed(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

/// Every option, once: `visit(name, field, help[, bounds or choices])`.
template <class Visitor> void visit_options(server_options& o, Visitor&& visit) {
  auto& gw = o.gateway;
  visit("host", gw.host, "address to listen on");
  visit("port", gw.port, "port for HTTP and WebSocket; 0 picks a free one");
  visit("io-threads", gw.io_threads, "gateway I/O threads; 0: one per usable core", bounds{0, 256});
  visit("max-message-size", gw.max_message_size, "largest client frame in bytes (1009 above)",
        bounds{16, 64 << 20});
  visit("outbound-queue-frames", gw.outbound_queue_frames,
        "frames queued per client before it is closed with 1013", bounds{1, 1 << 24});
  visit("outbound-queue-bytes", gw.outbound_queue_bytes,
        "bytes queued per client before it is closed with 1013", bounds{1024, 1LL << 32});
  visit("close-timeout-ms", gw.close_timeout,
        "time for a close handshake before the socket is dropped", bounds{1, 600000});
  visit("shutdown-grace-ms", gw.shutdown_grace,
        "time clients get to take their 1001 close at shutdown", bounds{0, 600000});
  visit("rate-limit", gw.rate_limit, "client messages per second per connection",
        bounds{0.001, 1e9});
  visit("rate-burst", gw.rate_burst, "client messages allowed at once per connection",
        bounds{1, 1e9});
  visit("rate-limit-close-after-s", gw.rate_limit_close_after,
        "seconds over the rate limit before closing with 1008", bounds{1, 86400});
  visit("max-connections", gw.max_connections, "WebSocket connections at once", bounds{1, 1 << 24});
  visit("max-http-body", gw.max_http_body, "largest HTTP request body in bytes (413 above)",
        bounds{0, 64 << 20});
  visit("static-dir", gw.static_dir, "folder served at GET / (the dashboard)");
  visit("idle-timeout-ms", gw.idle_timeout,
        "WebSocket without input for this long is closed (pinged at half)", bounds{1000, 86400000});
  visit("http-timeout-ms", gw.http_timeout,
        "time to send a whole HTTP request or upgrade; idle keep-alive ends after it",
        bounds{100, 600000});
  visit("send-batch", gw.send_batch,
        "writes to clients submitted to the kernel in one io_uring call per I/O thread; 0: one "
        "system call each (also the fallback where io_uring is not available)",
        bounds{0, 4096});
  visit("socket-send-buffer", gw.socket_send_buffer,
        "kernel send buffer per client socket in bytes (SO_SNDBUF); 0: the kernel's autotuning",
        bounds{0, 64 << 20});
  visit("max-http-connections", gw.max_http_connections,
        "HTTP connections not (yet) upgraded at once; more are closed", bounds{1, 1 << 20});
  visit("allowed-origins", gw.allowed_origins,
        "browser origins allowed to open a WebSocket besides the server's own (comma-separated, "
        "* for any)");
  visit("post-rate", gw.post_rate, "POST /api/notifications per second, node-wide",
        bounds{0.001, 1e6});
  visit("post-burst", gw.post_burst, "POST /api/notifications allowed at once", bounds{1, 1e6});
  visit("metrics-token-file", gw.metrics_token_file,
        "with --require-auth: file holding the bearer token that GET /metrics accepts (an "
        "admin's JWT works too)");
  visit("tls-cert", gw.tls_cert,
        "PEM certificate chain; with --tls-key the port serves only https:// and wss://");
  visit("tls-key", gw.tls_key, "PEM private key of --tls-cert");
  visit("require-auth", gw.require_auth,
        "every client needs a valid JWT (and its roles); see --jwt-secret-file");
  visit("jwt-secret-file", o.jwt_secret_file,
        "file holding the HS256 secret (mode 600); empty: environment variable RTD_JWT_SECRET");
  visit("jwt-leeway-s", o.jwt_leeway, "clock skew forgiven on a token's exp and nbf",
        bounds{0, 300});
  visit("auth-grace-ms", o.auth_grace,
        "after `unauthorized`, time to send `auth` before the close with 1008", bounds{0, 3600000});
  visit("allow-anonymous", o.allow_anonymous,
        "serve a non-loopback --host without --require-auth (anyone may then use everything)");
  visit("market-interval-ms", o.market.interval, "market_data publication period",
        bounds{1, 86400000});
  visit("seed", o.market.seed, "market simulator seed; 0 draws one");
  visit("system-interval-ms", o.system.interval, "system_status publication period",
        bounds{1, 86400000});
  visit("notification-rate", o.notifier.max_events_per_window,
        "server event notifications per second before throttling", bounds{1, 1e6});
  visit("max-calculations-per-session", o.calculations.max_per_session,
        "calculations running at once per connection", bounds{1, 1e6});
  visit("max-calculations", o.calculations.max_calculations,
        "calculations running at once on the node (too_many_calculations above)", bounds{1, 1e6});
  visit("calculation-memory", o.calculations.memory_bytes,
        "bytes running calculations may hold, node-wide; Monte Carlo streams its samples "
        "when storing them would not fit",
        bounds{4 << 20, 1e13});
  visit("calculation-threads", o.calculation_pool.threads,
        "threads that run heavy calculations, at a lower priority; 0: one per usable core",
        bounds{0, 256});
  visit("calculation-nice", o.calculation_pool.nice,
        "how much lower the calculation threads' priority is (nice value, 0..19)", bounds{0, 19});
  visit("calculation-chunk-work", o.calculations.chunk_work,
        "work units (cash flows x iterations, ~3 ns each) a heavy calculation runs between "
        "progress checks",
        bounds{1000, 1e10});
  visit("calculation-inline-work", o.calculations.inline_work,
        "work units up to which a calculation runs at once on the actors' threads, not on "
        "the calculation threads",
        bounds{0, 1e9});
  visit("cache-max-entries", o.calculations.cache_max_entries,
        "results kept in the calculation cache", bounds{0, 1e8});
  visit("cache-max-bytes", o.calculations.cache_max_bytes,
        "bytes of results kept in the calculation cache", bounds{0, 1e12});
  visit("cache-ttl-ms", o.calculations.cache_ttl,
        "how long a cached result stays valid (expired ones are removed every second)",
        bounds{0, 1e12});
  visit("forecast-history", o.calculations.forecast_history,
        "market steps recorded for forecast and forecast_npv (their largest window)",
        bounds{10, 100000});
  visit("analytics-fast-half-life", o.analytics.stats.fast_half_life,
        "analytics: half-life of the fast EWMA, in market steps", bounds{0.01, 1e6});
  visit("analytics-slow-half-life", o.analytics.stats.slow_half_life,
        "analytics: half-life of the slow EWMA, in market steps (above the fast one)",
        bounds{0.01, 1e6});
  visit("analytics-window", o.analytics.stats.window,
        "analytics: market steps of the rolling volatility and z-score window", bounds{2, 1e6});
  visit("max-alerts-per-session", o.max_alerts_per_session,
        "alerts one connection may set at once (set_alert beyond it is invalid_parameters)",
        bounds{1, 10000});
  visit("alerts", o.alerts,
        "server alerts published on `notifications`, each \"id metric above|below threshold\" "
        "(comma-separated)");
  visit("data-dir", o.data_dir,
        "directory for the history database and crash journals (created if missing)");
  visit("history", o.history, "keep every publication on disk (off: the in-memory ring only)",
        choices{"on", "off"});
  visit("history-size", o.history_size, "publications kept per channel in memory for recovery",
        bounds{0, 1 << 24});
  visit("history-bytes", o.history_bytes,
        "bytes of publications kept per channel in memory for recovery", bounds{1024, 1e12});
  visit("history-batch", o.store.batch_rows, "publications written to disk per transaction",
        bounds{1, 100000});
  visit("history-flush-ms", o.store.flush_interval,
        "longest a publication waits before its batch is written", bounds{1, 60000});
  visit("result-flush-ms", o.store.result_flush_interval,
        "longest a calculation result waits before it is written (a kill -9 loses at most "
        "this much of the results cache)",
        bounds{1, 600000});
  visit("history-backlog-bytes", o.store.backlog_bytes,
        "unwritten publications kept while the disk fails (the oldest go first)",
        bounds{1 << 20, 1LL << 34});
  visit("journal-bytes", o.journal_bytes,
        "each channel's crash journal (reserved on disk at start)", bounds{4096, 1LL << 32});
  for (auto c : protocol::all_channels) {
    std::string name{protocol::to_string(c)};
    auto& r = o.store.retention[static_cast<std::size_t>(c)];
    auto prefix = "retention-" + dashed(name);
    visit(prefix + "-age-s", r.max_age, name + " history kept at most this long; 0: no limit",
          bounds{0, 1e10});
    visit(prefix + "-rows", r.max_rows, name + " publications kept on disk; 0: no limit",
          bounds{0, 1e12});
    visit(prefix + "-bytes", r.max_bytes, name + " bytes kept on disk; 0: no limit",
          bounds{0, 1e15});
  }
  visit("node-name", o.node_name, "this node's name (unique in its cluster); empty: hostname-pid");
  auto& cl = o.cluster;
  visit("cluster-port", cl.port,
        "port other nodes reach this node's cluster actor on; 0: not clustered, the node runs "
        "alone");
  visit("cluster-host", cl.host,
        "address the cluster port binds, which members reach this node at (not a wildcard)");
  visit("join", cl.join,
        "host:port of a member to join; repeat or comma-separate for several (this node's own "
        "address among them is skipped)");
  visit("cluster-timeout-ms", cl.timeout,
        "a member silent this long (killed, hung or cut off) is down; heartbeats every quarter "
        "of it",
        bounds{200, 600000});
  visit("cluster-tls-cert", cl.tls_cert,
        "PEM certificate chain for node links; with --cluster-tls-key and --cluster-tls-ca "
        "every link uses TLS (required off loopback)");
  visit("cluster-tls-key", cl.tls_key, "PEM private key of --cluster-tls-cert");
  visit("cluster-tls-ca", cl.tls_ca,
        "PEM file of the CA certificates a peer's certificate must chain to");
  visit("cluster-offload-above", o.calculations.offload_above,
        "with this many calculations running on the node, a new one goes to the member running "
        "the fewest (when fewer than this node); 0: every calculation runs where requested",
        bounds{0, 1e6});
  visit("cluster-offload-timeout-ms", o.calculations.offload_timeout,
        "how long a member may take to accept a calculation handed to it before it fails",
        bounds{100, 600000});
  visit("redis", o.redis_url,
        "Redis to bridge with: redis://host:port[/db] (rediss:// is refused: no TLS in hiredis "
        "0.14); empty: no bridge");
  visit("redis-password-file", o.redis_password_file,
        "file holding Redis's password (mode 600); empty: environment variable REDIS_PASSWORD, "
        "else no AUTH");
  visit("redis-egress", o.redis_egress,
        "channels whose every publication is PUBLISHed to rtd:<channel> (comma-separated; none "
        "for no egress)");
  visit("redis-ingest", o.redis_ingest,
        "channels fed by PUBLISH rtd:publish:<channel>: notifications, or none");
  visit("redis-stream-maxlen", o.redis.limits.stream_maxlen,
        "also XADD each egress publication to rtd:stream:<channel>, trimmed to about this many "
        "entries; 0: no stream",
        bounds{0, 1e9});
  visit("redis-queue-frames", o.redis.limits.max_frames,
        "egress publications sent to Redis and not yet answered; beyond, they are dropped",
        bounds{1, 1 << 24});
  visit("redis-queue-bytes", o.redis.limits.max_bytes, "bytes of those", bounds{1024, 1LL << 32});
  visit("redis-ingest-max-bytes", o.redis.ingest_max_bytes,
        "largest message taken from Redis; larger ones are dropped", bounds{16, 64 << 20});
  visit("redis-ingest-rate", o.redis.ingest_rate,
        "messages per second taken from Redis, all ingest channels together; more are dropped",
        bounds{0.001, 1e9});
  visit("redis-ingest-burst", o.redis.ingest_burst, "messages taken from Redis at once",
        bounds{1, 1e9});
  visit("redis-ingest-pending", o.redis.ingest_max_pending,
        "messages taken from Redis and not yet published; more are dropped", bounds{1, 1 << 24});
  visit("redis-backoff-initial-ms", o.redis.initial_backoff,
        "wait before reconnecting to Redis; doubles with each failure", bounds{1, 600000});
  visit("redis-backoff-max-ms", o.redis.max_backoff, "longest wait before reconnecting to Redis",
        bounds{1, 3600000});
  visit("redis-timeout-ms", o.redis.timeout,
        "time Redis has to accept a connection, answer the handshake, or answer a command, "
        "before the connection counts as lost",
        bounds{100, 600000});
  visit("log-level", o.log_level, "log level",
        choices{"trace", "debug", "info", "warn", "error", "off"});
  visit("log-format", o.log_format,
        "text, or json: one object per line with time, level, node, event, message and ids",
        choices{"text", "json"});
}

template <class T> std::string with_default(std::string_view help, const T& field) {
  std::ostringstream text;
  text << help << " (default: ";
  write_value(text, field);
  text << ")";
  return text.str();
}

/// Registers each option with CAF's parser, its help text showing its default.
struct registrar {
  caf::config_option_set& options;

  template <class T, class Constraint = bounds>
  void operator()(std::string_view name, T& field, std::string_view help, Constraint = {}) {
    options.add(make_option(field, name, with_default(help, field)));
  }
};

/// Records the first option outside its bounds or choices.
struct range_checker {
  std::string error;

  /// Options without constraints have nothing to check.
  template <class T> void operator()(std::string_view, const T&, std::string_view) {}

  template <class T>
  void operator()(std::string_view name, const T& field, std::string_view, bounds b) {
    auto value = numeric_value(field);
    if (!error.empty() || (value >= b.min && value <= b.max))
      return;
    std::ostringstream text;
    text << std::setprecision(15) << "--" << name << " must be between " << b.min << " and "
         << b.max << ", got " << value;
    error = text.str();
  }

  void operator()(std::string_view name, const std::string& field, std::string_view,
                  choices allowed) {
    if (!error.empty() || std::find(allowed.begin(), allowed.end(), field) != allowed.end())
      return;
    error = "--" + std::string{name} + " must be one of";
    for (auto c : allowed)
      error.append(" ").append(c);
    error += ", got \"" + field + "\"";
  }
};

/// Writes each option as a commented-out line of a config file.
struct defaults_writer {
  std::ostream& out;

  template <class T, class Constraint = bounds>
  void operator()(std::string_view name, const T& field, std::string_view help, Constraint = {}) {
    out << "\n; " << help << "\n; " << name << " = ";
    write_value(out, field);
    out << "\n";
  }
};

/// Sets every list named on the command line to the items of its flags, in order: CAF adds
/// each flag's items to what the list held, the default or the config file's.
struct command_line_lists {
  std::vector<std::string_view> args;

  template <class T, class Constraint = bounds>
  void operator()(std::string_view name, T& field, std::string_view, Constraint = {}) {
    if constexpr (std::is_same_v<T, string_list>) {
      auto flag = "--" + std::string{name} + "=";
      string_list given;
      bool named = false;
      for (auto arg : args)
        if (arg.rfind(flag, 0) == 0) {
          named = true;
          append_items(arg.substr(flag.size()), given);
        }
      if (named)
        field = std::move(given);
    }
  }
};

/// The cores this process may run on (taskset, cgroup cpusets), which can be fewer than the
/// machine has: threads beyond them only take turns.
std::size_t usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
  return std::max(1u, std::thread::hardware_concurrency());
}

/// The channels named in `names` (`none`: no channel), each a known channel accepted by
/// `allowed`; or why not.
template <class Allowed>
std::string parse_channels(std::string_view option, const std::vector<std::string>& names,
                           std::vector<protocol::channel>& out, Allowed allowed) {
  out.clear();
  // A command line cannot give an empty list (`--name=` is refused): `none` says it.
  if (names.size() == 1 && names.front() == "none")
    return {};
  for (const auto& name : names) {
    auto c = protocol::parse_channel(name);
    if (!c) {
      std::string known;
      for (auto k : protocol::all_channels)
        known.append(known.empty() ? "" : ", ").append(protocol::to_string(k));
      return "--" + std::string{option} + ": unknown channel '" + name + "' (channels: " + known +
             ")";
    }
    if (auto why = allowed(*c); !why.empty())
      return "--" + std::string{option} + ": " + why;
    if (std::find(out.begin(), out.end(), *c) == out.end())
      out.push_back(*c);
  }
  return {};
}

/// Checks the Redis options and fills in what the bridge is given.
std::string finish_redis(server_options& o) {
  auto any = [](protocol::channel) { return std::string{}; };
  auto ingestible_only = [](protocol::channel c) {
    if (ingestible(c))
      return std::string{};
    return std::string{protocol::to_string(c)} +
           " cannot be fed from Redis: its publications come from rtd itself (only "
           "notifications can)";
  };
  if (auto e = parse_channels("redis-egress", o.redis_egress, o.redis.egress, any); !e.empty())
    return e;
  if (auto e = parse_channels("redis-ingest", o.redis_ingest, o.redis.ingest, ingestible_only);
      !e.empty())
    return e;
  if (o.redis.initial_backoff > o.redis.max_backoff)
    return "--redis-backoff-initial-ms must not exceed --redis-backoff-max-ms";
  if (o.redis_url.empty())
    return {};
  auto parsed = redis::parse_url(o.redis_url);
  if (auto e = std::get_if<redis::url_error>(&parsed))
    return e->message;
  o.redis.endpoint = std::get<redis::endpoint>(std::move(parsed));
  return {};
}

std::string default_node_name() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string{host} + "-" + std::to_string(getpid());
}

} // namespace

std::string default_static_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"static"} : (exe.parent_path() / "static").string();
}

server_config::server_config() {
  options.gateway.static_dir = default_static_dir();
  visit_options(options, registrar{custom_options_});
  // Two busy pools (CAF workers, gateway I/O) share the cores: size CAF to the cores too.
  set("scheduler.max-threads", usable_cores());
  use_rtd_scheduler(*this);
  add_thread_hook<thread_scheduling_hook>();
  // Nodes link only to nodes of this application (CAF checks it when a link opens); the
  // cluster actor then checks the protocol versions.
  set("middleman.app-identifiers", string_list{"rtd"});
  register_types(*this);
}

caf::error server_config::parse(int argc, char** argv) {
  if (auto err = caf::actor_system_config::parse(argc, argv))
    return err;
  command_line_lists lists{{argv + std::min(argc, 1), argv + argc}};
  visit_options(options, lists);
  return caf::none;
}

std::string server_config::finish() {
  range_checker check;
  visit_options(options, check);
  if (!check.error.empty())
    return check.error;
  if (options.gateway.io_threads == 0)
    options.gateway.io_threads = usable_cores();
  if (options.calculation_pool.threads == 0)
    options.calculation_pool.threads = usable_cores();
  if (options.node_name.empty())
    options.node_name = default_node_name();
  options.server_alerts.clear();
  for (const auto& text : options.alerts) {
    auto a = parse_alert(text);
    if (!a)
      return "--alerts: \"" + text +
             "\" is not \"id metric above|below threshold\" with a market_data field as "
             "metric, e.g. \"rate-high discount_rate above 0.12\"";
    options.server_alerts.push_back(std::move(*a));
  }
  options.system.node = options.node_name;
  options.cluster.node = options.node_name;
  if (auto stats = finance::indicator_stats::create(options.analytics.stats); !stats)
    return "--analytics-" + stats.error().field + ": " + stats.error().message;
  if (options.gateway.tls_cert.empty() != options.gateway.tls_key.empty())
    return "--tls-cert and --tls-key go together";
  if (auto problem = finish_redis(options); !problem.empty())
    return problem;
  if (!is_loopback(options.gateway.host) && !options.gateway.require_auth &&
      !options.allow_anonymous)
    return "--host=" + options.gateway.host +
           " is reachable from other machines but --require-auth is off: anyone could "
           "subscribe, calculate and post. Set --require-auth (with --jwt-secret-file), or "
           "--allow-anonymous to serve it open on purpose";
  return configure_cluster(*this, options.cluster);
}

void server_config::write_defaults(std::ostream& out) {
  // CAF's config files take `;` comments only.
  out << "; rtd-server configuration: every option with its default (uncomment to change).\n"
         "; Each is also a command-line flag: --name=value (a boolean: --name).\n\n[global]\n";
  visit_options(options, defaults_writer{out});
}

} // namespace rtd
