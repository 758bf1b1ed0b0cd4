#include "server/options.hpp"

#include <caf/atom.hpp>
#include <caf/config_option_adder.hpp>

#include <filesystem>
#include <sstream>
#include <thread>

#include <sched.h>
#include <unistd.h>

namespace rtd {

namespace {

template <class T> std::string describe(const std::string& help, const T& default_value) {
  std::ostringstream text;
  text << help << " (default: ";
  if constexpr (std::is_same_v<T, std::string>)
    text << '"' << default_value << '"';
  else
    text << default_value;
  text << ")";
  return text.str();
}

/// Adds an option whose help text shows its default.
template <class T>
void add(caf::config_option_adder& group, T& ref, const char* name, const std::string& help) {
  group.add(ref, name, describe(help, ref));
}

/// The cores this process may run on (taskset, cgroup cpusets), which can be fewer than the
/// machine has: threads beyond them only take turns.
std::size_t usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string default_node_name() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string{host} + "-" + std::to_string(getpid());
}

/// Checks that `value` lies in [low, high]; returns the error message otherwise.
std::string check_range(const char* name, double value, double low, double high) {
  if (value >= low && value <= high)
    return {};
  return std::string{"--"} + name + " must be between " + std::to_string(low) + " and " +
         std::to_string(high) + ", got " + std::to_string(value);
}

} // namespace

std::string default_static_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string{"static"} : (exe.parent_path() / "static").string();
}

server_config::server_config() {
  auto& gw = options.gateway;
  caf::config_option_adder group{custom_options_, "global"};
  add(group, gw.host, "host", "address to listen on");
  add(group, port_, "port", "port for HTTP and WebSocket; 0 picks a free one");
  add(group, io_threads_, "io-threads", "gateway I/O threads; 0: one per core");
  add(group, max_message_size_, "max-message-size", "largest client frame in bytes (1009 above)");
  add(group, outbound_queue_frames_, "outbound-queue-frames",
      "frames queued per client before it is closed with 1013");
  add(group, outbound_queue_bytes_, "outbound-queue-bytes",
      "bytes queued per client before it is closed with 1013");
  add(group, close_timeout_ms_, "close-timeout-ms",
      "time for a close handshake before the socket is dropped");
  add(group, shutdown_grace_ms_, "shutdown-grace-ms",
      "time clients get to take their 1001 close at shutdown");
  add(group, rate_limit_, "rate-limit", "client messages per second per connection");
  add(group, rate_burst_, "rate-burst", "client messages allowed at once per connection");
  add(group, rate_limit_close_after_s_, "rate-limit-close-after-s",
      "seconds over the rate limit before closing with 1008");
  add(group, max_connections_, "max-connections", "WebSocket connections at once");
  add(group, max_http_body_, "max-http-body", "largest HTTP request body in bytes (413 above)");
  add(group, options.market_interval_ms, "market-interval-ms", "market_data publication period");
  add(group, options.system_interval_ms, "system-interval-ms", "system_status publication period");
  add(group, seed_, "seed", "market simulator seed; 0 draws one");
  add(group, options.data_dir, "data-dir", "directory for persistent data");
  add(group, history_size_, "history-size", "publications kept per channel for recovery");
  gw.static_dir = default_static_dir();
  add(group, gw.static_dir, "static-dir", "folder served at GET / (the dashboard)");
  add(group, options.node_name, "node-name", "this node's name; empty: hostname-pid");
  add(group, notification_rate_, "notification-rate",
      "server event notifications per second before throttling");
  add(group, max_calculations_per_session_, "max-calculations-per-session",
      "calculations running at once per connection");
  add(group, cache_max_entries_, "cache-max-entries", "results kept in the calculation cache");
  add(group, options.cache_ttl_ms, "cache-ttl-ms", "how long a cached result stays valid");
  add(group, calculation_chunk_, "calculation-chunk",
      "Monte Carlo iterations a job runs before yielding to other actors");
  add(group, options.log_level, "log-level", "trace, debug, info, warn, error or off");
  // Two busy pools (CAF workers, gateway I/O) share the cores: size CAF to the cores too.
  set("scheduler.max-threads", usable_cores());
  // Work stealing polls with sleeps while idle, which measured as ~10% of a core of context
  // switches under fan-out; the sharing policy blocks idle workers instead (bench/RESULTS.md).
  set("scheduler.policy", caf::atom("sharing"));
}

std::string server_config::finish() {
  auto& gw = options.gateway;
  std::string error;
  auto check = [&](const char* name, double value, double low, double high) {
    if (error.empty())
      error = check_range(name, value, low, high);
  };
  check("port", port_, 0, 65535);
  check("io-threads", io_threads_, 0, 256);
  check("max-message-size", max_message_size_, 16, 64 << 20);
  check("outbound-queue-frames", outbound_queue_frames_, 1, 1 << 24);
  check("outbound-queue-bytes", outbound_queue_bytes_, 1024, 1LL << 32);
  check("close-timeout-ms", close_timeout_ms_, 1, 600000);
  check("shutdown-grace-ms", shutdown_grace_ms_, 0, 600000);
  check("rate-limit", rate_limit_, 0.001, 1e9);
  check("rate-burst", rate_burst_, 1, 1e9);
  check("rate-limit-close-after-s", rate_limit_close_after_s_, 1, 86400);
  check("max-connections", max_connections_, 1, 1 << 24);
  check("max-http-body", max_http_body_, 0, 64 << 20);
  check("market-interval-ms", options.market_interval_ms, 1, 86400000);
  check("system-interval-ms", options.system_interval_ms, 1, 86400000);
  check("history-size", history_size_, 0, 1 << 24);
  check("notification-rate", notification_rate_, 1, 1e6);
  check("seed", seed_, 0, 9.2e18);
  check("max-calculations-per-session", max_calculations_per_session_, 1, 1e6);
  check("cache-max-entries", cache_max_entries_, 0, 1e8);
  check("cache-ttl-ms", options.cache_ttl_ms, 0, 1e12);
  check("calculation-chunk", calculation_chunk_, 1024, 1e9);
  if (!error.empty())
    return error;
  gw.port = static_cast<std::uint16_t>(port_);
  gw.io_threads = io_threads_ > 0 ? static_cast<std::size_t>(io_threads_) : usable_cores();
  gw.max_message_size = static_cast<std::size_t>(max_message_size_);
  gw.outbound_queue_frames = static_cast<std::size_t>(outbound_queue_frames_);
  gw.outbound_queue_bytes = static_cast<std::size_t>(outbound_queue_bytes_);
  gw.close_timeout = std::chrono::milliseconds{close_timeout_ms_};
  gw.shutdown_grace = std::chrono::milliseconds{shutdown_grace_ms_};
  gw.rate_limit = rate_limit_;
  gw.rate_burst = rate_burst_;
  gw.rate_limit_close_after = std::chrono::seconds{rate_limit_close_after_s_};
  gw.max_connections = static_cast<std::size_t>(max_connections_);
  gw.max_http_body = static_cast<std::size_t>(max_http_body_);
  options.history_size = static_cast<std::size_t>(history_size_);
  options.notification_rate = static_cast<std::uint32_t>(notification_rate_);
  options.seed = static_cast<std::uint64_t>(seed_);
  options.max_calculations_per_session = static_cast<std::size_t>(max_calculations_per_session_);
  options.cache_max_entries = static_cast<std::size_t>(cache_max_entries_);
  options.calculation_chunk = static_cast<std::uint64_t>(calculation_chunk_);
  if (options.node_name.empty())
    options.node_name = default_node_name();
  return {};
}

} // namespace rtd
