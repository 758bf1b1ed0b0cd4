// libFuzzer harness of gateway/ws_frame_parser: arbitrary client bytes, fed whole and again in
// random splits the way a connection reads them. Checks that the parser never uses more than
// it was given, that what it reports obeys RFC 6455 (sizes, close codes, UTF-8), and that the
// events do not depend on how the stream was split.
#include "gateway/ws_frame_parser.hpp"
#include "protocol/utf8.hpp"
#include "tests/fuzz/require.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using rtd::ws_frame_parser;
using rtd::fuzz::require;
using kind = ws_frame_parser::event;

/// What an event said, copied out (its payload is only valid until the next call).
struct seen {
  ws_frame_parser::event::kind_type kind;
  bool text;
  std::uint16_t code;
  std::string payload;
  bool operator==(const seen& o) const {
    return kind == o.kind && text == o.text && code == o.code && payload == o.payload;
  }
};

void check_event(const ws_frame_parser::event& e, std::size_t max_message) {
  switch (e.kind) {
  case kind::message:
    require(e.payload.size() <= max_message);
    require(!e.text || rtd::protocol::is_valid_utf8(e.payload));
    break;
  case kind::ping:
  case kind::pong:
    require(e.payload.size() <= 125);
    break;
  case kind::close:
    require(e.code == 1005 || (e.code >= 1000 && e.code < 5000));
    require(e.payload.size() <= 123 && rtd::protocol::is_valid_utf8(e.payload));
    break;
  case kind::violation:
    require(e.code == 1002 || e.code == 1007 || e.code == 1009);
    require(e.consumed == 0);
    break;
  case kind::need_more:
    break;
  }
}

/// Feeds `stream` in the pieces `cuts` gives (a connection's reads), keeping the unparsed
/// tail as the connection does; stops at a close or a violation, as the connection does.
std::vector<seen> parse(std::string stream, const std::vector<std::size_t>& cuts,
                        std::size_t max_message) {
  ws_frame_parser parser{max_message};
  std::vector<seen> events;
  std::string carry;
  std::size_t fed = 0;
  for (std::size_t piece = 0; fed < stream.size(); ++piece) {
    const std::size_t n = piece < cuts.size() ? cuts[piece] : stream.size() - fed;
    carry.append(stream, fed, n);
    fed += n;
    std::size_t at = 0;
    for (;;) {
      auto e = parser.next(carry.data() + at, carry.size() - at);
      require(e.consumed <= carry.size() - at);
      check_event(e, max_message);
      at += e.consumed;
      if (e.kind == kind::need_more && e.consumed == 0)
        break;
      if (e.kind != kind::need_more)
        events.push_back({e.kind, e.text, e.code, std::string{e.payload}});
      if (e.kind == kind::close || e.kind == kind::violation)
        return events;
      if (e.kind == kind::message)
        parser.release_memory();
      require(parser.buffered() <= max_message);
    }
    carry.erase(0, at);
  }
  return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input{data, size};
  // Small limits reach the 1009 paths; 125 is the control frame bound.
  const auto max_message = input.ConsumeIntegralInRange<std::size_t>(0, 300);
  std::vector<std::size_t> cuts(input.ConsumeIntegralInRange<std::size_t>(0, 16));
  for (auto& cut : cuts)
    cut = input.ConsumeIntegralInRange<std::size_t>(1, 64);
  const std::string stream = input.ConsumeRemainingBytesAsString();
  const auto whole = parse(stream, {}, max_message);
  const auto split = parse(stream, cuts, max_message);
  require(whole == split);
  return 0;
}
