// Decoding well-formed client messages: every type, with all optional fields and minimal.
#include "protocol/codec.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rtd::protocol;

namespace {

client_message decode_ok(std::string_view text) {
  INFO(text);
  auto result = decode(text);
  if (auto e = std::get_if<decode_error>(&result))
    FAIL(to_string(e->code) << ": " << e->message);
  return std::get<client_message>(std::move(result));
}

/// Decodes `text` and returns its body, which must be a `T`.
template <class T> T body_of(std::string_view text) {
  client_message m = decode_ok(text);
  REQUIRE(std::holds_alternative<T>(m.body));
  return std::get<T>(std::move(m.body));
}

} // namespace

TEST_CASE("the seed's three examples decode exactly as written in protocol.md") {
  auto sub = decode_ok(R"({"type": "subscribe", "channel": "market_data"})");
  CHECK(std::holds_alternative<std::monostate>(sub.id));
  REQUIRE(std::holds_alternative<subscribe_request>(sub.body));
  CHECK(std::get<subscribe_request>(sub.body).target == channel::market_data);
  CHECK_FALSE(std::get<subscribe_request>(sub.body).since_seq.has_value());

  auto calc = body_of<calculate_request>(
      R"({"type": "calculate", "calculation_id": "unique_id", "calculation_type": "npv",
     "parameters": {"cash_flows": [100000, 120000, 140000], "discount_rate": 0.10,
                    "initial_investment": 300000}})");
  CHECK(calc.type == calculation_type::npv);
  CHECK(calc.calculation_id == std::optional<std::string>{"unique_id"});
  CHECK(calc.parameters.cash_flows == std::vector<double>{100000, 120000, 140000});
  REQUIRE(calc.parameters.discount_rate.has_value());
  CHECK_FALSE(calc.parameters.discount_rate->market);
  CHECK(calc.parameters.discount_rate->value == 0.10);
  CHECK(calc.parameters.initial_investment == std::optional<double>{300000});
  CHECK_FALSE(calc.live);

  body_of<ping_request>(R"({"type": "ping"})");
}

TEST_CASE("subscribe with every optional field, and correlation ids") {
  auto m = decode_ok(
      R"({"type":"subscribe","channel":"system","since_seq":41,"epoch":"e-7","id":"req-1"})");
  CHECK(std::get<std::string>(m.id) == "req-1");
  auto& s = std::get<subscribe_request>(m.body);
  CHECK(s.target == channel::system);
  CHECK(s.since_seq == std::optional<std::uint64_t>{41});
  CHECK(s.epoch == std::optional<std::string>{"e-7"});

  CHECK(std::get<std::int64_t>(decode_ok(R"({"type":"ping","id":7})").id) == 7);
  CHECK(std::get<std::int64_t>(decode_ok(R"({"type":"ping","id":-7})").id) == -7);
  CHECK(std::get<std::int64_t>(decode_ok(R"({"type":"ping","id":9223372036854775807})").id) ==
        INT64_MAX);
  CHECK(std::get<std::int64_t>(decode_ok(R"({"type":"ping","id":-9223372036854775808})").id) ==
        INT64_MIN);
  CHECK(std::get<std::string>(decode_ok(R"({"type":"ping","id":""})").id).empty());
  const std::string id64(64, 'x');
  CHECK(std::get<std::string>(decode_ok(R"({"type":"ping","id":")" + id64 + R"("})").id) == id64);
  // 64 characters of two bytes each: the limit counts characters, not bytes.
  std::string accents;
  for (int i = 0; i < 64; ++i)
    accents += "\xc3\xa9";
  CHECK(std::get<std::string>(decode_ok(R"({"type":"ping","id":")" + accents + R"("})").id) ==
        accents);
  CHECK(std::get<std::string>(decode_ok(R"({"type":"ping","id":"a\"\u00e9\n"})").id) ==
        "a\"\xc3\xa9\n");

  auto big = body_of<subscribe_request>(
      R"({"type":"subscribe","channel":"notifications","since_seq":18446744073709551615})");
  CHECK(big.since_seq == std::optional<std::uint64_t>{UINT64_MAX});
  CHECK(body_of<subscribe_request>(R"({"type":"subscribe","channel":"calculations","since_seq":0})")
            .since_seq == std::optional<std::uint64_t>{0});
}

TEST_CASE("unsubscribe") {
  auto m = decode_ok(R"({"id":3,"channel":"notifications","type":"unsubscribe"})");
  CHECK(std::get<std::int64_t>(m.id) == 3);
  CHECK(std::get<unsubscribe_request>(m.body).target == channel::notifications);
}

TEST_CASE("calculate with every parameter and option") {
  auto c = body_of<calculate_request>(R"({"type":"calculate","calculation_type":"monte_carlo",
      "calculation_id":"mc-1","live":true,
      "parameters":{"cash_flows":[-1.5,0,2e3,1E-2],"discount_rate":"market",
                    "initial_investment":1000.25,"volatility":0.3,"iterations":1000000,
                    "seed":18446744073709551615,"variation":0.2,"extra":{"ignored":[1,2]}}})");
  CHECK(c.type == calculation_type::monte_carlo);
  CHECK(c.calculation_id == std::optional<std::string>{"mc-1"});
  CHECK(c.live);
  const auto& p = c.parameters;
  CHECK(p.cash_flows == std::vector<double>{-1.5, 0, 2000, 0.01});
  REQUIRE(p.discount_rate.has_value());
  CHECK(p.discount_rate->market);
  CHECK(p.initial_investment == std::optional<double>{1000.25});
  REQUIRE(p.volatility.has_value());
  CHECK_FALSE(p.volatility->market);
  CHECK(p.volatility->value == 0.3);
  CHECK(p.iterations == std::optional<std::uint64_t>{1000000});
  CHECK(p.seed == std::optional<std::uint64_t>{UINT64_MAX});
  CHECK(p.variation == std::optional<double>{0.2});
}

TEST_CASE("calculate: a market volatility") {
  auto c = body_of<calculate_request>(R"({"type":"calculate","calculation_type":"monte_carlo",
      "parameters":{"cash_flows":[1],"discount_rate":0.1,"initial_investment":1,
                    "volatility":"market"}})");
  REQUIRE(c.parameters.volatility.has_value());
  CHECK(c.parameters.volatility->market);
}

TEST_CASE("calculate forecast: its parameters, and no cash flows") {
  auto c = body_of<calculate_request>(R"({"type":"calculate","calculation_type":"forecast",
      "parameters":{"indicator":"tech_index","horizon":12,"method":"holt","window":300,
                    "alpha":0.5,"beta":0.1}})");
  CHECK(c.type == calculation_type::forecast);
  const auto& p = c.parameters;
  CHECK(p.cash_flows.empty());
  CHECK(p.indicator == std::optional<market_indicator>{market_indicator::tech_index});
  CHECK(p.horizon == std::optional<std::uint64_t>{12});
  CHECK(p.method == std::optional<forecast_method>{forecast_method::holt});
  CHECK(p.window == std::optional<std::uint64_t>{300});
  CHECK(p.alpha == std::optional<double>{0.5});
  CHECK(p.beta == std::optional<double>{0.1});
  auto npv = body_of<calculate_request>(R"({"type":"calculate","calculation_type":"forecast_npv",
      "parameters":{"cash_flows":[1,2],"initial_investment":2,"method":"ar1","paths":500,
                    "seed":3}})");
  CHECK(npv.type == calculation_type::forecast_npv);
  CHECK(npv.parameters.cash_flows == std::vector<double>{1, 2});
  CHECK(npv.parameters.method == std::optional<forecast_method>{forecast_method::ar1});
  CHECK(npv.parameters.paths == std::optional<std::uint64_t>{500});
  CHECK(npv.parameters.seed == std::optional<std::uint64_t>{3});
  CHECK_FALSE(npv.parameters.indicator.has_value());
  CHECK_FALSE(npv.parameters.window.has_value());
}

TEST_CASE("calculate, minimal: optional fields stay absent") {
  auto c = body_of<calculate_request>(
      R"({"type":"calculate","calculation_type":"irr","parameters":{"cash_flows":[]}})");
  CHECK(c.type == calculation_type::irr);
  CHECK_FALSE(c.calculation_id.has_value());
  CHECK_FALSE(c.live);
  CHECK(c.parameters.cash_flows.empty());
  CHECK_FALSE(c.parameters.discount_rate.has_value());
  CHECK_FALSE(c.parameters.initial_investment.has_value());
  CHECK_FALSE(c.parameters.volatility.has_value());
  CHECK_FALSE(c.parameters.iterations.has_value());
  CHECK_FALSE(c.parameters.seed.has_value());
  CHECK_FALSE(c.parameters.variation.has_value());
  // Range checks belong to the calculation service: a negative rate decodes.
  auto r = body_of<calculate_request>(
      R"({"type":"calculate","calculation_type":"roi","live":false,
          "parameters":{"cash_flows":[1],"discount_rate":-5,"initial_investment":-1}})");
  CHECK(r.parameters.discount_rate->value == -5);
  CHECK(r.parameters.initial_investment == std::optional<double>{-1});
}

TEST_CASE("calculate: every calculation type") {
  const std::pair<const char*, calculation_type> types[] = {
      {"npv", calculation_type::npv},
      {"irr", calculation_type::irr},
      {"roi", calculation_type::roi},
      {"payback", calculation_type::payback},
      {"monte_carlo", calculation_type::monte_carlo},
      {"sensitivity", calculation_type::sensitivity}};
  for (const auto& [name, type] : types) {
    const std::string text = R"({"type":"calculate","calculation_type":")" + std::string{name} +
                             R"(","parameters":{"cash_flows":[1]}})";
    CHECK(body_of<calculate_request>(text).type == type);
  }
}

TEST_CASE("cancel, auth, remove_alert") {
  auto m = decode_ok(R"({"type":"cancel","calculation_id":"calc_123","id":"c1"})");
  CHECK(std::get<cancel_request>(m.body).calculation_id == "calc_123");
  CHECK(std::get<std::string>(m.id) == "c1");
  CHECK(body_of<auth_request>(R"({"type":"auth","token":"a.b.c"})").token == "a.b.c");
  CHECK(body_of<remove_alert_request>(R"({"type":"remove_alert","alert_id":"a1"})").alert_id ==
        "a1");
}

TEST_CASE("set_alert: every metric and condition") {
  auto a = body_of<set_alert_request>(
      R"({"type":"set_alert","alert_id":"hot","metric":"tech_index","condition":"above",
          "threshold":105})");
  CHECK(a.alert_id == "hot");
  CHECK(a.metric == alert_metric{market_indicator::tech_index});
  CHECK(body_of<set_alert_request>(R"({"type":"set_alert","alert_id":")" + std::string(64, 'a') +
                                   R"(","metric":"tech_index","condition":"above","threshold":1})")
            .alert_id.size() == 64);
  CHECK(a.condition == alert_condition::above);
  CHECK(a.threshold == 105.0);

  for (const char* metric :
       {"discount_rate", "inflation_rate", "market_growth", "tech_index", "ai_adoption_rate"}) {
    const std::string text = R"({"type":"set_alert","alert_id":"x","metric":")" +
                             std::string{metric} + R"(","condition":"below","threshold":-0.5})";
    auto b = body_of<set_alert_request>(text);
    CHECK(to_string(b.metric) == metric);
    CHECK(b.condition == alert_condition::below);
    CHECK(b.threshold == -0.5);
  }
}

TEST_CASE("set_alert: analytics and calculation metrics, and the reversal") {
  const char* measures[] = {"zscore", "volatility", "trend_strength"};
  for (std::size_t i = 0; i < 3; ++i) {
    auto name = std::string{"analytics.ai_adoption_rate."} + measures[i];
    auto b = body_of<set_alert_request>(R"({"type":"set_alert","alert_id":"x","metric":")" + name +
                                        R"(","condition":"above","threshold":2})");
    CHECK(b.metric == alert_metric{analytics_metric{market_indicator::ai_adoption_rate,
                                                    static_cast<analytics_measure>(i)}});
    CHECK(to_string(b.metric) == name);
  }
  auto r = body_of<set_alert_request>(
      R"({"type":"set_alert","alert_id":"t","metric":"analytics.tech_index.trend_reversal",
          "condition":"reversal"})");
  CHECK(r.metric == alert_metric{analytics_metric{market_indicator::tech_index,
                                                  analytics_measure::trend_reversal}});
  CHECK(r.condition == alert_condition::reversal);

  // The id may hold dots (the field is after the last one) and be 64 characters long.
  const std::string id = "my.npv" + std::string(58, 'n');
  auto c =
      body_of<set_alert_request>(R"({"type":"set_alert","alert_id":"c","metric":"calculation:)" +
                                 id + R"(.npv","condition":"below","threshold":0})");
  CHECK(c.metric == alert_metric{calculation_metric{id, "npv"}});
  CHECK(to_string(c.metric) == "calculation:" + id + ".npv");
}

TEST_CASE("history with every optional field, and minimal") {
  auto h = body_of<history_request>(
      R"({"type":"history","channel":"market_data","since_seq":10,
          "from":"2024-01-15T10:30:00Z","to":"2024-01-15T12:30:00+02:00","limit":1000})");
  CHECK(h.target == channel::market_data);
  CHECK(h.since_seq == std::optional<std::uint64_t>{10});
  REQUIRE(h.from.has_value());
  REQUIRE(h.to.has_value());
  CHECK(*h.from == *h.to);
  CHECK(format_timestamp(*h.from) == "2024-01-15T10:30:00.000000Z");
  CHECK(h.limit == 1000);

  auto minimal = body_of<history_request>(R"({"type":"history","channel":"system"})");
  CHECK(minimal.target == channel::system);
  CHECK_FALSE(minimal.since_seq.has_value());
  CHECK_FALSE(minimal.from.has_value());
  CHECK_FALSE(minimal.to.has_value());
  CHECK(minimal.limit == default_history_limit);
  CHECK(body_of<history_request>(R"({"type":"history","channel":"system","limit":1})").limit == 1);
}

TEST_CASE("type_name of every decoded body is its wire type") {
  const char* frames[] = {
      R"({"type":"subscribe","channel":"market_data"})",
      R"({"type":"unsubscribe","channel":"market_data"})",
      R"({"type":"calculate","calculation_type":"npv","parameters":{"cash_flows":[1]}})",
      R"({"type":"cancel","calculation_id":"x"})",
      R"({"type":"ping"})",
      R"({"type":"auth","token":"t"})",
      R"({"type":"set_alert","alert_id":"a","metric":"tech_index","condition":"above","threshold":1})",
      R"({"type":"remove_alert","alert_id":"a"})",
      R"({"type":"history","channel":"market_data"})",
  };
  const char* names[] = {"subscribe", "unsubscribe", "calculate",    "cancel", "ping",
                         "auth",      "set_alert",   "remove_alert", "history"};
  for (std::size_t i = 0; i < std::size(frames); ++i)
    CHECK(type_name(decode_ok(frames[i]).body) == names[i]);
}

TEST_CASE("unknown fields are ignored, whatever they hold") {
  auto m = decode_ok(
      R"({"type":"ping","x":{"y":[1,2,{"z":null}]},"huge":1e400,"neg":-1e999,"s":"\u0000"})");
  CHECK(std::holds_alternative<ping_request>(m.body));
  // Leading and trailing whitespace and duplicate-free reordering are fine too.
  CHECK(std::holds_alternative<ping_request>(decode_ok(" \n\t{ \"type\" : \"ping\" } \r\n").body));
  // A huge but finite integer is a double; as a cash flow it is fine.
  auto c = body_of<calculate_request>(
      R"({"type":"calculate","calculation_type":"npv",
          "parameters":{"cash_flows":[123456789012345678901234567890]}})");
  CHECK(c.parameters.cash_flows.at(0) == doctest::Approx(1.2345678901234568e29));
}

TEST_CASE("notification POST body: full and with defaults") {
  auto full = decode_notification_post(
      R"({"message":"Deploy done","level":"success","notification_type":"system","x":1})");
  REQUIRE(std::holds_alternative<notification>(full));
  const auto& n = std::get<notification>(full);
  CHECK(n.message == "Deploy done");
  CHECK(n.level == notification_level::success);
  CHECK(n.category == notification_category::system);
  CHECK_FALSE(n.alert.has_value());

  auto minimal = decode_notification_post(R"({"message":"hi"})");
  REQUIRE(std::holds_alternative<notification>(minimal));
  CHECK(std::get<notification>(minimal).level == notification_level::info);
  CHECK(std::get<notification>(minimal).category == notification_category::info);
}

TEST_CASE("notification POST body errors") {
  const std::pair<std::string, std::pair<error_code, std::string>> cases[] = {
      {"[]", {error_code::invalid_message, "body must be a JSON object"}},
      {"{}", {error_code::invalid_message, "message is required"}},
      {R"({"message":5})", {error_code::invalid_message, "message must be a string"}},
      {R"({"message":""})", {error_code::invalid_parameters, "message must not be empty"}},
      {R"({"message":"m","level":"fatal"})",
       {error_code::invalid_parameters, "level must be one of info, success, warning, error"}},
      {R"({"message":"m","level":3})", {error_code::invalid_message, "level must be a string"}},
      {R"({"message":"m","notification_type":"weather"})",
       {error_code::invalid_parameters,
        "notification_type must be one of info, alert, calculation, cluster, system"}},
      {R"({"message":"m","notification_type":null})",
       {error_code::invalid_message, "notification_type must be a string"}},
      {std::string(100'000, '['), {error_code::invalid_json, "JSON nested deeper than 64 levels"}},
  };
  for (const auto& [body, expected] : cases) {
    INFO("body: " << body.substr(0, 80));
    auto result = decode_notification_post(body);
    REQUIRE(std::holds_alternative<decode_error>(result));
    const auto& e = std::get<decode_error>(result);
    CHECK(to_string(e.code) == to_string(expected.first));
    CHECK(e.message == expected.second);
  }
  for (const char* bad_json : {"", "not json", R"({"message":"m",})", "{\"message\":\"\xff\"}"}) {
    INFO("body: " << bad_json);
    auto result = decode_notification_post(bad_json);
    REQUIRE(std::holds_alternative<decode_error>(result));
    CHECK(std::get<decode_error>(result).code == error_code::invalid_json);
  }
}
