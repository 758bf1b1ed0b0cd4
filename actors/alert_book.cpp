#include "actors/alert_book.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rtd {

namespace {

bool holds(protocol::alert_condition c, double value, double threshold) {
  return c == protocol::alert_condition::above ? value > threshold : value < threshold;
}

} // namespace

double value_of(const protocol::alert_metric& metric, const protocol::market_snapshot& values) {
  return values[std::get<protocol::market_indicator>(metric)];
}

std::optional<alert> parse_alert(std::string_view text) {
  std::istringstream in{std::string{text}};
  std::string id, metric, condition, threshold, extra;
  if (!(in >> id >> metric >> condition >> threshold) || (in >> extra))
    return std::nullopt;
  auto m = protocol::parse_alert_metric(metric);
  auto c = protocol::parse_alert_condition(condition);
  std::size_t used = 0;
  double t = 0.0;
  try {
    t = std::stod(threshold, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!m || !c || used != threshold.size() || !std::isfinite(t))
    return std::nullopt;
  return alert{id, *m, *c, t};
}

protocol::notification alert_notification(const protocol::alert_details& fired) {
  protocol::notification n;
  n.category = protocol::notification_category::alert;
  n.level = protocol::notification_level::warning;
  std::ostringstream text;
  text << "alert " << fired.alert_id << ": " << protocol::to_string(fired.metric) << ' '
       << protocol::to_string(fired.condition) << ' ' << fired.threshold << " (now " << fired.value
       << ")";
  n.message = text.str();
  n.alert = fired;
  return n;
}

alert_book::set_result alert_book::set(alert a) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const entry& e) { return e.spec.id == a.id; });
  if (it != entries_.end()) {
    *it = entry{std::move(a)};
    return set_result::replaced;
  }
  if (entries_.size() >= max_)
    return set_result::full;
  entries_.push_back(entry{std::move(a)});
  return set_result::added;
}

bool alert_book::remove(const std::string& id) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const entry& e) { return e.spec.id == id; });
  if (it == entries_.end())
    return false;
  entries_.erase(it);
  return true;
}

std::vector<protocol::alert_details> alert_book::observe(const protocol::market_snapshot& values) {
  std::vector<protocol::alert_details> fired;
  for (auto& e : entries_) {
    auto value = value_of(e.spec.metric, values);
    bool now = holds(e.spec.condition, value, e.spec.threshold);
    if (now && !e.holding)
      fired.push_back({e.spec.id, e.spec.metric, e.spec.condition, value, e.spec.threshold});
    e.holding = now;
  }
  return fired;
}

} // namespace rtd
