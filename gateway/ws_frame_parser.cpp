#include "gateway/ws_frame_parser.hpp"

namespace rtd {

namespace {

constexpr std::uint16_t protocol_error = 1002;
constexpr std::uint16_t invalid_payload = 1007;
constexpr std::uint16_t too_big = 1009;
constexpr std::uint16_t no_status = 1005;
constexpr std::size_t max_control_payload = 125;

bool is_data(ws_frame_parser::opcode op) {
  return op == ws_frame_parser::opcode::text || op == ws_frame_parser::opcode::binary ||
         op == ws_frame_parser::opcode::continuation;
}

bool is_known(std::uint8_t op) {
  return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

/// Close codes a peer may send (RFC 6455 7.4, IANA registry): 1004-1006 and 1015 are
/// reserved for reporting, never for the wire.
bool valid_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

void unmask(char* payload, std::size_t size, const unsigned char* key) {
  for (std::size_t i = 0; i < size; ++i)
    payload[i] = static_cast<char>(static_cast<unsigned char>(payload[i]) ^ key[i & 3]);
}

} // namespace

ws_frame_parser::event ws_frame_parser::violation(std::uint16_t code, std::string_view why) {
  event e;
  e.kind = event::violation;
  e.code = code;
  e.payload = why;
  return e;
}

ws_frame_parser::event ws_frame_parser::next(char* data, std::size_t size) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  if (size < 2)
    return {};
  const bool fin = bytes[0] & 0x80;
  const auto raw_op = static_cast<std::uint8_t>(bytes[0] & 0x0F);
  if (bytes[0] & 0x70)
    return violation(protocol_error, "reserved bits set without an extension");
  if (!is_known(raw_op))
    return violation(protocol_error, "unknown opcode");
  if (!(bytes[1] & 0x80))
    return violation(protocol_error, "client frames must be masked");
  std::uint64_t length = bytes[1] & 0x7F;
  std::size_t header = 2;
  if (length == 126) {
    if (size < 4)
      return {};
    length = (std::uint64_t{bytes[2]} << 8) | bytes[3];
    header = 4;
    if (length < 126)
      return violation(protocol_error, "payload length not in its shortest form");
  } else if (length == 127) {
    if (size < 10)
      return {};
    length = 0;
    for (int i = 2; i < 10; ++i)
      length = (length << 8) | bytes[i];
    header = 10;
    if (length >> 63)
      return violation(protocol_error, "payload length has its high bit set");
    if (length <= 0xFFFF)
      return violation(protocol_error, "payload length not in its shortest form");
  }
  const auto op = static_cast<opcode>(raw_op);
  if (!is_data(op) && (!fin || length > max_control_payload))
    return violation(protocol_error, "control frames must be whole and at most 125 bytes");
  // Refuse an oversized message from its header, before buffering any of it.
  if (is_data(op) && (in_message_ ? fragments_.size() : 0) + length > max_message_size_)
    return violation(too_big, "message over the size limit");
  header += 4; // the masking key
  if (size < header + length)
    return {};
  char* payload = data + header;
  unmask(payload, static_cast<std::size_t>(length), bytes + header - 4);
  const std::string_view view{payload, static_cast<std::size_t>(length)};
  const std::size_t consumed = header + static_cast<std::size_t>(length);
  return is_data(op) ? data_frame(fin, op, view, consumed) : control_frame(op, view, consumed);
}

ws_frame_parser::event ws_frame_parser::data_frame(bool fin, opcode op, std::string_view payload,
                                                   std::size_t consumed) {
  if (op == opcode::continuation && !in_message_)
    return violation(protocol_error, "continuation frame without a message");
  if (op != opcode::continuation && in_message_)
    return violation(protocol_error, "new message before the fragmented one ended");
  const bool text = op == opcode::continuation ? message_text_ : op == opcode::text;
  if (op != opcode::continuation)
    utf8_.reset();
  // Fail fast on invalid UTF-8, even in the middle of a fragmented message.
  if (text && !utf8_.feed(payload))
    return violation(invalid_payload, "text message is not valid UTF-8");
  event e;
  e.consumed = consumed;
  if (fin && !in_message_) { // the common case: one frame, no copy
    if (text && !utf8_.complete())
      return violation(invalid_payload, "text message is not valid UTF-8");
    e.kind = event::message;
    e.text = text;
    e.payload = payload;
    return e;
  }
  if (!in_message_) {
    in_message_ = true;
    message_text_ = text;
    fragments_.clear();
  }
  fragments_.append(payload);
  if (!fin)
    return e; // need_more, with `consumed` set: call again after it
  in_message_ = false;
  if (text && !utf8_.complete())
    return violation(invalid_payload, "text message is not valid UTF-8");
  e.kind = event::message;
  e.text = text;
  e.payload = fragments_;
  return e;
}

ws_frame_parser::event ws_frame_parser::control_frame(opcode op, std::string_view payload,
                                                      std::size_t consumed) {
  event e;
  e.consumed = consumed;
  e.payload = payload;
  if (op == opcode::ping) {
    e.kind = event::ping;
    return e;
  }
  if (op == opcode::pong) {
    e.kind = event::pong;
    return e;
  }
  e.kind = event::close;
  if (payload.empty()) {
    e.code = no_status;
    return e;
  }
  if (payload.size() == 1)
    return violation(protocol_error, "close frame with a one-byte payload");
  e.code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
  if (!valid_close_code(e.code))
    return violation(protocol_error, "invalid close code");
  e.payload = payload.substr(2);
  if (!protocol::is_valid_utf8(e.payload))
    return violation(invalid_payload, "close reason is not valid UTF-8");
  return e;
}

void ws_frame_parser::release_memory() {
  if (!in_message_)
    std::string{}.swap(fragments_);
}

} // namespace rtd
