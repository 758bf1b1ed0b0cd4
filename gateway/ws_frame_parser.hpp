// RFC 6455 frames from a client, checked strictly, and assembled into messages. Pure (no I/O):
// the connection feeds it the bytes it reads and acts on what comes out. Violations map to
// the close codes of RFC 6455 section 7.4.1: 1002 protocol error, 1007 invalid UTF-8 in a
// text message, 1009 message over the size limit.
#pragma once

#include "protocol/utf8.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtd {

class ws_frame_parser {
public:
  enum class opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
  };

  /// What one call to next() found.
  struct event {
    enum kind_type {
      need_more, ///< no complete frame in the bytes given: read more, keep the rest
      message,   ///< a complete text or binary message in `payload`
      ping,      ///< answer with a pong carrying `payload`
      pong,      ///< ignore
      close,     ///< the client closes: `code` (1005 when it gave none) and `payload` (reason)
      violation, ///< close the connection with `code`, `payload` says why
    } kind = need_more;
    bool text = false;        ///< for message
    std::uint16_t code = 0;   ///< for close and violation
    std::string_view payload; ///< valid until the next call (may point into the input)
    std::size_t consumed = 0; ///< bytes of the input this event used up
  };

  explicit ws_frame_parser(std::size_t max_message_size) : max_message_size_(max_message_size) {}

  /// Parses the first frame of `data` (unmasking its payload in place). A frame that belongs
  /// to a fragmented message is kept until the message is complete; need_more then means
  /// "call again with the bytes after `consumed`".
  event next(char* data, std::size_t size);

  /// Bytes held for a fragmented message in progress.
  std::size_t buffered() const { return fragments_.size(); }

  /// Frees the buffer of a finished fragmented message.
  void release_memory();

private:
  event violation(std::uint16_t code, std::string_view why);
  event data_frame(bool fin, opcode op, std::string_view payload, std::size_t consumed);
  event control_frame(opcode op, std::string_view payload, std::size_t consumed);

  std::size_t max_message_size_;
  bool in_message_ = false; ///< a fragmented message is in progress
  bool message_text_ = false;
  std::string fragments_; ///< its payload so far
  protocol::utf8_validator utf8_;
};

} // namespace rtd
