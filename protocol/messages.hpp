// Wire messages of the rtd protocol, version 1, as plain C++ types.
// See docs/protocol.md. No CAF, no Beast, no JSON here: see codec.hpp for that.
#pragma once

#include "protocol/timestamp.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtd::protocol {

inline constexpr int version = 1;

/// The channels a client can subscribe to.
enum class channel : std::uint8_t { market_data, calculations, notifications, system, analytics };
inline constexpr std::array<channel, 5> all_channels{channel::market_data, channel::calculations,
                                                     channel::notifications, channel::system,
                                                     channel::analytics};
std::string_view to_string(channel c);
std::optional<channel> parse_channel(std::string_view name);

/// Channels whose subscribers want the newest value rather than every one: a plain subscribe
/// gets the latest publication at once, and a slow reader's queue conflates.
constexpr bool is_latest_value(channel c) {
  return c == channel::market_data || c == channel::system || c == channel::analytics;
}

/// The `code` of an `error` reply.
enum class error_code : std::uint8_t {
  invalid_json,
  invalid_message,
  unknown_type,
  unknown_channel,
  invalid_parameters,
  unknown_calculation_type,
  duplicate_calculation_id,
  not_found,
  unauthorized,
  forbidden,
  rate_limited,
  too_many_calculations,
  internal,
};
std::string_view to_string(error_code c);

/// The five simulated market indicators, in wire order.
enum class market_indicator : std::uint8_t {
  discount_rate,
  inflation_rate,
  market_growth,
  tech_index,
  ai_adoption_rate,
};
inline constexpr std::size_t market_indicator_count = 5;
std::string_view to_string(market_indicator m);
std::optional<market_indicator> parse_market_indicator(std::string_view name);

/// Values of every indicator, indexed by `market_indicator`.
struct market_snapshot {
  std::array<double, market_indicator_count> values{};
  double operator[](market_indicator m) const { return values[static_cast<std::size_t>(m)]; }
  double& operator[](market_indicator m) { return values[static_cast<std::size_t>(m)]; }
};

enum class calculation_type : std::uint8_t {
  npv,
  irr,
  roi,
  payback,
  monte_carlo,
  sensitivity,
  forecast,
  forecast_npv,
};
inline constexpr std::array<calculation_type, 8> all_calculation_types{
    calculation_type::npv,      calculation_type::irr,         calculation_type::roi,
    calculation_type::payback,  calculation_type::monte_carlo, calculation_type::sensitivity,
    calculation_type::forecast, calculation_type::forecast_npv};
std::string_view to_string(calculation_type t);
std::optional<calculation_type> parse_calculation_type(std::string_view name);

/// The `method` of `forecast` and `forecast_npv`.
enum class forecast_method : std::uint8_t { holt, ar1 };
inline constexpr std::size_t forecast_method_count = 2;
std::string_view to_string(forecast_method m);
std::optional<forecast_method> parse_forecast_method(std::string_view name);

enum class notification_level : std::uint8_t { info, success, warning, error };
std::string_view to_string(notification_level l);
std::optional<notification_level> parse_notification_level(std::string_view name);

enum class notification_category : std::uint8_t { info, alert, calculation, cluster, system };
std::string_view to_string(notification_category c);
std::optional<notification_category> parse_notification_category(std::string_view name);

enum class trend : std::uint8_t { flat, up, down };
std::string_view to_string(trend t);

/// `reversal` is the condition of `trend_reversal` only, and the only one it takes.
enum class alert_condition : std::uint8_t { above, below, reversal };
std::string_view to_string(alert_condition c);
std::optional<alert_condition> parse_alert_condition(std::string_view name);

/// A figure of the analytics channel an alert can watch.
enum class analytics_measure : std::uint8_t { zscore, volatility, trend_strength, trend_reversal };
inline constexpr std::size_t analytics_measure_count = 4;
std::string_view to_string(analytics_measure m);

/// `analytics.<indicator>.<measure>`.
struct analytics_metric {
  market_indicator indicator = market_indicator::discount_rate;
  analytics_measure measure = analytics_measure::zscore;
  bool operator==(const analytics_metric& o) const {
    return indicator == o.indicator && measure == o.measure;
  }
};

/// `calculation:<calculation_id>.<field>`: a number of a live calculation's result.
struct calculation_metric {
  std::string calculation_id;
  std::string field;
  bool operator==(const calculation_metric& o) const {
    return calculation_id == o.calculation_id && field == o.field;
  }
};

/// What an alert watches: a market_data field, an analytics figure, or a number of one of the
/// session's own live calculations.
using alert_metric = std::variant<market_indicator, analytics_metric, calculation_metric>;
std::string to_string(const alert_metric& m);
/// Nothing when `name` is none of the three forms (the calculation id at most 64 chars).
std::optional<alert_metric> parse_alert_metric(std::string_view name);
/// Whether `condition` applies to `metric`: `reversal` to trend_reversal, and only it.
bool condition_fits(const alert_metric& metric, alert_condition condition);

/// The `id` of a client message, echoed by its direct reply: absent, a string of at most
/// 64 characters, or an integer.
using correlation_id = std::variant<std::monostate, std::string, std::int64_t>;
inline constexpr std::size_t max_id_length = 64;

// ---- client to server -------------------------------------------------------------------

struct subscribe_request {
  channel target = channel::market_data;
  std::optional<std::uint64_t> since_seq;
  std::optional<std::string> epoch;
  bool conflate = true; ///< latest-value channels: newer publications may replace unsent ones
};

struct unsubscribe_request {
  channel target = channel::market_data;
};

/// A discount rate (or Monte Carlo's volatility): a number, or "market" for the market's
/// (the current market_data discount_rate; the volatility mapped from the analytics').
struct rate_input {
  bool market = false;
  double value = 0.0; ///< meaningful when !market
};

/// The `parameters` of a `calculate`, typed but not range-checked (that depends on the
/// calculation type and belongs to the calculation service).
struct calculation_parameters {
  std::vector<double> cash_flows; ///< required by every type but forecast
  std::optional<rate_input> discount_rate;
  std::optional<double> initial_investment;
  std::optional<rate_input> volatility;
  std::optional<std::uint64_t> iterations;
  std::optional<std::uint64_t> seed;
  std::optional<double> variation;
  // forecast and forecast_npv
  std::optional<market_indicator> indicator; ///< forecast: the series forecast
  std::optional<std::uint64_t> horizon;      ///< forecast: steps ahead
  std::optional<forecast_method> method;
  std::optional<std::uint64_t> window; ///< recorded points the model is fitted on
  std::optional<double> alpha;         ///< holt's smoothing parameters, both or neither
  std::optional<double> beta;
  std::optional<std::uint64_t> paths; ///< forecast_npv: simulated rate paths
};

struct calculate_request {
  calculation_type type = calculation_type::npv;
  calculation_parameters parameters;
  std::optional<std::string> calculation_id;
  bool live = false;
};

struct cancel_request {
  std::string calculation_id;
};

struct ping_request {};

struct auth_request {
  std::string token;
};

struct set_alert_request {
  std::string alert_id;
  alert_metric metric = market_indicator::discount_rate;
  alert_condition condition = alert_condition::above;
  double threshold = 0.0;
};

struct remove_alert_request {
  std::string alert_id;
};

inline constexpr std::uint32_t default_history_limit = 100;
inline constexpr std::uint32_t max_history_limit = 1000;

struct history_request {
  channel target = channel::market_data;
  std::optional<std::uint64_t> since_seq;
  std::optional<timestamp> from;
  std::optional<timestamp> to;
  std::uint32_t limit = default_history_limit;
};

using client_body = std::variant<subscribe_request, unsubscribe_request, calculate_request,
                                 cancel_request, ping_request, auth_request, set_alert_request,
                                 remove_alert_request, history_request>;

/// The wire `type` of a client message ("subscribe", "ping", ...).
std::string_view type_name(const client_body& body);

struct client_message {
  correlation_id id;
  client_body body;
};

// ---- server to client -------------------------------------------------------------------

struct welcome {
  std::string session_id;
  std::string node;
};

struct subscribed {
  correlation_id id;
  channel target = channel::market_data;
  std::uint64_t seq = 0;
  std::string epoch;
  std::optional<bool> recovered; ///< present only when the request had `since_seq`
};

struct unsubscribed {
  correlation_id id;
  channel target = channel::market_data;
};

struct pong {
  correlation_id id;
  timestamp time;
};

struct error_reply {
  correlation_id id;
  error_code code = error_code::internal;
  std::string message;
  std::string request_type;                  ///< empty when unknown (e.g. invalid JSON)
  std::optional<std::string> calculation_id; ///< for rejected `calculate`/`cancel`
};

/// The reply to `history`: publications as they were sent, oldest first.
struct history_reply {
  correlation_id id;
  channel target = channel::market_data;
  /// Each one encoded publication (a JSON object), viewed: what it views must outlive
  /// encode().
  std::vector<std::string_view> items;
  bool has_more = false;
};

/// The reply to a valid `auth`.
struct authenticated {
  correlation_id id;
  std::string subject;            ///< the token's `sub`
  std::vector<std::string> roles; ///< the token's `roles`
};

/// The reply to `set_alert`: the alert as set.
struct alert_set {
  correlation_id id;
  std::string alert_id;
  alert_metric metric = market_indicator::discount_rate;
  alert_condition condition = alert_condition::above;
  double threshold = 0.0;
};

/// The reply to `remove_alert`.
struct alert_removed {
  correlation_id id;
  std::string alert_id;
  /// Sent unasked (no id): the live calculation the alert watched has ended.
  bool calculation_ended = false;
};

/// What every publication on a channel carries.
struct publication_header {
  channel source = channel::market_data;
  std::uint64_t seq = 0;
  std::string epoch;
  timestamp time;
};

/// A triggered alert's details, carried by a notification of category `alert`.
struct alert_details {
  std::string alert_id;
  alert_metric metric = market_indicator::discount_rate;
  alert_condition condition = alert_condition::above;
  double value = 0.0;            ///< the metric's value; for a reversal, the trend's strength
  double threshold = 0.0;        ///< not sent for a reversal
  trend direction = trend::flat; ///< for a reversal: the new direction
};

struct notification {
  notification_category category = notification_category::info;
  notification_level level = notification_level::info;
  std::string message;
  std::optional<alert_details> alert;
};

enum class calculation_status : std::uint8_t { started, processing, completed, failed, cancelled };
std::string_view to_string(calculation_status s);

struct calculation_update {
  std::string calculation_id;
  calculation_type type = calculation_type::npv;
  calculation_status status = calculation_status::started;
  timestamp time;
  std::optional<int> progress;             ///< 0..100, with `processing`
  std::optional<std::string> message;      ///< human text, with `processing`
  std::string result_json;                 ///< raw JSON object, with `completed`
  bool cached = false;                     ///< with `completed`
  std::optional<bool> live;                ///< with `completed` of a live calculation
  std::optional<std::uint64_t> market_seq; ///< with it: seq of the market_update it used
  std::optional<double> duration_ms;       ///< with `completed`
  std::optional<error_code> error;         ///< with `failed`
  std::string error_message;               ///< with `failed`
  correlation_id id;                       ///< the `cancel` request's id, with `cancelled`
};

/// A cluster member as one node sees it.
struct node_status {
  std::string node;
  std::string status;            ///< "up" or "down"
  bool leader = false;           ///< the oldest live member
  std::uint64_t connections = 0; ///< its WebSocket clients, as it last reported them
};

/// The history store's figures in `system_status`.
struct history_figures {
  bool enabled = false;      ///< false: --history=off, the ring only
  std::uint64_t written = 0; ///< publications stored since start
  std::uint64_t pending = 0; ///< waiting to be written (grows while the disk fails)
  std::uint64_t dropped = 0; ///< given up while the disk failed (still in the ring)
  std::uint64_t write_errors = 0;
};

struct system_status {
  std::string status = "healthy"; ///< or "degraded", when `reasons` is not empty
  /// Why the node is degraded, one line per component that is (Redis unreachable, the
  /// history disk failing); empty when healthy.
  std::vector<std::string> reasons;
  std::string node;
  double uptime_s = 0.0;
  std::uint64_t connections_active = 0;
  std::uint64_t connections_total = 0;
  std::array<std::uint64_t, all_channels.size()> subscribers{}; ///< indexed by channel
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  std::uint64_t cache_entries = 0;
  std::uint64_t cache_evictions = 0;
  std::uint64_t cache_expired = 0;
  std::uint64_t cache_bytes = 0;
  std::uint64_t calculations_running = 0;
  std::uint64_t calculations_completed = 0;
  std::uint64_t calculations_failed = 0;
  double calculations_avg_ms = 0.0;
  std::uint64_t calculations_memory_bytes = 0; ///< reserved by running calculations
  std::uint64_t calculations_refused = 0;      ///< over the node's caps
  double messages_in_per_s = 0.0;
  double messages_out_per_s = 0.0;
  std::uint64_t rss_bytes = 0;
  std::optional<history_figures> history;
  std::vector<node_status> nodes;
  /// What the node's limits refused or closed so far (`data.limits`): messages dropped by the
  /// rate limit, connections closed by close code, upgrades refused by reason.
  std::uint64_t rate_limited = 0;
  std::vector<std::pair<std::string, std::uint64_t>> closed_by_code;
  std::vector<std::pair<std::string, std::uint64_t>> refused_by_reason;
};

/// One indicator's figures after a market step (docs/protocol.md, channel `analytics`).
struct indicator_trend {
  double value = 0.0;
  double ewma_fast = 0.0;
  double ewma_slow = 0.0;
  protocol::trend trend = protocol::trend::flat;
  double trend_strength = 0.0; ///< in [0, 1]
  double volatility = 0.0;     ///< sample std of the recent one-step changes
  double zscore = 0.0;         ///< of the value against the recent window
};

/// The analytics of one market step, for every indicator.
struct analytics_update {
  std::uint64_t market_seq = 0; ///< seq of the market_update they follow
  std::array<indicator_trend, market_indicator_count> indicators{};
};

/// What a channel publishes; the channel adds the header.
using publication_body = std::variant<market_snapshot, notification, system_status,
                                      calculation_update, analytics_update>;

} // namespace rtd::protocol
