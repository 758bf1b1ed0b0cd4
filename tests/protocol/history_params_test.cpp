// The history pieces of the protocol: GET /api/history's query parameters checked by the same
// rules (and errors) as a `history` message, a stored market_update read back, and the
// history figures and degraded reason of system_status.
#include "protocol/codec.hpp"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

using namespace rtd::protocol;

namespace {

history_request params_ok(history_params p) {
  auto r = decode_history_params(p);
  if (auto e = std::get_if<decode_error>(&r))
    FAIL("refused: " << e->message);
  return std::get<history_request>(r);
}

decode_error params_fail(history_params p) {
  auto r = decode_history_params(p);
  REQUIRE(std::holds_alternative<decode_error>(r));
  return std::get<decode_error>(r);
}

/// The same request as a message, for comparison: `fields` follow its type.
decode_error message_fail(const std::string& fields) {
  auto r = decode(R"({"type":"history",)" + fields + "}");
  REQUIRE(std::holds_alternative<decode_error>(r));
  return std::get<decode_error>(r);
}

} // namespace

TEST_CASE("history parameters: all, none") {
  auto h = params_ok(
      {"notifications", "10", "2024-01-15T10:30:00Z", "2024-01-15T12:30:00+02:00", "1000"});
  CHECK(h.target == channel::notifications);
  CHECK(h.since_seq == std::optional<std::uint64_t>{10});
  REQUIRE(h.from);
  CHECK(h.from == h.to);
  CHECK(h.limit == 1000);
  auto plain = params_ok({"system", "", "", "", ""});
  CHECK(plain.target == channel::system);
  CHECK_FALSE(plain.since_seq);
  CHECK_FALSE(plain.from);
  CHECK_FALSE(plain.to);
  CHECK(plain.limit == default_history_limit);
  CHECK(params_ok({"market_data", "18446744073709551615", "", "", ""}).since_seq ==
        std::optional<std::uint64_t>{18446744073709551615u});
}

TEST_CASE("history parameters: the message's errors, word for word") {
  const std::string md = R"("channel":"market_data",)";
  const std::pair<history_params, std::string> cases[] = {
      {{"gold", "", "", "", ""}, R"("channel":"gold")"},
      {{"market_data", "-5", "", "", ""}, md + R"("since_seq":-5)"},
      {{"market_data", "ten", "", "", ""}, md + R"("since_seq":"ten")"},
      {{"market_data", "", "", "", "0"}, md + R"("limit":0)"},
      {{"market_data", "", "", "", "1001"}, md + R"("limit":1001)"},
      {{"market_data", "", "", "", "1.5"}, md + R"("limit":"1.5")"},
      {{"market_data", "", "yesterday", "", ""}, md + R"("from":"yesterday")"},
      {{"market_data", "", "2024-01-15T10:30:00Z", "2024-01-15T10:29:59Z", ""},
       md + R"("from":"2024-01-15T10:30:00Z","to":"2024-01-15T10:29:59Z")"},
  };
  for (const auto& [p, fields] : cases) {
    INFO(fields);
    auto a = params_fail(p);
    auto b = message_fail(fields);
    CHECK(to_string(a.code) == to_string(b.code));
    CHECK(a.message == b.message);
    CHECK(a.request_type == "history");
  }
  CHECK(params_fail({"market_data", "", "2024-01-15T10:30:00Z", "2024-01-15T10:29:59Z", ""})
            .message == "from must not be after to");
  CHECK(params_fail({"market_data", "", "", "", "0"}).code == error_code::invalid_parameters);
}

TEST_CASE("a stored market_update is read back; anything else is not") {
  market_snapshot m;
  m[market_indicator::discount_rate] = 0.0812345678901234;
  m[market_indicator::tech_index] = 101.25;
  auto text = encode_publication({channel::market_data, 7, "e", now()}, m);
  auto back = decode_market_update(text);
  REQUIRE(back);
  CHECK(back->values == m.values); // every digit
  CHECK_FALSE(decode_market_update(R"({"type":"notification","data":{}})"));
  CHECK_FALSE(decode_market_update(R"({"type":"market_update","data":{"discount_rate":1}})"));
  CHECK_FALSE(decode_market_update("not json"));
}

TEST_CASE("system_status says degraded, why, and the history figures") {
  system_status s;
  s.status = "degraded";
  s.reasons = {"history not written: disk full"};
  s.history = history_figures{true, 10, 3, 1, 2};
  rapidjson::Document d;
  auto text = encode_publication({channel::system, 1, "e", now()}, s);
  d.Parse(text.c_str(), text.size());
  const auto& data = d["data"];
  CHECK(std::string{data["status"].GetString()} == "degraded");
  CHECK(std::string{data["reasons"][0].GetString()} == "history not written: disk full");
  const auto& h = data["history"];
  CHECK(h["enabled"].GetBool());
  CHECK(h["written"].GetUint64() == 10);
  CHECK(h["pending"].GetUint64() == 3);
  CHECK(h["dropped"].GetUint64() == 1);
  CHECK(h["write_errors"].GetUint64() == 2);
  // Healthy: no reason at all.
  system_status healthy;
  healthy.history = history_figures{};
  text = encode_publication({channel::system, 2, "e", now()}, healthy);
  d.Parse(text.c_str(), text.size());
  CHECK_FALSE(d["data"].HasMember("reasons"));
  CHECK_FALSE(d["data"]["history"]["enabled"].GetBool());
}
