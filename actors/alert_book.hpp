// A set of threshold alerts and their firing rule, with no actor around it: each alert fires
// once when its condition starts to hold (above: value > threshold; below: value <
// threshold) and re-arms when it stops holding. Used by every session for its own alerts and
// by the node's alert watcher for the configured ones.
#pragma once

#include "protocol/messages.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtd {

struct alert {
  std::string id;
  protocol::alert_metric metric = protocol::market_indicator::discount_rate;
  protocol::alert_condition condition = protocol::alert_condition::above;
  double threshold = 0.0;
};

class alert_book {
public:
  /// At most `max_alerts` alerts at once.
  explicit alert_book(std::size_t max_alerts) : max_(max_alerts) {}

  enum class set_result { added, replaced, full };

  /// Adds `a`, or replaces the alert of the same id (which re-arms it); `full` when that
  /// would exceed the maximum.
  set_result set(alert a);

  /// Removes the alert `id`; false when there is none.
  bool remove(const std::string& id);

  /// Removes the alerts on calculation `calculation_id`'s result, returning their ids.
  std::vector<std::string> remove_calculation(const std::string& calculation_id);

  /// The alerts on market fields that fire on `values`: those whose condition holds now but
  /// did not at the previous evaluation (or ever, for a new one).
  std::vector<protocol::alert_details> observe(const protocol::market_snapshot& values);

  /// The same for the alerts on analytics figures; a trend_reversal fires when the trend turns
  /// up after down or down after up (a flat trend in between changes nothing).
  std::vector<protocol::alert_details> observe(const protocol::analytics_update& update);

  /// The same for the alerts on calculation `calculation_id`'s result (JSON): a field that is
  /// not a number there (null) does not hold.
  std::vector<protocol::alert_details> observe(const std::string& calculation_id,
                                               std::string_view result);

  /// Whether an alert watches a metric of kind `Metric` (an alternative of alert_metric).
  template <class Metric> bool watches() const {
    for (const auto& e : entries_)
      if (std::holds_alternative<Metric>(e.spec.metric))
        return true;
    return false;
  }

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::size_t max() const { return max_; }

private:
  struct entry {
    alert spec;
    bool holding = false; ///< the condition held at the last evaluation
    /// A trend_reversal's last direction other than flat.
    std::optional<protocol::trend> direction;
  };

  /// What an evaluation read for one alert: whether it concerns the alert, and its value.
  struct reading {
    bool concerned = false;
    std::optional<double> value;
    protocol::trend direction = protocol::trend::flat;
  };

  template <class Read> std::vector<protocol::alert_details> evaluate(Read read);

  std::size_t max_;
  std::vector<entry> entries_; ///< in the order set: alerts fire in that order
};

/// An alert written as "id metric condition threshold" (a server's configured alert, on a
/// market field), e.g. "rate-high discount_rate above 0.12"; nothing when the text is not one.
std::optional<alert> parse_alert(std::string_view text);

/// The notification of a fired alert (category alert, level warning).
protocol::notification alert_notification(const protocol::alert_details& fired);

} // namespace rtd
