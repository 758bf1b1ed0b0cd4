// The direct replies of history, auth and alerts, parsed back.
#include "protocol/codec.hpp"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

using namespace rtd::protocol;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  REQUIRE(d.IsObject());
  return d;
}

} // namespace

TEST_CASE("history reply embeds the publications as objects, in order") {
  history_reply m{correlation_id{std::string{"h1"}},
                  channel::market_data,
                  {R"({"type":"market_update","seq":4})", R"({"type":"market_update","seq":5})"},
                  true};
  auto d = parse(encode(m));
  CHECK(std::string{d["type"].GetString()} == "history");
  CHECK(std::string{d["channel"].GetString()} == "market_data");
  REQUIRE(d["items"].Size() == 2);
  CHECK(d["items"][0]["seq"].GetInt() == 4);
  CHECK(d["items"][1]["seq"].GetInt() == 5);
  CHECK(d["has_more"].GetBool());
  CHECK(std::string{d["id"].GetString()} == "h1");
}

TEST_CASE("an empty history has an empty items array") {
  auto d = parse(encode(history_reply{{}, channel::system, {}, false}));
  CHECK(d["items"].IsArray());
  CHECK(d["items"].Empty());
  CHECK_FALSE(d["has_more"].GetBool());
  CHECK_FALSE(d.HasMember("id"));
}

TEST_CASE("authenticated carries the subject and roles") {
  auto d =
      parse(encode(authenticated{correlation_id{std::int64_t{3}}, "alice", {"analyst", "admin"}}));
  CHECK(std::string{d["type"].GetString()} == "authenticated");
  CHECK(std::string{d["sub"].GetString()} == "alice");
  REQUIRE(d["roles"].Size() == 2);
  CHECK(std::string{d["roles"][1].GetString()} == "admin");
  CHECK(d["id"].GetInt64() == 3);
}

TEST_CASE("alert_set echoes the alert and alert_removed its id") {
  auto d = parse(encode(alert_set{correlation_id{std::string{"s"}}, "a1",
                                  market_indicator::tech_index, alert_condition::below, 95.5}));
  CHECK(std::string{d["type"].GetString()} == "alert_set");
  CHECK(std::string{d["alert_id"].GetString()} == "a1");
  CHECK(std::string{d["metric"].GetString()} == "tech_index");
  CHECK(std::string{d["condition"].GetString()} == "below");
  CHECK(d["threshold"].GetDouble() == 95.5);
  CHECK(std::string{d["id"].GetString()} == "s");
  auto r = parse(encode(alert_removed{{}, "a1"}));
  CHECK(std::string{r["type"].GetString()} == "alert_removed");
  CHECK(std::string{r["alert_id"].GetString()} == "a1");
  CHECK_FALSE(r.HasMember("reason"));
}

TEST_CASE("a reversal alert has no threshold; an alert that ended with its calculation says so") {
  auto d = parse(encode(
      alert_set{{},
                "t",
                analytics_metric{market_indicator::tech_index, analytics_measure::trend_reversal},
                alert_condition::reversal,
                0.0}));
  CHECK(std::string{d["metric"].GetString()} == "analytics.tech_index.trend_reversal");
  CHECK(std::string{d["condition"].GetString()} == "reversal");
  CHECK_FALSE(d.HasMember("threshold"));
  auto r = parse(encode(alert_removed{{}, "n", true}));
  CHECK(std::string{r["reason"].GetString()} == "calculation_ended");
  CHECK_FALSE(r.HasMember("id"));
}
