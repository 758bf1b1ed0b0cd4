#include "actors/alert_book.hpp"

#include "protocol/result_fields.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rtd {

namespace {

bool holds(protocol::alert_condition c, double value, double threshold) {
  return c == protocol::alert_condition::above ? value > threshold : value < threshold;
}

double measure_of(const protocol::indicator_trend& t, protocol::analytics_measure m) {
  switch (m) {
  case protocol::analytics_measure::zscore:
    return t.zscore;
  case protocol::analytics_measure::volatility:
    return t.volatility;
  case protocol::analytics_measure::trend_strength:
  case protocol::analytics_measure::trend_reversal:
    break;
  }
  return t.trend_strength;
}

} // namespace

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
  if (!m || !c || !std::holds_alternative<protocol::market_indicator>(*m) ||
      !protocol::condition_fits(*m, *c) || used != threshold.size() || !std::isfinite(t))
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
    *it = entry{std::move(a), false, std::nullopt};
    return set_result::replaced;
  }
  if (entries_.size() >= max_)
    return set_result::full;
  entries_.push_back(entry{std::move(a), false, std::nullopt});
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

std::vector<std::string> alert_book::remove_calculation(const std::string& calculation_id) {
  std::vector<std::string> removed;
  auto on_it = [&](const entry& e) {
    auto c = std::get_if<protocol::calculation_metric>(&e.spec.metric);
    return c && c->calculation_id == calculation_id;
  };
  for (const auto& e : entries_)
    if (on_it(e))
      removed.push_back(e.spec.id);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), on_it), entries_.end());
  return removed;
}

template <class Read> std::vector<protocol::alert_details> alert_book::evaluate(Read read) {
  std::vector<protocol::alert_details> fired;
  for (auto& e : entries_) {
    reading r = read(e.spec.metric);
    if (!r.concerned)
      continue;
    const auto& spec = e.spec;
    if (spec.condition == protocol::alert_condition::reversal) {
      if (r.direction == protocol::trend::flat)
        continue;
      if (e.direction && *e.direction != r.direction)
        fired.push_back({spec.id, spec.metric, spec.condition, *r.value, 0.0, r.direction});
      e.direction = r.direction;
      continue;
    }
    bool now = r.value && holds(spec.condition, *r.value, spec.threshold);
    if (now && !e.holding)
      fired.push_back({spec.id, spec.metric, spec.condition, *r.value, spec.threshold});
    e.holding = now;
  }
  return fired;
}

std::vector<protocol::alert_details> alert_book::observe(const protocol::market_snapshot& values) {
  return evaluate([&](const protocol::alert_metric& m) {
    auto indicator = std::get_if<protocol::market_indicator>(&m);
    return indicator ? reading{true, values[*indicator]} : reading{};
  });
}

std::vector<protocol::alert_details> alert_book::observe(const protocol::analytics_update& update) {
  return evaluate([&](const protocol::alert_metric& m) {
    auto a = std::get_if<protocol::analytics_metric>(&m);
    if (!a)
      return reading{};
    const auto& t = update.indicators[static_cast<std::size_t>(a->indicator)];
    return reading{true, measure_of(t, a->measure), t.trend};
  });
}

std::vector<protocol::alert_details> alert_book::observe(const std::string& calculation_id,
                                                         std::string_view result) {
  return evaluate([&](const protocol::alert_metric& m) {
    auto c = std::get_if<protocol::calculation_metric>(&m);
    if (!c || c->calculation_id != calculation_id)
      return reading{};
    return reading{true, protocol::result_number(result, c->field)};
  });
}

} // namespace rtd
