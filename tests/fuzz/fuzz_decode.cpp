// libFuzzer harness of protocol::decode, the calculation rules and the POST body decoder: a
// client's text frame (or POST body) as it arrives. Checks that a failure explains itself,
// that a decoded `calculate` can be validated and keyed, and that every reply the server
// would send about the input (the error echoing its id, type and calculation_id, a pong, the
// published notification) is a valid UTF-8 JSON object.
#include "protocol/calculation_rules.hpp"
#include "protocol/codec.hpp"
#include "protocol/utf8.hpp"
#include "tests/fuzz/require.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

namespace {

using namespace rtd::protocol;
using rtd::fuzz::require;

/// The header of a publication on `source`.
publication_header header_of(channel source) {
  return {source, 1, "epoch", now()};
}

/// A frame the server would send: valid UTF-8, one JSON object with a string `type`.
void check_frame(const std::string& frame) {
  require(is_valid_utf8(frame));
  rapidjson::Document doc;
  doc.Parse(frame.data(), frame.size());
  require(!doc.HasParseError() && doc.IsObject());
  auto type = doc.FindMember("type");
  require(type != doc.MemberEnd() && type->value.IsString());
}

void check_calculate(const calculate_request& request) {
  if (auto refused = validate(request)) {
    require(!refused->message.empty());
    return;
  }
  require(request.parameters.cash_flows.size() <= max_cash_flows);
  // Its updates are broadcast on `calculations` with the client's calculation_id.
  calculation_update started;
  started.calculation_id = request.calculation_id.value_or("generated");
  started.type = request.type;
  started.time = now();
  check_frame(encode_publication(header_of(channel::calculations), started));
  // Equal requests, equal keys; the key does not depend on the market unless asked to.
  const market_inputs market{0.05, 0.2, {}};
  const auto key = cache_key(request, market);
  require(!key.empty() && key == cache_key(request, market));
  if (depends_on_market(request) == market_dependence::none)
    require(key == cache_key(request, market_inputs{0.07, 0.3, {}}));
}

void check_message(client_message& message) {
  if (auto calculate = std::get_if<calculate_request>(&message.body))
    check_calculate(*calculate);
  check_frame(encode(pong{message.id, now()}));
  // The error a session may answer any request with echoes its id and type.
  error_reply refusal{message.id, error_code::forbidden, "refused",
                      std::string{type_name(message.body)}, std::nullopt};
  check_frame(encode(refusal));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  auto decoded = decode(text);
  if (auto message = std::get_if<client_message>(&decoded)) {
    check_message(*message);
  } else {
    auto& error = std::get<decode_error>(decoded);
    require(!error.message.empty());
    check_frame(encode(to_error_reply(std::move(error))));
  }
  auto posted = decode_notification_post(text);
  if (auto n = std::get_if<notification>(&posted)) {
    check_frame(encode_publication(header_of(channel::notifications), *n));
  } else {
    require(!std::get<decode_error>(posted).message.empty());
  }
  return 0;
}
