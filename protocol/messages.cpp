#include "protocol/messages.hpp"

#include <iterator>

namespace rtd::protocol {
namespace {

// Each enum's wire names, indexed by the enumerator's value: one table serves both directions.
constexpr std::string_view channel_names[] = {"market_data", "calculations", "notifications",
                                              "system", "analytics"};
constexpr std::string_view trend_names[] = {"flat", "up", "down"};
constexpr std::string_view error_code_names[] = {"invalid_json",
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
constexpr std::string_view indicator_names[] = {"discount_rate", "inflation_rate", "market_growth",
                                                "tech_index", "ai_adoption_rate"};
constexpr std::string_view calculation_type_names[] = {
    "npv", "irr", "roi", "payback", "monte_carlo", "sensitivity", "forecast", "forecast_npv"};
constexpr std::string_view forecast_method_names[] = {"holt", "ar1"};
constexpr std::string_view level_names[] = {"info", "success", "warning", "error"};
constexpr std::string_view category_names[] = {"info", "alert", "calculation", "cluster", "system"};
constexpr std::string_view condition_names[] = {"above", "below", "reversal"};
constexpr std::string_view measure_names[] = {"zscore", "volatility", "trend_strength",
                                              "trend_reversal"};
constexpr std::string_view analytics_prefix = "analytics.";
constexpr std::string_view calculation_prefix = "calculation:";
constexpr std::string_view status_names[] = {"started", "processing", "completed", "failed",
                                             "cancelled"};
// In the order of client_body's alternatives.
constexpr std::string_view client_type_names[] = {"subscribe", "unsubscribe",  "calculate",
                                                  "cancel",    "ping",         "auth",
                                                  "set_alert", "remove_alert", "history"};

static_assert(std::size(channel_names) == all_channels.size());
static_assert(std::size(indicator_names) == market_indicator_count);
static_assert(std::size(calculation_type_names) == all_calculation_types.size());
static_assert(std::size(forecast_method_names) == forecast_method_count);
static_assert(std::size(measure_names) == analytics_measure_count);
static_assert(std::size(client_type_names) == std::variant_size_v<client_body>);

/// The name of `e`, or an empty view for a value outside the enumeration.
template <class Enum, std::size_t N>
std::string_view name_of(const std::string_view (&names)[N], Enum e) {
  auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view{};
}

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::string_view (&names)[N], std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name)
      return static_cast<Enum>(i);
  return std::nullopt;
}

} // namespace

std::string_view to_string(trend t) {
  return name_of(trend_names, t);
}

std::string_view to_string(channel c) {
  return name_of(channel_names, c);
}
std::optional<channel> parse_channel(std::string_view name) {
  return parse_name<channel>(channel_names, name);
}

std::string_view to_string(error_code c) {
  return name_of(error_code_names, c);
}

std::string_view to_string(market_indicator m) {
  return name_of(indicator_names, m);
}
std::optional<market_indicator> parse_market_indicator(std::string_view name) {
  return parse_name<market_indicator>(indicator_names, name);
}

std::string_view to_string(calculation_type t) {
  return name_of(calculation_type_names, t);
}
std::optional<calculation_type> parse_calculation_type(std::string_view name) {
  return parse_name<calculation_type>(calculation_type_names, name);
}

std::string_view to_string(forecast_method m) {
  return name_of(forecast_method_names, m);
}
std::optional<forecast_method> parse_forecast_method(std::string_view name) {
  return parse_name<forecast_method>(forecast_method_names, name);
}

std::string_view to_string(notification_level l) {
  return name_of(level_names, l);
}
std::optional<notification_level> parse_notification_level(std::string_view name) {
  return parse_name<notification_level>(level_names, name);
}

std::string_view to_string(notification_category c) {
  return name_of(category_names, c);
}
std::optional<notification_category> parse_notification_category(std::string_view name) {
  return parse_name<notification_category>(category_names, name);
}

std::string_view to_string(alert_condition c) {
  return name_of(condition_names, c);
}
std::optional<alert_condition> parse_alert_condition(std::string_view name) {
  return parse_name<alert_condition>(condition_names, name);
}

std::string_view to_string(analytics_measure m) {
  return name_of(measure_names, m);
}

namespace {

struct metric_namer {
  std::string operator()(market_indicator m) const { return std::string{to_string(m)}; }
  std::string operator()(const analytics_metric& m) const {
    return std::string{analytics_prefix}
        .append(to_string(m.indicator))
        .append(".")
        .append(to_string(m.measure));
  }
  std::string operator()(const calculation_metric& m) const {
    return std::string{calculation_prefix}.append(m.calculation_id).append(".").append(m.field);
  }
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

/// `<indicator>.<measure>`.
std::optional<alert_metric> parse_analytics_metric(std::string_view rest) {
  auto dot = rest.find('.');
  if (dot == std::string_view::npos)
    return std::nullopt;
  auto indicator = parse_market_indicator(rest.substr(0, dot));
  auto measure = parse_name<analytics_measure>(measure_names, rest.substr(dot + 1));
  if (!indicator || !measure)
    return std::nullopt;
  return alert_metric{analytics_metric{*indicator, *measure}};
}

/// `<calculation_id>.<field>`: the id may hold dots, the field (a result's key) does not.
std::optional<alert_metric> parse_calculation_metric(std::string_view rest) {
  auto dot = rest.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot > max_id_length || dot + 1 == rest.size())
    return std::nullopt;
  return alert_metric{
      calculation_metric{std::string{rest.substr(0, dot)}, std::string{rest.substr(dot + 1)}}};
}

} // namespace

std::string to_string(const alert_metric& m) {
  return std::visit(metric_namer{}, m);
}

std::optional<alert_metric> parse_alert_metric(std::string_view name) {
  if (auto indicator = parse_market_indicator(name))
    return alert_metric{*indicator};
  if (starts_with(name, analytics_prefix))
    return parse_analytics_metric(name.substr(analytics_prefix.size()));
  if (starts_with(name, calculation_prefix))
    return parse_calculation_metric(name.substr(calculation_prefix.size()));
  return std::nullopt;
}

bool condition_fits(const alert_metric& metric, alert_condition condition) {
  auto analytics = std::get_if<analytics_metric>(&metric);
  bool reversal_metric = analytics && analytics->measure == analytics_measure::trend_reversal;
  return reversal_metric == (condition == alert_condition::reversal);
}

std::string_view to_string(calculation_status s) {
  return name_of(status_names, s);
}

std::string_view type_name(const client_body& body) {
  return client_type_names[body.index()];
}

} // namespace rtd::protocol
