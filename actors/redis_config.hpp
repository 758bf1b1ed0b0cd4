// What the Redis bridge is told at start (server/options.cpp declares the options).
#pragma once

#include "protocol/messages.hpp"
#include "redis/url.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace rtd {

/// The bridge's egress: what may wait for Redis, and the optional stream.
struct redis_egress_config {
  std::size_t max_frames = 4096;    ///< publications sent and not yet answered by Redis
  std::size_t max_bytes = 16 << 20; ///< their bytes
  std::size_t stream_maxlen = 0;    ///< 0: PUBLISH only; else also XADD ... MAXLEN ~ this
};

struct redis_bridge_config {
  redis::endpoint endpoint;
  std::string password; ///< empty: no AUTH
  /// Channels whose publications are PUBLISHed to rtd:<channel>.
  std::vector<protocol::channel> egress{protocol::channel::market_data,
                                        protocol::channel::notifications};
  /// Channels fed from rtd:publish:<channel> (only those `ingestible`).
  std::vector<protocol::channel> ingest{protocol::channel::notifications};
  redis_egress_config limits;
  std::size_t ingest_max_bytes = 65536; ///< larger messages are refused before decoding
  double ingest_rate = 1000;            ///< messages per second, all ingest channels together
  double ingest_burst = 1000;
  /// Messages taken and not yet published (in the actors' mailboxes): more are dropped, so a
  /// rate rtd cannot publish at never piles up in memory.
  std::size_t ingest_max_pending = 4096;
  std::chrono::milliseconds initial_backoff{100}; ///< before the first retry; doubles
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds timeout{5000}; ///< connect, handshake, and any reply
  /// Ingest consumed and egress published. In a cluster only the leader's bridge is active
  /// (one publication per message), switched with redis_active_atom.
  bool active = true;
};

/// Whether other programs may publish into `c` through Redis: only notifications. The other
/// channels' publications come from rtd itself (the market simulator, the calculations, the
/// system monitor) and a second source would break what they mean.
constexpr bool ingestible(protocol::channel c) {
  return c == protocol::channel::notifications;
}

} // namespace rtd
