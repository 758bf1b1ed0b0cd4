// Encoding server messages: each frame is re-parsed and its fields checked, so field types,
// presence and absence are tested, not only the text.
#include "protocol/codec.hpp"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace rtd::protocol;

namespace {

/// Parses a frame as RapidJSON, with full-precision numbers; it must be a JSON object.
struct parsed {
  explicit parsed(const std::string& frame) {
    INFO(frame);
    doc.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag>(
        frame.c_str(), frame.size());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
  }
  const rapidjson::Value& operator[](const char* key) const {
    INFO("missing field " << key);
    REQUIRE(doc.HasMember(key));
    return doc[key];
  }
  bool has(const char* key) const { return doc.HasMember(key); }
  std::string str(const char* key) const {
    const auto& v = (*this)[key];
    REQUIRE(v.IsString());
    return {v.GetString(), v.GetStringLength()};
  }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& m : doc.GetObject())
      out.emplace_back(m.name.GetString());
    return out;
  }
  rapidjson::Document doc;
};

std::string str(const rapidjson::Value& v) {
  REQUIRE(v.IsString());
  return {v.GetString(), v.GetStringLength()};
}

std::vector<std::string> keys(const rapidjson::Value& v) {
  std::vector<std::string> out;
  for (const auto& m : v.GetObject())
    out.emplace_back(m.name.GetString());
  return out;
}

const timestamp t0 = *parse_timestamp("2024-01-15T10:30:00.123456Z");
const timestamp t1 = *parse_timestamp("2024-01-15T10:30:05Z");

publication_header header_of(channel c, std::uint64_t seq) {
  return {c, seq, "ep-1", t1};
}

} // namespace

TEST_CASE("welcome") {
  const std::string frame = encode(welcome{"s-42", "node-a"});
  CHECK(frame ==
        R"({"type":"welcome","session_id":"s-42","node":"node-a","protocol":1,)"
        R"("channels":["market_data","calculations","notifications","system","analytics"]})");
  parsed p{frame};
  CHECK(p["protocol"].IsInt());
  CHECK(p["protocol"].GetInt() == version);
  REQUIRE(p["channels"].IsArray());
  CHECK(p["channels"].Size() == 5);
}

TEST_CASE("subscribed: recovered only when set, id only when present") {
  parsed plain{encode(subscribed{{}, channel::market_data, 41, "ep", std::nullopt})};
  CHECK(plain.keys() == std::vector<std::string>{"type", "channel", "seq", "epoch"});
  CHECK(plain.str("type") == "subscribed");
  CHECK(plain.str("channel") == "market_data");
  CHECK(plain["seq"].GetUint64() == 41);
  CHECK(plain.str("epoch") == "ep");

  parsed recovered{encode(subscribed{std::string{"r1"}, channel::system, 0, "e2", true})};
  CHECK(recovered["recovered"].IsTrue());
  CHECK(recovered.str("id") == "r1");
  CHECK(recovered["seq"].GetUint64() == 0);

  parsed lost{encode(subscribed{std::int64_t{-3}, channel::calculations, UINT64_MAX, "e3", false})};
  CHECK(lost["recovered"].IsFalse());
  CHECK(lost["id"].IsInt64());
  CHECK(lost["id"].GetInt64() == -3);
  CHECK(lost["seq"].GetUint64() == UINT64_MAX);
}

TEST_CASE("unsubscribed and pong") {
  parsed u{encode(unsubscribed{std::int64_t{5}, channel::notifications})};
  CHECK(u.keys() == std::vector<std::string>{"type", "channel", "id"});
  CHECK(u.str("channel") == "notifications");
  CHECK(u["id"].GetInt64() == 5);
  CHECK(parsed{encode(unsubscribed{{}, channel::system})}.keys() ==
        std::vector<std::string>{"type", "channel"});

  parsed pong_frame{encode(pong{std::string{"p"}, t0})};
  CHECK(pong_frame.str("type") == "pong");
  CHECK(pong_frame.str("timestamp") == "2024-01-15T10:30:00.123456Z");
  CHECK(pong_frame.str("id") == "p");
  CHECK_FALSE(parsed{encode(pong{{}, t0})}.has("id"));
}

TEST_CASE("error: request_type omitted when empty, id and calculation_id when present") {
  parsed bare{encode(error_reply{{}, error_code::invalid_json, "bad", "", std::nullopt})};
  CHECK(bare.keys() == std::vector<std::string>{"type", "code", "message"});
  CHECK(bare.str("code") == "invalid_json");

  parsed full{
      encode(error_reply{std::int64_t{9}, error_code::invalid_parameters,
                         "discount_rate must be > -1", "calculate", std::string{"calc_1"}})};
  CHECK(full.str("type") == "error");
  CHECK(full.str("code") == "invalid_parameters");
  CHECK(full.str("message") == "discount_rate must be > -1");
  CHECK(full.str("request_type") == "calculate");
  CHECK(full["id"].GetInt64() == 9);
  CHECK(full.str("calculation_id") == "calc_1");
}

TEST_CASE("a decode error becomes a reply that echoes the request") {
  auto result = decode(R"({"type":"subscribe","channel":"stocks","id":"s-1"})");
  REQUIRE(std::holds_alternative<decode_error>(result));
  parsed p{encode(to_error_reply(std::get<decode_error>(result)))};
  CHECK(p.str("code") == "unknown_channel");
  CHECK(p.str("request_type") == "subscribe");
  CHECK(p.str("id") == "s-1");
  CHECK(p.str("message").rfind("channel must be one of", 0) == 0);
}

TEST_CASE("market_update: header, and the five indicators in wire order") {
  market_snapshot m;
  m.values = {0.095, 0.024, 0.082, 102.5, 0.352};
  parsed p{encode_publication(header_of(channel::market_data, 42), m)};
  CHECK(p.keys() ==
        std::vector<std::string>{"type", "channel", "seq", "epoch", "timestamp", "data"});
  CHECK(p.str("type") == "market_update");
  CHECK(p.str("channel") == "market_data");
  CHECK(p["seq"].GetUint64() == 42);
  CHECK(p.str("epoch") == "ep-1");
  CHECK(p.str("timestamp") == "2024-01-15T10:30:05.000000Z");
  const auto& data = p["data"];
  CHECK(keys(data) == std::vector<std::string>{"discount_rate", "inflation_rate", "market_growth",
                                               "tech_index", "ai_adoption_rate"});
  CHECK(data["discount_rate"].GetDouble() == 0.095);
  CHECK(data["tech_index"].GetDouble() == 102.5);
  CHECK(data["ai_adoption_rate"].GetDouble() == 0.352);
}

TEST_CASE("doubles round-trip exactly; NaN and infinities become null") {
  const double values[] = {0.1,     0.1 + 0.2, 1.0 / 3.0,         -2.5e-300, 5e-324,
                           DBL_MAX, -DBL_MAX,  123456789.123456,  1e21,      0.0,
                           -0.0,    1e-7,      9007199254740993.0};
  for (double v : values) {
    INFO(v);
    market_snapshot m;
    m.values[0] = v;
    parsed p{encode_publication(header_of(channel::market_data, 1), m)};
    const auto& d = p["data"]["discount_rate"];
    REQUIRE(d.IsNumber());
    CHECK(d.GetDouble() == v);
  }
  market_snapshot m;
  m.values = {std::nan(""), std::numeric_limits<double>::infinity(),
              -std::numeric_limits<double>::infinity(), 1.0, 2.0};
  parsed p{encode_publication(header_of(channel::market_data, 1), m)};
  CHECK(p["data"]["discount_rate"].IsNull());
  CHECK(p["data"]["inflation_rate"].IsNull());
  CHECK(p["data"]["market_growth"].IsNull());
  CHECK(p["data"]["tech_index"].GetDouble() == 1.0);
}

TEST_CASE("strings are escaped") {
  const std::string tricky = "quote\" backslash\\ newline\n tab\t nul" + std::string(1, '\0') +
                             " \x01 caf\xc3\xa9 \xe2\x82\xac </script>";
  parsed p{encode(error_reply{tricky, error_code::internal, tricky, tricky, tricky})};
  CHECK(p.str("message") == tricky);
  CHECK(p.str("id") == tricky);
  CHECK(p.str("request_type") == tricky);
  CHECK(p.str("calculation_id") == tricky);
}

TEST_CASE("notification: publication, direct, and a triggered alert") {
  notification n{notification_category::info, notification_level::info, "System update completed",
                 std::nullopt};
  parsed pub{encode_publication(header_of(channel::notifications, 7), n)};
  CHECK(pub.keys() == std::vector<std::string>{"type", "notification_type", "level", "message",
                                               "timestamp", "channel", "seq", "epoch"});
  CHECK(pub.str("type") == "notification");
  CHECK(pub.str("notification_type") == "info");
  CHECK(pub.str("level") == "info");
  CHECK(pub.str("message") == "System update completed");
  CHECK(pub.str("channel") == "notifications");
  CHECK(pub["seq"].GetUint64() == 7);
  CHECK(pub.str("epoch") == "ep-1");
  CHECK(pub.str("timestamp") == "2024-01-15T10:30:05.000000Z");

  notification alert{
      notification_category::alert, notification_level::warning, "tech_index above",
      alert_details{"hot", market_indicator::tech_index, alert_condition::above, 106.25, 105.0}};
  parsed direct{encode_direct(alert, t0)};
  CHECK(direct.keys() == std::vector<std::string>{"type", "notification_type", "level", "message",
                                                  "timestamp", "alert_id", "metric", "condition",
                                                  "value", "threshold"});
  CHECK(direct.str("notification_type") == "alert");
  CHECK(direct.str("level") == "warning");
  CHECK(direct.str("timestamp") == "2024-01-15T10:30:00.123456Z");
  CHECK(direct.str("alert_id") == "hot");
  CHECK(direct.str("metric") == "tech_index");
  CHECK(direct.str("condition") == "above");
  CHECK(direct["value"].GetDouble() == 106.25);
  CHECK(direct["threshold"].GetDouble() == 105.0);
  CHECK_FALSE(direct.has("seq"));

  alert.alert = alert_details{
      "turn",
      analytics_metric{market_indicator::discount_rate, analytics_measure::trend_reversal},
      alert_condition::reversal,
      0.4,
      0.0,
      trend::down};
  parsed reversal{encode_direct(alert, t0)};
  CHECK(reversal.keys() == std::vector<std::string>{"type", "notification_type", "level", "message",
                                                    "timestamp", "alert_id", "metric", "condition",
                                                    "value", "trend"});
  CHECK(reversal.str("metric") == "analytics.discount_rate.trend_reversal");
  CHECK(reversal.str("trend") == "down");
}

TEST_CASE("system_status: every figure in its place") {
  system_status s;
  s.node = "node-a";
  s.uptime_s = 12.5;
  s.connections_active = 3;
  s.connections_total = 10;
  s.subscribers = {2, 0, 1, 1, 0};
  s.cache_hits = 5;
  s.cache_misses = 2;
  s.cache_entries = 2;
  s.cache_evictions = 1;
  s.cache_expired = 7;
  s.cache_bytes = 4096;
  s.calculations_running = 1;
  s.calculations_completed = 6;
  s.calculations_failed = 4;
  s.calculations_avg_ms = 3.2;
  s.calculations_memory_bytes = 81920;
  s.calculations_refused = 8;
  s.messages_in_per_s = 4.0;
  s.messages_out_per_s = 12.0;
  s.rss_bytes = 123456789;
  s.nodes = {{"node-a", "up", true, 3}, {"node-b", "down", false, 0}};
  s.rate_limited = 7;
  s.closed_by_code = {{"1008", 2}, {"1013", 1}};
  s.refused_by_reason = {{"connection_limit", 3}};
  parsed p{encode_publication(header_of(channel::system, 3), s)};
  CHECK(p.keys() ==
        std::vector<std::string>{"type", "channel", "seq", "epoch", "timestamp", "data"});
  CHECK(p.str("type") == "system_status");
  CHECK(p.str("channel") == "system");
  CHECK(p["seq"].GetUint64() == 3);
  const auto& d = p["data"];
  CHECK(keys(d) == std::vector<std::string>{"status", "node", "uptime_s", "connections",
                                            "subscribers", "cache", "calculations", "messages",
                                            "memory", "limits", "cluster"});
  CHECK(str(d["status"]) == "healthy");
  CHECK(str(d["node"]) == "node-a");
  CHECK(d["uptime_s"].GetDouble() == 12.5);
  CHECK(d["connections"]["active"].GetUint64() == 3);
  CHECK(d["connections"]["total"].GetUint64() == 10);
  CHECK(keys(d["subscribers"]) == std::vector<std::string>{"market_data", "calculations",
                                                           "notifications", "system", "analytics"});
  CHECK(d["subscribers"]["market_data"].GetUint64() == 2);
  CHECK(d["subscribers"]["notifications"].GetUint64() == 1);
  CHECK(d["cache"]["hits"].GetUint64() == 5);
  CHECK(d["cache"]["misses"].GetUint64() == 2);
  CHECK(d["cache"]["hit_rate"].GetDouble() == doctest::Approx(5.0 / 7.0));
  CHECK(d["cache"]["entries"].GetUint64() == 2);
  CHECK(d["cache"]["evictions"].GetUint64() == 1);
  CHECK(d["cache"]["expired"].GetUint64() == 7);
  CHECK(d["cache"]["bytes"].GetUint64() == 4096);
  CHECK(d["calculations"]["running"].GetUint64() == 1);
  CHECK(d["calculations"]["completed"].GetUint64() == 6);
  CHECK(d["calculations"]["failed"].GetUint64() == 4);
  CHECK(d["calculations"]["avg_ms"].GetDouble() == 3.2);
  CHECK(d["calculations"]["memory_bytes"].GetUint64() == 81920);
  CHECK(d["calculations"]["refused"].GetUint64() == 8);
  CHECK(d["messages"]["in_per_s"].GetDouble() == 4.0);
  CHECK(d["messages"]["out_per_s"].GetDouble() == 12.0);
  CHECK(d["memory"]["rss_bytes"].GetUint64() == 123456789);
  CHECK(d["limits"]["rate_limited"].GetUint64() == 7);
  CHECK(d["limits"]["closed"]["1008"].GetUint64() == 2);
  CHECK(d["limits"]["closed"]["1013"].GetUint64() == 1);
  CHECK(d["limits"]["refused"]["connection_limit"].GetUint64() == 3);
  const auto& nodes = d["cluster"]["nodes"];
  REQUIRE(nodes.IsArray());
  REQUIRE(nodes.Size() == 2);
  CHECK(keys(nodes[0]) == std::vector<std::string>{"node", "status", "leader", "connections"});
  CHECK(str(nodes[0]["node"]) == "node-a");
  CHECK(nodes[0]["leader"].GetBool());
  CHECK(nodes[0]["connections"].GetUint64() == 3);
  CHECK(str(nodes[1]["node"]) == "node-b");
  CHECK(str(nodes[1]["status"]) == "down");
  CHECK_FALSE(nodes[1]["leader"].GetBool());
  CHECK(nodes[1]["connections"].GetUint64() == 0);

  system_status idle;
  parsed q{encode_publication(header_of(channel::system, 4), idle)};
  CHECK(q["data"]["cache"]["hit_rate"].GetDouble() == 0.0); // no lookups: 0, not NaN
  CHECK(q["data"]["cluster"]["nodes"].Size() == 0);
}

TEST_CASE("system_status: reasons follow status, only when degraded") {
  system_status s;
  s.status = "degraded";
  s.reasons = {"redis publish connection down: Connection refused", "history disk full"};
  parsed p{encode_publication(header_of(channel::system, 5), s)};
  const auto& d = p["data"];
  CHECK(keys(d)[0] == "status");
  CHECK(keys(d)[1] == "reasons");
  CHECK(str(d["status"]) == "degraded");
  REQUIRE(d["reasons"].IsArray());
  REQUIRE(d["reasons"].Size() == 2);
  CHECK(str(d["reasons"][1]) == "history disk full");
  CHECK_FALSE(
      parsed{encode_publication(header_of(channel::system, 6), system_status{})}["data"].HasMember(
          "reasons"));
}

TEST_CASE("encoded_type reads the type every encoder writes first") {
  CHECK(encoded_type(encode(subscribed{{}, channel::market_data, 1, "ep", std::nullopt})) ==
        "subscribed");
  CHECK(encoded_type(encode(unsubscribed{std::int64_t{5}, channel::notifications})) ==
        "unsubscribed");
  CHECK(encoded_type(encode(pong{{}, t0})) == "pong");
  CHECK(encoded_type(encode(error_reply{{}, error_code::internal, "x", "", std::nullopt})) ==
        "error");
  CHECK(encoded_type(encode_publication(header_of(channel::market_data, 1), market_snapshot{})) ==
        "market_update");
  CHECK(encoded_type(encode_publication(header_of(channel::notifications, 1), notification{})) ==
        "notification");
  CHECK(encoded_type(encode_publication(header_of(channel::system, 1), system_status{})) ==
        "system_status");
  CHECK(encoded_type(encode_publication(header_of(channel::calculations, 1),
                                        calculation_update{})) == "calculation_update");
  CHECK(encoded_type(R"({"channel":"x","type":"subscribed"})").empty());
  CHECK(encoded_type(R"({"type":"unterminated)").empty());
  CHECK(encoded_type("").empty());
}

TEST_CASE("calculation_update: the fields of each status") {
  calculation_update u;
  u.calculation_id = "calc_123";
  u.type = calculation_type::npv;
  u.time = t0;

  u.status = calculation_status::started;
  parsed started{encode_direct(u)};
  CHECK(started.keys() == std::vector<std::string>{"type", "calculation_id", "calculation_type",
                                                   "status", "timestamp"});
  CHECK(started.str("type") == "calculation_update");
  CHECK(started.str("calculation_id") == "calc_123");
  CHECK(started.str("calculation_type") == "npv");
  CHECK(started.str("status") == "started");
  CHECK(started.str("timestamp") == "2024-01-15T10:30:00.123456Z");

  u.status = calculation_status::processing;
  u.progress = 75;
  u.message = "Processing npv... 75%";
  parsed processing{encode_direct(u)};
  CHECK(processing["progress"].IsInt());
  CHECK(processing["progress"].GetInt() == 75);
  CHECK(processing.str("message") == "Processing npv... 75%");
  CHECK_FALSE(processing.has("result"));

  u.status = calculation_status::completed;
  u.result_json = R"({"npv":18397.6,"present_values":[90909.09,99173.55],"discount_rate":0.1})";
  u.cached = true;
  u.duration_ms = 1.25;
  parsed completed{encode_direct(u)};
  CHECK_FALSE(completed.has("progress")); // processing fields belong to processing only
  CHECK_FALSE(completed.has("live"));
  const auto& result = completed["result"];
  REQUIRE(result.IsObject());
  CHECK(result["npv"].GetDouble() == 18397.6);
  CHECK(result["present_values"].Size() == 2);
  CHECK(completed["cached"].IsTrue());
  CHECK(completed["duration_ms"].GetDouble() == 1.25);
  u.live = true;
  CHECK(parsed{encode_direct(u)}["live"].IsTrue());
  u.live = false;
  CHECK_FALSE(parsed{encode_direct(u)}.has("live"));

  u.status = calculation_status::failed;
  u.error = error_code::invalid_parameters;
  u.error_message = "no sign change";
  parsed failed{encode_direct(u)};
  CHECK(keys(failed["error"]) == std::vector<std::string>{"code", "message"});
  CHECK(str(failed["error"]["code"]) == "invalid_parameters");
  CHECK(str(failed["error"]["message"]) == "no sign change");
  CHECK_FALSE(failed.has("result"));

  u.status = calculation_status::cancelled;
  CHECK_FALSE(parsed{encode_direct(u)}.has("id"));
  u.id = std::string{"cancel-1"};
  parsed cancelled{encode_direct(u)};
  CHECK(cancelled.str("status") == "cancelled");
  CHECK(cancelled.str("id") == "cancel-1");
  CHECK_FALSE(cancelled.has("error"));
  CHECK_FALSE(cancelled.has("seq"));
}

TEST_CASE("calculation_update as a publication adds the header; direct does not") {
  calculation_update u;
  u.calculation_id = "c";
  u.type = calculation_type::monte_carlo;
  u.status = calculation_status::completed;
  u.time = t0;
  u.result_json = R"({"mean_npv":1})";
  u.live = true;
  parsed pub{encode_publication(header_of(channel::calculations, 9), u)};
  CHECK(pub.str("channel") == "calculations");
  CHECK(pub["seq"].GetUint64() == 9);
  CHECK(pub.str("epoch") == "ep-1");
  CHECK(pub.str("timestamp") == "2024-01-15T10:30:05.000000Z"); // stamped when published
  CHECK(pub.str("calculation_type") == "monte_carlo");
  CHECK(pub["live"].IsTrue());
  CHECK(pub["result"]["mean_npv"].GetInt() == 1);
  CHECK_FALSE(pub["cached"].GetBool());

  parsed direct{encode_direct(u)};
  CHECK_FALSE(direct.has("channel"));
  CHECK_FALSE(direct.has("seq"));
  CHECK_FALSE(direct.has("epoch"));
  CHECK(direct.str("timestamp") == "2024-01-15T10:30:00.123456Z");

  u.result_json.clear(); // a missing result is still valid JSON
  CHECK(parsed{encode_direct(u)}["result"].IsNull());
}

TEST_CASE("a calculation update's direct form cut from its publication is encode_direct's") {
  calculation_update u;
  u.calculation_id = "c\"1"; // escaped
  u.type = calculation_type::npv;
  u.time = t0;
  const auto header = header_of(channel::calculations, 12);
  auto check = [&] {
    std::string direct;
    auto publication = encode_publication(header, u, &direct);
    auto published_at = u;
    published_at.time = header.time; // the cut form carries the publication's time
    CHECK(direct == encode_direct(published_at));
    CHECK(publication == encode_publication(header, u)); // the same with or without the cut
    CHECK(parsed{direct}.str("status") == to_string(u.status));
  };
  u.status = calculation_status::started;
  check();
  u.status = calculation_status::completed;
  u.result_json = R"({"npv":1.5})";
  u.market_seq = 7;
  check();
  u.status = calculation_status::failed;
  u.error = error_code::invalid_parameters;
  u.error_message = "no sign change";
  check();
  u.status = calculation_status::cancelled;
  u.id = std::string{"x"};
  check();

  std::string untouched = "kept";
  encode_publication(header_of(channel::market_data, 1), market_snapshot{}, &untouched);
  CHECK(untouched == "kept"); // only calculation updates have a direct form
}

TEST_CASE("the reused per-thread buffer leaves nothing behind") {
  system_status big;
  big.nodes.assign(500, node_status{std::string(100, 'n'), "up", false, 0});
  const std::string large = encode_publication(header_of(channel::system, 1), big);
  CHECK(large.size() > 50'000);
  const std::string small = encode(pong{{}, t0});
  CHECK(small == R"({"type":"pong","timestamp":"2024-01-15T10:30:00.123456Z"})");
  CHECK(encode(pong{{}, t0}) == small);
}

TEST_CASE("analytics_update: market_seq and one object per indicator") {
  analytics_update a;
  a.market_seq = 42;
  a.indicators[0] = {0.081, 0.0805, 0.0798, trend::up, 0.62, 0.0011, 1.4};
  parsed p{encode_publication(header_of(channel::analytics, 9), a)};
  CHECK(p.keys() == std::vector<std::string>{"type", "channel", "seq", "epoch", "timestamp",
                                             "market_seq", "data"});
  CHECK(p.str("type") == "analytics_update");
  CHECK(p.str("channel") == "analytics");
  CHECK(p["market_seq"].GetUint64() == 42);
  const auto& d = p["data"];
  CHECK(keys(d) == std::vector<std::string>{"discount_rate", "inflation_rate", "market_growth",
                                            "tech_index", "ai_adoption_rate"});
  const auto& rate = d["discount_rate"];
  CHECK(keys(rate) == std::vector<std::string>{"value", "ewma_fast", "ewma_slow", "trend",
                                               "trend_strength", "volatility", "zscore"});
  CHECK(str(rate["trend"]) == "up");
  CHECK(rate["zscore"].GetDouble() == 1.4);
  CHECK(str(d["tech_index"]["trend"]) == "flat");
}
