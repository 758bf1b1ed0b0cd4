// Decoding malformed client messages: every error code the decoder produces, the field it
// names, what the error echoes, and hostile input that must neither crash nor hang.
#include "protocol/codec.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rtd::protocol;

namespace {

decode_error decode_fail(std::string_view text) {
  auto result = decode(text);
  if (std::holds_alternative<client_message>(result))
    FAIL("decoded, but should not have: " << text);
  return std::get<decode_error>(std::move(result));
}

/// One malformed frame and the error it must give.
struct bad_frame {
  std::string frame;
  error_code code;
  std::string message; ///< exact, or a prefix when it ends with "..."
  std::string request_type;
};

void check(const bad_frame& c) {
  INFO("frame: " << c.frame);
  const decode_error e = decode_fail(c.frame);
  CHECK(to_string(e.code) == to_string(c.code));
  if (c.message.size() > 3 && c.message.compare(c.message.size() - 3, 3, "...") == 0)
    CHECK(e.message.rfind(c.message.substr(0, c.message.size() - 3), 0) == 0);
  else
    CHECK(e.message == c.message);
  CHECK(e.request_type == c.request_type);
}

const std::string channels =
    "must be one of market_data, calculations, notifications, system, analytics";
const std::string id_message = "id must be a string of at most 64 characters or an integer";

std::string calculate_with(const std::string& parameters) {
  return R"({"type":"calculate","calculation_type":"npv","parameters":)" + parameters + "}";
}

std::string nested(std::size_t depth, const char* open, const char* close) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i)
    s += open;
  for (std::size_t i = 0; i < depth; ++i)
    s += close;
  return s;
}

} // namespace

TEST_CASE("not JSON: invalid_json, with nothing to echo") {
  const std::string bad[] = {
      "",
      " ",
      "{",
      "}",
      R"({"type":"ping")",
      R"({"type":"ping"} x)",
      R"({"type":"ping"}{"type":"ping"})",
      R"({'type':'ping'})",
      R"({"type":"ping",})",
      R"({"type":"ping","x":NaN})",
      R"({"type":"ping","x":Infinity})",
      R"({"type":"ping","x":-Infinity})",
      R"({"type":"ping","x":01})",
      R"({"type":"ping","x":1.})",
      R"({"type":"ping","x":.5})",
      R"({"type":"ping","x":1e})",
      R"({"type":"ping"} // comment)",
      R"({"type":"ping\u12"})",
      "{\"type\":\"ping\",\"x\":\"a\tb\"}", // raw control character in a string
      "{\"type\":\"\xff\"}",                // not UTF-8
      "{\"type\":\"\xc3\"}",                // truncated sequence
      "{\"type\":\"\xc0\xaf\"}",            // overlong encoding
      "{\"type\":\"\xed\xa0\x80\"}",        // encoded surrogate
      "\xef\xbb\xbf{\"type\":\"ping\"}",    // byte order mark
      std::string("{\"type\":\"ping\"}\0", 16),
      std::string("{\"type\":\"pi\0ng\"}", 16),
  };
  for (const auto& frame : bad) {
    INFO("frame: " << frame);
    const decode_error e = decode_fail(frame);
    CHECK(e.code == error_code::invalid_json);
    CHECK_FALSE(e.message.empty());
    CHECK(e.request_type.empty());
    CHECK(std::holds_alternative<std::monostate>(e.id));
    CHECK_FALSE(e.calculation_id.has_value());
  }
  CHECK(decode_fail(R"({"type":"ping")").message.rfind("invalid JSON at offset 14", 0) == 0);
}

TEST_CASE("every proper prefix of a valid message is invalid_json") {
  const std::string frame =
      R"({"type": "calculate", "calculation_id": "unique_id", "calculation_type": "npv",
     "parameters": {"cash_flows": [100000, 120000, 140000], "discount_rate": 0.10,
                    "initial_investment": 300000}, "id": 12})";
  REQUIRE(std::holds_alternative<client_message>(decode(frame)));
  for (std::size_t n = 0; n < frame.size(); ++n) {
    const auto result = decode(std::string_view(frame).substr(0, n));
    REQUIRE(std::holds_alternative<decode_error>(result));
    CHECK(std::get<decode_error>(result).code == error_code::invalid_json);
  }
}

TEST_CASE("well-formed JSON that is not a valid message") {
  const bad_frame cases[] = {
      {"null", error_code::invalid_message, "message must be a JSON object", ""},
      {"[]", error_code::invalid_message, "message must be a JSON object", ""},
      {R"(["type","ping"])", error_code::invalid_message, "message must be a JSON object", ""},
      {"42", error_code::invalid_message, "message must be a JSON object", ""},
      {"1e400", error_code::invalid_message, "message must be a JSON object", ""},
      {R"("ping")", error_code::invalid_message, "message must be a JSON object", ""},
      {"{}", error_code::invalid_message, "type is required", ""},
      {R"({"type":5})", error_code::invalid_message, "type must be a string", ""},
      {R"({"type":null})", error_code::invalid_message, "type must be a string", ""},
      {R"({"type":["ping"]})", error_code::invalid_message, "type must be a string", ""},
      {R"({"type":"pong"})", error_code::unknown_type,
       "type must be one of subscribe, unsubscribe, calculate, cancel, ping, auth, set_alert, "
       "remove_alert, history",
       "pong"},
      {R"({"type":"PING"})", error_code::unknown_type, "type must be one of ...", "PING"},
      {R"({"type":""})", error_code::unknown_type, "type must be one of ...", ""},
  };
  for (const auto& c : cases)
    check(c);
}

TEST_CASE("id: a string of at most 64 characters or an int64, else invalid_message") {
  const std::string bad_ids[] = {
      '"' + std::string(65, 'x') + '"', // 65 characters
      "1.5",                            // float
      "1.0",                            // integral, but written as a float
      "1e3",
      "1e400",
      "9223372036854775808", // int64 max + 1
      "-9223372036854775809",
      "true",
      "null",
      "[1]",
      R"({"a":1})",
  };
  for (const auto& id : bad_ids) {
    INFO("id: " << id);
    const decode_error e =
        decode_fail(R"({"type":"subscribe","channel":"system","id":)" + id + "}");
    CHECK(e.code == error_code::invalid_message);
    CHECK(e.message == id_message);
    CHECK(e.request_type == "subscribe");
    CHECK(std::holds_alternative<std::monostate>(e.id));
  }
  // A bad id is reported even when the type is unknown too; the type is still echoed.
  const decode_error e = decode_fail(R"({"type":"nope","id":2.5})");
  CHECK(e.code == error_code::invalid_message);
  CHECK(e.request_type == "nope");
}

TEST_CASE("errors echo the id, the request type and the calculation_id") {
  const decode_error e = decode_fail(R"({"type":"calculate","id":"r-9","calculation_id":"c-1",
                     "calculation_type":"npv","parameters":{"cash_flows":"x"}})");
  CHECK(e.code == error_code::invalid_parameters);
  CHECK(e.message == "parameters.cash_flows must be an array of finite numbers");
  CHECK(e.request_type == "calculate");
  CHECK(std::get<std::string>(e.id) == "r-9");
  CHECK(e.calculation_id == std::optional<std::string>{"c-1"});

  const decode_error unknown = decode_fail(R"({"type":"frobnicate","id":42})");
  CHECK(unknown.code == error_code::unknown_type);
  CHECK(unknown.request_type == "frobnicate");
  CHECK(std::get<std::int64_t>(unknown.id) == 42);

  const decode_error cancel = decode_fail(R"({"type":"cancel","calculation_id":7,"id":-1})");
  CHECK(cancel.message == "calculation_id must be a string");
  CHECK_FALSE(cancel.calculation_id.has_value());
  CHECK(std::get<std::int64_t>(cancel.id) == -1);

  const error_reply reply = to_error_reply(e);
  CHECK(reply.code == error_code::invalid_parameters);
  CHECK(reply.message == e.message);
  CHECK(reply.request_type == "calculate");
  CHECK(std::get<std::string>(reply.id) == "r-9");
  CHECK(reply.calculation_id == std::optional<std::string>{"c-1"});
}

TEST_CASE("subscribe, unsubscribe and history: channel and since_seq") {
  const bad_frame cases[] = {
      {R"({"type":"subscribe"})", error_code::invalid_message, "channel is required", "subscribe"},
      {R"({"type":"subscribe","channel":5})", error_code::invalid_message,
       "channel must be a string", "subscribe"},
      {R"({"type":"subscribe","channel":"stocks"})", error_code::unknown_channel,
       "channel " + channels, "subscribe"},
      {R"({"type":"unsubscribe","channel":"Market_Data"})", error_code::unknown_channel,
       "channel " + channels, "unsubscribe"},
      {R"({"type":"unsubscribe","channel":null})", error_code::invalid_message,
       "channel must be a string", "unsubscribe"},
      {R"({"type":"history","channel":"x"})", error_code::unknown_channel, "channel " + channels,
       "history"},
      {R"({"type":"subscribe","channel":"system","since_seq":-1})", error_code::invalid_message,
       "since_seq must be a non-negative integer", "subscribe"},
      {R"({"type":"subscribe","channel":"system","since_seq":1.5})", error_code::invalid_message,
       "since_seq must be a non-negative integer", "subscribe"},
      {R"({"type":"subscribe","channel":"system","since_seq":"3"})", error_code::invalid_message,
       "since_seq must be a non-negative integer", "subscribe"},
      {R"({"type":"subscribe","channel":"system","since_seq":1e400})", error_code::invalid_message,
       "since_seq must be a non-negative integer", "subscribe"},
      {R"({"type":"subscribe","channel":"system","since_seq":18446744073709551616})",
       error_code::invalid_message, "since_seq must be a non-negative integer", "subscribe"},
      {R"({"type":"subscribe","channel":"system","epoch":1})", error_code::invalid_message,
       "epoch must be a string of at most 64 characters", "subscribe"},
      {R"({"type":"history","channel":"system","since_seq":-5})", error_code::invalid_message,
       "since_seq must be a non-negative integer", "history"},
  };
  for (const auto& c : cases)
    check(c);
}

TEST_CASE("history: limit, from and to") {
  const std::string h = R"({"type":"history","channel":"market_data",)";
  const std::string range = "limit must be between 1 and 1000";
  const bad_frame cases[] = {
      {h + R"("limit":0})", error_code::invalid_parameters, range, "history"},
      {h + R"("limit":1001})", error_code::invalid_parameters, range, "history"},
      {h + R"("limit":5000})", error_code::invalid_parameters, range, "history"},
      {h + R"("limit":-1})", error_code::invalid_parameters, range, "history"},
      {h + R"("limit":18446744073709551615})", error_code::invalid_parameters, range, "history"},
      {h + R"("limit":"10"})", error_code::invalid_message, "limit must be an integer", "history"},
      {h + R"("limit":10.5})", error_code::invalid_message, "limit must be an integer", "history"},
      {h + R"("limit":null})", error_code::invalid_message, "limit must be an integer", "history"},
      {h + R"("from":"yesterday"})", error_code::invalid_parameters,
       "from must be an RFC 3339 timestamp...", "history"},
      {h + R"("to":"2024-02-30T00:00:00Z"})", error_code::invalid_parameters,
       "to must be an RFC 3339 timestamp...", "history"},
      {h + R"("from":1705314600})", error_code::invalid_message,
       "from must be an RFC 3339 timestamp string", "history"},
      {h + R"("to":null})", error_code::invalid_message, "to must be an RFC 3339 timestamp string",
       "history"},
  };
  for (const auto& c : cases)
    check(c);
}

TEST_CASE("calculate: top-level fields") {
  const std::string c = R"({"type":"calculate",)";
  const bad_frame cases[] = {
      {c + R"("parameters":{"cash_flows":[1]}})", error_code::invalid_message,
       "calculation_type is required", "calculate"},
      {c + R"("calculation_type":1,"parameters":{}})", error_code::invalid_message,
       "calculation_type must be a string", "calculate"},
      {c + R"("calculation_type":"black_scholes","parameters":{}})",
       error_code::unknown_calculation_type,
       "calculation_type must be one of npv, irr, roi, payback, monte_carlo, sensitivity, "
       "forecast, forecast_npv",
       "calculate"},
      {c + R"("calculation_type":"npv"})", error_code::invalid_message, "parameters is required",
       "calculate"},
      {c + R"("calculation_type":"npv","parameters":[100]})", error_code::invalid_message,
       "parameters must be an object", "calculate"},
      {c + R"("calculation_type":"npv","parameters":null})", error_code::invalid_message,
       "parameters must be an object", "calculate"},
      {c + R"("calculation_type":"npv","calculation_id":5,"parameters":{}})",
       error_code::invalid_message, "calculation_id must be a string of at most 64 characters",
       "calculate"},
      {c + R"("calculation_type":"npv","live":"yes","parameters":{}})", error_code::invalid_message,
       "live must be a boolean", "calculate"},
      {c + R"("calculation_type":"npv","live":1,"parameters":{}})", error_code::invalid_message,
       "live must be a boolean", "calculate"},
  };
  for (const auto& bad : cases)
    check(bad);

  const std::string long_id(65, 'c');
  const decode_error e = decode_fail(c + R"("calculation_type":"npv","calculation_id":")" +
                                     long_id + R"(","parameters":{"cash_flows":[1]}})");
  CHECK(e.code == error_code::invalid_message);
  CHECK(e.message == "calculation_id must be a string of at most 64 characters");
  CHECK(e.calculation_id == std::optional<std::string>{long_id}); // echoed: it was a string
}

TEST_CASE("calculate: parameters are named, and invalid_parameters") {
  const std::string finite = "must be an array of finite numbers";
  const std::string rate = "parameters.discount_rate must be a finite number or \"market\"";
  const std::pair<std::string, std::string> cases[] = {
      {"{}", "parameters.cash_flows is required"},
      {R"({"cash_flows":"x"})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":{"0":1}})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[1,"2"]})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[1,null]})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[1,[2]]})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[1,1e400]})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[-1e400]})", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[1)" + std::string(400, '0') + "]}", "parameters.cash_flows " + finite},
      {R"({"cash_flows":[1],"discount_rate":"marketplace"})", rate},
      {R"({"cash_flows":[1],"discount_rate":null})", rate},
      {R"({"cash_flows":[1],"discount_rate":1e400})", rate},
      {R"({"cash_flows":[1],"initial_investment":"300000"})",
       "parameters.initial_investment must be a finite number"},
      {R"({"cash_flows":[1],"initial_investment":-1e309})",
       "parameters.initial_investment must be a finite number"},
      {R"({"cash_flows":[1],"volatility":true})",
       "parameters.volatility must be a finite number or \"market\""},
      {R"({"cash_flows":[1],"indicator":"gold"})",
       "parameters.indicator must be one of discount_rate, inflation_rate, market_growth, "
       "tech_index, ai_adoption_rate"},
      {R"({"cash_flows":[1],"indicator":3})", "parameters.indicator must be a string"},
      {R"({"cash_flows":[1],"method":"arima"})", "parameters.method must be one of holt, ar1"},
      {R"({"cash_flows":[1],"horizon":-3})", "parameters.horizon must be a non-negative integer"},
      {R"({"cash_flows":[1],"window":2.5})", "parameters.window must be a non-negative integer"},
      {R"({"cash_flows":[1],"alpha":"0.5"})", "parameters.alpha must be a finite number"},
      {R"({"cash_flows":[1],"beta":null})", "parameters.beta must be a finite number"},
      {R"({"cash_flows":[1],"paths":true})", "parameters.paths must be a non-negative integer"},
      {R"({"cash_flows":[1],"variation":null})", "parameters.variation must be a finite number"},
      {R"({"cash_flows":[1],"iterations":-1})",
       "parameters.iterations must be a non-negative integer"},
      {R"({"cash_flows":[1],"iterations":1e5})",
       "parameters.iterations must be a non-negative integer"},
      {R"({"cash_flows":[1],"seed":"42"})", "parameters.seed must be a non-negative integer"},
  };
  for (const auto& [parameters, message] : cases) {
    INFO("parameters: " << parameters);
    const decode_error e = decode_fail(calculate_with(parameters));
    CHECK(to_string(e.code) == "invalid_parameters");
    CHECK(e.message == message);
    CHECK(e.request_type == "calculate");
  }
}

const std::string metric_choices =
    "metric must be a market field (discount_rate, inflation_rate, market_growth, tech_index, "
    "ai_adoption_rate), analytics.<market field>.<zscore|volatility|trend_strength|"
    "trend_reversal> or calculation:<calculation_id>.<result field>";

TEST_CASE("cancel, auth, set_alert and remove_alert: required fields") {
  const std::string a = R"({"type":"set_alert","alert_id":"a",)";
  const bad_frame cases[] = {
      {R"({"type":"cancel"})", error_code::invalid_message, "calculation_id is required", "cancel"},
      {R"({"type":"auth"})", error_code::invalid_message, "token is required", "auth"},
      {R"({"type":"auth","token":123})", error_code::invalid_message, "token must be a string",
       "auth"},
      {R"({"type":"remove_alert"})", error_code::invalid_message, "alert_id is required",
       "remove_alert"},
      {R"({"type":"remove_alert","alert_id":["a"]})", error_code::invalid_message,
       "alert_id must be a string of at most 64 characters", "remove_alert"},
      {R"({"type":"remove_alert","alert_id":")" + std::string(65, 'a') + R"("})",
       error_code::invalid_message, "alert_id must be a string of at most 64 characters",
       "remove_alert"},
      {R"({"type":"set_alert","metric":"tech_index","condition":"above","threshold":1})",
       error_code::invalid_message, "alert_id is required", "set_alert"},
      {a + R"("condition":"above","threshold":1})", error_code::invalid_message,
       "metric is required", "set_alert"},
      {a + R"("metric":"gold_price","condition":"above","threshold":1})",
       error_code::invalid_parameters, metric_choices, "set_alert"},
      {a + R"("metric":7,"condition":"above","threshold":1})", error_code::invalid_message,
       "metric must be a string", "set_alert"},
      {a + R"("metric":"tech_index","condition":"equals","threshold":1})",
       error_code::invalid_parameters, "condition must be one of above, below, reversal",
       "set_alert"},
      {a + R"("metric":"tech_index","threshold":1})", error_code::invalid_message,
       "condition is required", "set_alert"},
      {a + R"("metric":"tech_index","condition":"above"})", error_code::invalid_message,
       "threshold is required", "set_alert"},
      {a + R"("metric":"tech_index","condition":"above","threshold":"100"})",
       error_code::invalid_message, "threshold must be a finite number", "set_alert"},
      {a + R"("metric":"tech_index","condition":"above","threshold":1e400})",
       error_code::invalid_parameters, "threshold must be a finite number", "set_alert"},
  };
  for (const auto& c : cases)
    check(c);
}

TEST_CASE("set_alert: computed metrics that are not, and conditions that do not fit") {
  const std::string a = R"({"type":"set_alert","alert_id":"a",)";
  auto metric = [&](const std::string& m,
                    const std::string& rest = R"("condition":"above","threshold":1})") {
    return a + R"("metric":")" + m + R"(",)" + rest;
  };
  const std::string reversal = R"("condition":"reversal"})";
  for (const std::string& bad : std::vector<std::string>{
           "analytics.", "analytics.tech_index", "analytics.tech_index.", "analytics.gold.zscore",
           "analytics.tech_index.mean", "analytics.tech_index.zscore.x",
           "Analytics.tech_index.zscore", "calculation:", "calculation:x", "calculation:.npv",
           "calculation:x.", "calculation:" + std::string(65, 'c') + ".npv", "calculation x.npv"})
    check({metric(bad), error_code::invalid_parameters, metric_choices, "set_alert"});
  check({metric("analytics.tech_index.trend_reversal"), error_code::invalid_parameters,
         "condition must be reversal for a trend_reversal metric", "set_alert"});
  for (const char* m : {"tech_index", "analytics.tech_index.zscore", "calculation:x.npv"})
    check({metric(m, reversal), error_code::invalid_parameters,
           "condition reversal applies only to analytics.<market field>.trend_reversal",
           "set_alert"});
  check({metric("analytics.tech_index.zscore", R"("condition":"below"})"),
         error_code::invalid_message, "threshold is required", "set_alert"});
}

TEST_CASE("hostile input: the right error, no crash") {
  const std::string deep_arrays = nested(100'000, "[", "]");
  std::string deep_objects;
  for (int i = 0; i < 100'000; ++i)
    deep_objects += R"({"a":)";
  deep_objects += "1" + std::string(100'000, '}');
  const std::string deep_message = R"({"type":"ping","x":)" + nested(100'000, "[", "]") + "}";
  const std::string unclosed = std::string(100'000, '[');
  const std::string nesting = "JSON nested deeper than 64 levels";
  const bad_frame cases[] = {
      {"", error_code::invalid_json, "invalid JSON at offset 0...", ""},
      {"null", error_code::invalid_message, "message must be a JSON object", ""},
      {"[]", error_code::invalid_message, "message must be a JSON object", ""},
      {deep_arrays, error_code::invalid_json, nesting, ""},
      {deep_objects, error_code::invalid_json, nesting, ""},
      {deep_message, error_code::invalid_json, nesting, ""},
      {unclosed, error_code::invalid_json, nesting, ""},
      {calculate_with(R"({"cash_flows":[1e400]})"), error_code::invalid_parameters,
       "parameters.cash_flows must be an array of finite numbers", "calculate"},
      {"{\"type\":\"ping\",\"id\":\"\xfe\xff\"}", error_code::invalid_json, "invalid JSON...", ""},
      {R"({"type":"ping","id":")" + std::string(65, 'i') + "\"}", error_code::invalid_message,
       id_message, "ping"},
      {R"({"type":"ping","id":3.25})", error_code::invalid_message, id_message, "ping"},
      {R"({"type":"subscribe","channel":"market_data","since_seq":-1})",
       error_code::invalid_message, "since_seq must be a non-negative integer", "subscribe"},
  };
  for (const auto& c : cases)
    check(c);

  // Nesting up to the limit is fine (the message itself is one level).
  CHECK(std::holds_alternative<client_message>(
      decode(R"({"type":"ping","x":)" + nested(63, "[", "]") + "}")));
  CHECK(decode_fail(R"({"type":"ping","x":)" + nested(64, "[", "]") + "}").message == nesting);

  // A frame full of out-of-range numbers is refused without re-parsing it without end.
  std::string many = R"({"type":"ping","x":[)";
  for (int i = 0; i < 10'000; ++i)
    many += "1e400,";
  many += "1]}";
  CHECK(decode_fail(many).code == error_code::invalid_json);
}
