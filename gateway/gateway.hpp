// The gateway actor: owns the Beast listener and its I/O threads, turns WebSocket JSON frames
// into messages to session actors and HTTP requests into answers. Include this, not Beast.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/session.hpp"
#include "actors/traffic_counters.hpp"
#include "auth/jwt_verifier.hpp"
#include "metrics/node_metrics.hpp"

#include <caf/fwd.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rtd {

struct gateway_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;            ///< 0 picks a free port
  std::size_t io_threads = 0;           ///< 0: one per usable core (resolved by the server options)
  std::size_t max_message_size = 65536; ///< larger client frames close with 1009
  std::size_t outbound_queue_frames = 1024; ///< per connection; overflow closes with 1013
  std::size_t outbound_queue_bytes = 1 << 20;
  std::chrono::milliseconds close_timeout{5000}; ///< then the socket is closed outright
  double rate_limit = 100;                       ///< client messages per second
  double rate_burst = 200;
  std::chrono::seconds rate_limit_close_after{10}; ///< then close 1008
  std::size_t max_connections = 10000;
  std::size_t max_http_body = 65536;
  std::string static_dir;                         ///< served at GET /; empty serves nothing
  std::chrono::milliseconds shutdown_grace{1000}; ///< for clients to take their 1001
  std::chrono::milliseconds idle_timeout{60000};  ///< WebSocket without input: ping at half, close
  std::chrono::milliseconds http_timeout{10000};  ///< to send a whole request (or the upgrade)
  std::size_t max_http_connections = 1024;        ///< before upgrade; more are closed at once
  std::size_t socket_send_buffer = 0; ///< SO_SNDBUF of client sockets; 0: the kernel's autotuning
  unsigned send_batch = 256; ///< sends submitted to io_uring at once per lane; 0: one call each
  std::vector<std::string> allowed_origins; ///< besides same-origin and no Origin
  double post_rate = 10;                    ///< POST /api/notifications per second, node-wide
  double post_burst = 20;
  bool require_auth = false;      ///< every request needs a valid token (and its roles)
  std::string metrics_token_file; ///< with require_auth: the bearer token GET /metrics takes
  std::string tls_cert;           ///< PEM certificate chain; with tls_key, the port speaks only TLS
  std::string tls_key;            ///< PEM private key
};

/// What the gateway hands to the rest of the node.
struct gateway_dependencies {
  std::shared_ptr<const session_context> sessions;
  notifier_actor notifier;
  std::shared_ptr<traffic_counters> traffic;
  std::shared_ptr<const auth::jwt_verifier> verifier; ///< null: no authentication configured
  std::shared_ptr<metrics::node_metrics> metrics;     ///< one lane's counters per I/O thread
  std::shared_ptr<const std::atomic<bool>> joined;    ///< the cluster actor sets it (GET /ready)
};

using gateway_actor = caf::typed_actor<
    // The port the listener is bound to.
    caf::replies_to<caf::get_atom>::with<std::uint16_t>,
    // Graceful stop: every client closed with 1001, I/O threads joined; replies when done.
    caf::replies_to<caf::close_atom>::with<caf::ok_atom>>;

/// Binds the listener (throwing std::runtime_error with a readable reason when it cannot),
/// starts the I/O threads and spawns the gateway actor that owns them.
gateway_actor start_gateway(caf::actor_system& system, gateway_config config,
                            gateway_dependencies deps);

} // namespace rtd
