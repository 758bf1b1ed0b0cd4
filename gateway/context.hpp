// What every connection of the gateway shares. Internal to gateway/.
#pragma once

#include "actors/log_throttle.hpp"
#include "auth/roles.hpp"
#include "gateway/beast.hpp"
#include "gateway/gateway.hpp"
#include "gateway/io_lane.hpp"
#include "gateway/rate_limiter.hpp"
#include "gateway/ws_handshake.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace rtd {

/// A token bucket shared by every thread (for node-wide limits such as POSTs).
class shared_rate_limit {
public:
  shared_rate_limit(double rate, double burst);
  bool allow();

private:
  std::mutex mutex_;
  rate_limiter limiter_;
};

/// Why an HTTP request is refused before it is served.
struct http_refusal {
  http::status status;
  protocol::error_code code;
  std::string message;
};

struct gateway_context {
  gateway_context(gateway_config config, gateway_dependencies deps, caf::actor_system& system);

  gateway_config config;
  gateway_dependencies deps;
  caf::actor_system& system;
  /// One per I/O thread. Here rather than in io_server so that they outlive every connection:
  /// actors may drop the last reference to a connection (and its socket) after the gateway
  /// has stopped.
  std::vector<std::unique_ptr<io_lane>> lanes;
  origin_policy origins;
  /// With --tls-cert and --tls-key: every connection speaks TLS (https, wss).
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> next_connection{1};
  std::atomic<bool> accepting{true};            ///< false once shutdown began (GET /ready says 503)
  std::atomic<std::size_t> http_connections{0}; ///< before upgrade (or plain HTTP)
  shared_rate_limit post_limiter;
  std::string metrics_token; ///< from config.metrics_token_file; empty: none
  log_throttle warnings;

  /// Reports a server event on the `notifications` channel (throttled by the notifier).
  void notify(protocol::notification_level level, std::string message) const;

  /// The claims of a valid bearer token of `req` (Authorization header or `token` query
  /// parameter), or why there are none.
  auth::verification verify(const http::request<http::string_body>& req) const;

  /// Nothing when `req` may do `what`, else the refusal (only when auth is required).
  std::optional<http_refusal> authorize(const http::request<http::string_body>& req,
                                        auth::action what) const;

  /// Like authorize() for GET /metrics: the metrics token, or an admin's token.
  std::optional<http_refusal> authorize_scrape(const http::request<http::string_body>& req) const;
};

} // namespace rtd
