// RFC 6455 client frames: what the parser accepts, assembles and refuses with which close code.
#include "gateway/ws_frame_parser.hpp"

#include <doctest/doctest.h>

#include <string>

using rtd::ws_frame_parser;
using kind = ws_frame_parser::event;

namespace {

/// A masked client frame: `first` is FIN/RSV/opcode, then length, mask and masked payload.
std::string frame(unsigned char first, std::string_view payload, bool masked = true,
                  int length_form = 0) {
  std::string f(1, static_cast<char>(first));
  const unsigned char mask_bit = masked ? 0x80 : 0x00;
  auto n = payload.size();
  if (length_form == 0 && n < 126) {
    f += static_cast<char>(mask_bit | n);
  } else if (length_form == 16 || (length_form == 0 && n <= 0xFFFF)) {
    f += static_cast<char>(mask_bit | 126);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n & 0xFF);
  } else {
    f += static_cast<char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i)
      f += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xFF);
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  if (masked)
    f.append(key, 4);
  for (std::size_t i = 0; i < n; ++i)
    f += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
  return f;
}

ws_frame_parser::event parse_one(ws_frame_parser& p, std::string& bytes) {
  return p.next(bytes.data(), bytes.size());
}

std::uint16_t violation_of(std::string bytes, std::size_t max = 1024) {
  ws_frame_parser p{max};
  std::size_t at = 0;
  for (;;) {
    auto e = p.next(bytes.data() + at, bytes.size() - at);
    if (e.kind == kind::violation)
      return e.code;
    if (e.kind == kind::need_more && e.consumed == 0)
      return 0;
    at += e.consumed;
  }
}

} // namespace

TEST_CASE("a whole masked text frame is one message, unmasked in place") {
  ws_frame_parser p{1024};
  auto bytes = frame(0x81, R"({"type":"ping"})");
  auto e = parse_one(p, bytes);
  REQUIRE(e.kind == kind::message);
  CHECK(e.text);
  CHECK(e.payload == R"({"type":"ping"})");
  CHECK(e.consumed == bytes.size());
}

TEST_CASE("a frame split anywhere waits for the rest") {
  const std::string payload(300, 'x'); // 16-bit length form
  auto bytes = frame(0x81, payload);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    ws_frame_parser p{1024};
    std::string head = bytes.substr(0, cut);
    auto e = p.next(head.data(), head.size());
    CHECK(e.kind == kind::need_more);
    CHECK(e.consumed == 0);
  }
}

TEST_CASE("fragments are assembled, control frames may come in between") {
  ws_frame_parser p{1024};
  std::string bytes =
      frame(0x01, "hel") + frame(0x89, "p") + frame(0x00, "lo ") + frame(0x80, "you");
  std::size_t at = 0;
  auto next = [&] {
    auto e = p.next(bytes.data() + at, bytes.size() - at);
    at += e.consumed;
    return e;
  };
  CHECK(next().kind == kind::need_more);
  auto ping = next();
  CHECK(ping.kind == kind::ping);
  CHECK(ping.payload == "p");
  CHECK(next().kind == kind::need_more);
  auto whole = next();
  REQUIRE(whole.kind == kind::message);
  CHECK(whole.payload == "hello you");
}

TEST_CASE("close frames: code and reason, or none") {
  ws_frame_parser p{1024};
  auto bytes = frame(0x88, std::string("\x03\xE8", 2) + "bye");
  auto e = parse_one(p, bytes);
  REQUIRE(e.kind == kind::close);
  CHECK(e.code == 1000);
  CHECK(e.payload == "bye");
  ws_frame_parser q{1024};
  auto empty = frame(0x88, "");
  auto none = parse_one(q, empty);
  CHECK(none.kind == kind::close);
  CHECK(none.code == 1005);
}

TEST_CASE("protocol violations close with 1002") {
  CHECK(violation_of(frame(0x81, "x", false)) == 1002);             // unmasked
  CHECK(violation_of(frame(0xC1, "x")) == 1002);                    // RSV1 without extension
  CHECK(violation_of(frame(0x83, "x")) == 1002);                    // reserved opcode
  CHECK(violation_of(frame(0x8B, "x")) == 1002);                    // reserved control opcode
  CHECK(violation_of(frame(0x09, "x")) == 1002);                    // fragmented ping
  CHECK(violation_of(frame(0x89, std::string(126, 'x'))) == 1002);  // control over 125 bytes
  CHECK(violation_of(frame(0x80, "x")) == 1002);                    // continuation of nothing
  CHECK(violation_of(frame(0x01, "a") + frame(0x81, "b")) == 1002); // new message mid-message
  CHECK(violation_of(frame(0x81, "short", true, 16)) == 1002);      // non-minimal 16-bit length
  CHECK(violation_of(frame(0x81, std::string(200, 'x'), true, 64)) == 1002); // non-minimal 64
  CHECK(violation_of(frame(0x88, "\x03")) == 1002);                     // one-byte close payload
  CHECK(violation_of(frame(0x88, std::string("\x03\xED", 2))) == 1002); // close code 1005
  CHECK(violation_of(frame(0x88, std::string("\x03\xEE", 2))) == 1002); // close code 1006
  CHECK(violation_of(frame(0x88, std::string("\x00\x10", 2))) == 1002); // below 1000
  std::string huge("\x81\xFF\x80\x00\x00\x00\x00\x00\x00\x00", 10);     // 64-bit length, high bit
  CHECK(violation_of(huge) == 1002);
}

TEST_CASE("invalid UTF-8 in text closes with 1007, as soon as it is seen") {
  CHECK(violation_of(frame(0x81, "\xED\xB0\x80")) == 1007);
  CHECK(violation_of(frame(0x81, "ok\xFF")) == 1007);
  CHECK(violation_of(frame(0x01, "\xC3") + frame(0x80, "")) == 1007); // truncated at the end
  CHECK(violation_of(frame(0x01, "\xFF")) == 1007); // before the message is complete
  CHECK(violation_of(frame(0x01, "caf\xC3") + frame(0x80, "\xA9")) == 0);   // split character
  CHECK(violation_of(frame(0x88, std::string("\x03\xE8\xFF", 3))) == 1007); // close reason
  CHECK(violation_of(frame(0x82, "\xFF\xFE")) == 0);                        // binary is not text
}

TEST_CASE("a message over the limit closes with 1009 from its header, before buffering") {
  CHECK(violation_of(frame(0x81, std::string(1024, 'x'))) == 0);
  CHECK(violation_of(frame(0x81, std::string(1025, 'x'))) == 1009);
  std::string header_only = frame(0x81, std::string(5000, 'x')).substr(0, 8);
  CHECK(violation_of(header_only) == 1009);
  CHECK(violation_of(frame(0x01, std::string(600, 'x')) + frame(0x80, std::string(600, 'x'))) ==
        1009);
}
