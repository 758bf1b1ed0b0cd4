#include "server/options.hpp"

#include "server/option_types.hpp"

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
  visit("cache-max-entries", o.calculations.cache_max_entries,
        "results kept in the calculation cache", bounds{0, 1e8});
  visit("cache-ttl-ms", o.calculations.cache_ttl, "how long a cached result stays valid",
        bounds{0, 1e12});
  visit("calculation-chunk", o.calculations.chunk_iterations,
        "Monte Carlo iterations a job runs before yielding to other actors", bounds{1024, 1e9});
  visit("data-dir", o.data_dir, "directory for persistent data");
  visit("history-size", o.history_size, "publications kept per channel for recovery",
        bounds{0, 1 << 24});
  visit("node-name", o.node_name, "this node's name; empty: hostname-pid");
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

/// The cores this process may run on (taskset, cgroup cpusets), which can be fewer than the
/// machine has: threads beyond them only take turns.
std::size_t usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
  return std::max(1u, std::thread::hardware_concurrency());
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
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
  // Work stealing polls with sleeps while idle, which measured as ~10% of a core of context
  // switches under fan-out; the sharing policy blocks idle workers instead (bench/RESULTS.md).
  set("scheduler.policy", caf::atom("sharing"));
}

std::string server_config::finish() {
  range_checker check;
  visit_options(options, check);
  if (!check.error.empty())
    return check.error;
  if (options.gateway.io_threads == 0)
    options.gateway.io_threads = usable_cores();
  if (options.node_name.empty())
    options.node_name = default_node_name();
  options.system.node = options.node_name;
  if (options.gateway.tls_cert.empty() != options.gateway.tls_key.empty())
    return "--tls-cert and --tls-key go together";
  if (!is_loopback(options.gateway.host) && !options.gateway.require_auth &&
      !options.allow_anonymous)
    return "--host=" + options.gateway.host +
           " is reachable from other machines but --require-auth is off: anyone could "
           "subscribe, calculate and post. Set --require-auth (with --jwt-secret-file), or "
           "--allow-anonymous to serve it open on purpose";
  return {};
}

void server_config::write_defaults(std::ostream& out) {
  // CAF's config files take `;` comments only.
  out << "; rtd-server configuration: every option with its default (uncomment to change).\n"
         "; Each is also a command-line flag: --name=value (a boolean: --name).\n\n[global]\n";
  visit_options(options, defaults_writer{out});
}

} // namespace rtd
