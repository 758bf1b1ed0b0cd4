// The narrow seam between actors and the gateway: where a session's outbound frames go.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace rtd {

/// One encoded JSON text frame. Immutable once made, so one publication's frame is shared by
/// every subscriber without copying.
using frame = std::shared_ptr<const std::string>;

inline frame make_frame(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

/// WebSocket close codes the server sends (RFC 6455, section 7.4.1).
enum class close_code : std::uint16_t {
  going_away = 1001,
  policy_violation = 1008,
  too_big = 1009,
  try_again_later = 1013,
};

/// A client connection as the actors see it. Implemented by the gateway; every member is
/// thread-safe and never blocks, so actors call it from any scheduler thread.
class frame_sink {
public:
  virtual ~frame_sink() = default;

  /// Queues a frame for the client, in call order. Returns false when the connection is
  /// closing or the frame overflowed the outbound bound (which closes it with 1013).
  virtual bool send(frame f) = 0;

  /// Starts a close handshake with `code`; frames queued afterwards are discarded.
  virtual void close(close_code code, std::string reason) = 0;
};

/// Shared by the session and the channels it subscribed to. Never leaves the node.
using frame_sink_ptr = std::shared_ptr<frame_sink>;

} // namespace rtd
