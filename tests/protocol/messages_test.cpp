// Enum names and client message type names: the wire vocabulary.
#include "protocol/messages.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rtd::protocol;

namespace {

/// Every enumerator of `Enum` names itself, parses back, and the names are exactly `expected`.
template <class Enum>
void check_names(std::optional<Enum> (*parse)(std::string_view),
                 const std::vector<std::string>& expected) {
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto e = static_cast<Enum>(i);
    CHECK(to_string(e) == expected[i]);
    REQUIRE(parse(expected[i]).has_value());
    CHECK(*parse(expected[i]) == e);
  }
  CHECK(to_string(static_cast<Enum>(expected.size())).empty());
  CHECK_FALSE(parse("").has_value());
  CHECK_FALSE(parse("unknown").has_value());
  std::string upper = expected.front();
  upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
  CHECK_FALSE(parse(upper).has_value()); // names are case-sensitive
  CHECK_FALSE(parse(expected.front() + " ").has_value());
}

} // namespace

TEST_CASE("channel names") {
  check_names<channel>(parse_channel,
                       {"market_data", "calculations", "notifications", "system", "analytics"});
  REQUIRE(all_channels.size() == 5);
  for (std::size_t i = 0; i < all_channels.size(); ++i)
    CHECK(static_cast<std::size_t>(all_channels[i]) == i);
}

TEST_CASE("market indicator names in wire order") {
  check_names<market_indicator>(
      parse_market_indicator,
      {"discount_rate", "inflation_rate", "market_growth", "tech_index", "ai_adoption_rate"});
}

TEST_CASE("calculation type names") {
  check_names<calculation_type>(
      parse_calculation_type,
      {"npv", "irr", "roi", "payback", "monte_carlo", "sensitivity", "forecast", "forecast_npv"});
  for (std::size_t i = 0; i < all_calculation_types.size(); ++i)
    CHECK(static_cast<std::size_t>(all_calculation_types[i]) == i);
}

TEST_CASE("forecast method names") {
  check_names<forecast_method>(parse_forecast_method, {"holt", "ar1"});
}

TEST_CASE("notification level, category and alert condition names") {
  check_names<notification_level>(parse_notification_level,
                                  {"info", "success", "warning", "error"});
  check_names<notification_category>(parse_notification_category,
                                     {"info", "alert", "calculation", "cluster", "system"});
  check_names<alert_condition>(parse_alert_condition, {"above", "below", "reversal"});
}

TEST_CASE("error code and calculation status names") {
  const std::vector<std::string> codes{"invalid_json",
                                       "invalid_message",
                                       "unknown_type",
                                       "unknown_channel",
                                       "invalid_parameters",
                                       "unknown_calculation_type",
                                       "duplicate_calculation_id",
                                       "not_found",
                                       "unauthorized",
                                       "forbidden",
                                       "rate_limited",
                                       "too_many_calculations",
                                       "internal"};
  for (std::size_t i = 0; i < codes.size(); ++i)
    CHECK(to_string(static_cast<error_code>(i)) == codes[i]);
  CHECK(to_string(error_code::internal) == "internal");

  const std::vector<std::string> statuses{"started", "processing", "completed", "failed",
                                          "cancelled"};
  for (std::size_t i = 0; i < statuses.size(); ++i)
    CHECK(to_string(static_cast<calculation_status>(i)) == statuses[i]);
}

TEST_CASE("type_name gives the wire type of every client body") {
  CHECK(type_name(subscribe_request{}) == "subscribe");
  CHECK(type_name(unsubscribe_request{}) == "unsubscribe");
  CHECK(type_name(calculate_request{}) == "calculate");
  CHECK(type_name(cancel_request{}) == "cancel");
  CHECK(type_name(ping_request{}) == "ping");
  CHECK(type_name(auth_request{}) == "auth");
  CHECK(type_name(set_alert_request{}) == "set_alert");
  CHECK(type_name(remove_alert_request{}) == "remove_alert");
  CHECK(type_name(history_request{}) == "history");
}

TEST_CASE("market_snapshot is indexed by indicator") {
  market_snapshot m;
  m[market_indicator::tech_index] = 102.5;
  CHECK(m.values[3] == 102.5);
  const market_snapshot& c = m;
  CHECK(c[market_indicator::tech_index] == 102.5);
  CHECK(c[market_indicator::discount_rate] == 0.0);
}
