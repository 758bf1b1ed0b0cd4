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
enum class channel : std::uint8_t { market_data, calculations, notifications, system };
inline constexpr std::array<channel, 4> all_channels{channel::market_data, channel::calculations,
                                                     channel::notifications, channel::system};
std::string_view to_string(channel c);
std::optional<channel> parse_channel(std::string_view name);

/// Channels whose subscribers want the newest value rather than every one: a plain subscribe
/// gets the latest publication at once, and a slow reader's queue conflates.
constexpr bool is_latest_value(channel c) {
  return c == channel::market_data || c == channel::system;
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

enum class calculation_type : std::uint8_t { npv, irr, roi, payback, monte_carlo, sensitivity };
inline constexpr std::array<calculation_type, 6> all_calculation_types{
    calculation_type::npv,     calculation_type::irr,         calculation_type::roi,
    calculation_type::payback, calculation_type::monte_carlo, calculation_type::sensitivity};
std::string_view to_string(calculation_type t);
std::optional<calculation_type> parse_calculation_type(std::string_view name);

enum class notification_level : std::uint8_t { info, success, warning, error };
std::string_view to_string(notification_level l);
std::optional<notification_level> parse_notification_level(std::string_view name);

enum class notification_category : std::uint8_t { info, alert, calculation, cluster, system };
std::string_view to_string(notification_category c);
std::optional<notification_category> parse_notification_category(std::string_view name);

enum class alert_condition : std::uint8_t { above, below };
std::string_view to_string(alert_condition c);
std::optional<alert_condition> parse_alert_condition(std::string_view name);

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

/// A discount rate: a number, or "market" for the current market_data discount_rate.
struct rate_input {
  bool market = false;
  double value = 0.0; ///< meaningful when !market
};

/// The `parameters` of a `calculate`, typed but not range-checked (that depends on the
/// calculation type and belongs to the calculation service).
struct calculation_parameters {
  std::vector<double> cash_flows;
  std::optional<rate_input> discount_rate;
  std::optional<double> initial_investment;
  std::optional<double> volatility;
  std::optional<std::uint64_t> iterations;
  std::optional<std::uint64_t> seed;
  std::optional<double> variation;
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
  market_indicator metric = market_indicator::discount_rate;
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
  std::vector<std::string> items; ///< each one encoded publication (a JSON object)
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
  market_indicator metric = market_indicator::discount_rate;
  alert_condition condition = alert_condition::above;
  double threshold = 0.0;
};

/// The reply to `remove_alert`.
struct alert_removed {
  correlation_id id;
  std::string alert_id;
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
  market_indicator metric = market_indicator::discount_rate;
  alert_condition condition = alert_condition::above;
  double value = 0.0;
  double threshold = 0.0;
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

struct node_status {
  std::string node;
  std::string status; ///< "up" or "down"
};

struct system_status {
  std::string status = "healthy";
  std::string node;
  double uptime_s = 0.0;
  std::uint64_t connections_active = 0;
  std::uint64_t connections_total = 0;
  std::array<std::uint64_t, all_channels.size()> subscribers{}; ///< indexed by channel
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  std::uint64_t cache_entries = 0;
  std::uint64_t cache_evictions = 0;
  std::uint64_t calculations_running = 0;
  std::uint64_t calculations_completed = 0;
  std::uint64_t calculations_failed = 0;
  double calculations_avg_ms = 0.0;
  double messages_in_per_s = 0.0;
  double messages_out_per_s = 0.0;
  std::uint64_t rss_bytes = 0;
  std::vector<node_status> nodes;
  /// What the node's limits refused or closed so far (`data.limits`): messages dropped by the
  /// rate limit, connections closed by close code, upgrades refused by reason.
  std::uint64_t rate_limited = 0;
  std::vector<std::pair<std::string, std::uint64_t>> closed_by_code;
  std::vector<std::pair<std::string, std::uint64_t>> refused_by_reason;
};

/// What a channel publishes; the channel adds the header.
using publication_body =
    std::variant<market_snapshot, notification, system_status, calculation_update>;

} // namespace rtd::protocol
