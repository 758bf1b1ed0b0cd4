// The narrow seam between actors and the gateway: where a session's outbound frames go.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

class frame_sink;

/// Shared by the session and the channels it subscribed to. Never leaves the node.
using frame_sink_ptr = std::shared_ptr<frame_sink>;

/// The sinks served by one I/O thread. A channel hands a publication to each group once, for
/// all of the group's subscribers, instead of once per subscriber: one hop per thread.
class delivery_group {
public:
  virtual ~delivery_group() = default;

  /// Queues `f` for every sink in `sinks` (all of this group), in the order of calls.
  virtual void deliver(frame f, std::shared_ptr<const std::vector<frame_sink_ptr>> sinks) = 0;

  /// Queues `frames`, in order, for one sink of this group, in the same order as deliver().
  virtual void deliver_to(frame_sink_ptr sink, std::vector<frame> frames) = 0;
};

/// A client connection as the actors see it. Implemented by the gateway; every member is
/// thread-safe and never blocks, so actors call it from any scheduler thread.
class frame_sink {
public:
  virtual ~frame_sink() = default;

  /// The group this sink belongs to. Frames that must stay in order with publications
  /// (acks, recovered publications) go through it too.
  virtual delivery_group& group() = 0;

  /// Queues a frame for the client, in call order. Returns false when the connection is
  /// closing or the frame overflowed the outbound bound (which closes it with 1013).
  virtual bool send(frame f) = 0;

  /// Starts a close handshake with `code`; frames queued afterwards are discarded.
  virtual void close(close_code code, std::string reason) = 0;
};

/// A group whose deliveries call send() at once, for sinks without an I/O thread of their
/// own (tests, in-process clients).
class direct_delivery : public delivery_group {
public:
  void deliver(frame f, std::shared_ptr<const std::vector<frame_sink_ptr>> sinks) override {
    for (const auto& sink : *sinks)
      sink->send(f);
  }

  void deliver_to(frame_sink_ptr sink, std::vector<frame> frames) override {
    for (auto& f : frames)
      sink->send(std::move(f));
  }

  static direct_delivery& instance() {
    static direct_delivery group;
    return group;
  }
};

} // namespace rtd
