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

  /// The alerts that fire on `values`: those whose condition holds now but did not at the
  /// previous evaluation (or ever, for a new one).
  std::vector<protocol::alert_details> observe(const protocol::market_snapshot& values);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::size_t max() const { return max_; }

private:
  struct entry {
    alert spec;
    bool holding = false; ///< the condition held at the last evaluation
  };

  std::size_t max_;
  std::vector<entry> entries_; ///< in the order set: alerts fire in that order
};

/// The value `metric` has in `values`.
double value_of(const protocol::alert_metric& metric, const protocol::market_snapshot& values);

/// An alert written as "id metric condition threshold" (a server's configured alert), e.g.
/// "rate-high discount_rate above 0.12"; nothing when the text is not one.
std::optional<alert> parse_alert(std::string_view text);

/// The notification of a fired alert (category alert, level warning).
protocol::notification alert_notification(const protocol::alert_details& fired);

} // namespace rtd
