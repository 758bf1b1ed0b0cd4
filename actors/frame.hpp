// What actors hand to connections: encoded server messages, each a complete WebSocket frame.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rtd {

/// One server message as a connection writes it: a WebSocket text frame (RFC 6455: server
/// frames are unmasked, so the bytes are the same for every client), header then JSON text.
/// Made once, immutable, shared by every connection it goes to.
class encoded_frame {
public:
  /// WebSocket opcodes the server writes.
  enum opcode : std::uint8_t { text = 0x1, close = 0x8, ping = 0x9, pong = 0xA };

  explicit encoded_frame(std::string_view payload, opcode op = text);

  /// Header and payload: what a socket writes.
  std::string_view bytes() const { return bytes_; }

  /// The JSON text of a text frame (what history keeps and HTTP routes return).
  std::string_view payload() const { return std::string_view{bytes_}.substr(header_size_); }

  std::size_t size() const { return bytes_.size(); }

private:
  std::string bytes_;
  std::uint8_t header_size_;
};

using frame = std::shared_ptr<const encoded_frame>;

inline frame make_frame(std::string_view json) {
  return std::make_shared<const encoded_frame>(json);
}

/// `f`'s JSON object with `"skipped":n` added: what a conflated publication says it replaced.
frame with_skipped(const encoded_frame& f, std::uint64_t n);

/// A frame as one connection queues it.
struct outbound {
  frame data;
  /// What a channel sends (acks, publications) names the channel, so that the connection can
  /// tell how many publications conflation skipped. -1 for everything else.
  std::int8_t channel = -1;
  /// With `channel`: the publication's seq, or for an ack the seq it reports (0 for
  /// `unsubscribed`: nothing follows).
  std::uint64_t seq = 0;
  /// A live publication of a latest-value channel that a newer one may replace while queued.
  bool conflatable = false;
  /// An ack (`subscribed`, `unsubscribed`): the generation of the channel's subscribers after
  /// the change it reports (subscriber_set). A publication handed out for an older
  /// generation is not for this connection any more (delivery_lane).
  std::uint64_t membership = 0;
};

/// WebSocket close codes the server sends (RFC 6455, section 7.4.1).
enum class close_code : std::uint16_t {
  normal = 1000,
  going_away = 1001,
  protocol_error = 1002,
  invalid_payload = 1007,
  policy_violation = 1008,
  too_big = 1009,
  internal_error = 1011,
  try_again_later = 1013,
};

} // namespace rtd
