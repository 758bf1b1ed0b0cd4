#include "metrics/source_collector.hpp"

#include "metrics/families.hpp"

#include <prometheus/check_names.h>

#include <stdexcept>

namespace rtd::metrics {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void check_name(prometheus::MetricType type, const std::string& name) {
  if (name.rfind("rtd_", 0) != 0 || !prometheus::CheckMetricName(name))
    throw std::invalid_argument{"metric name " + name + ": not a valid name starting rtd_"};
  if ((type == prometheus::MetricType::Counter) != ends_with(name, "_total"))
    throw std::invalid_argument{"metric name " + name +
                                ": counters, and only counters, end in _total"};
}

} // namespace

void source_collector::add(prometheus::MetricType type, const source_family& family,
                           prometheus::Labels labels, source_reader read) {
  std::string name{family.name};
  check_name(type, name);
  if (!read)
    throw std::invalid_argument{"metric " + name + ": no reader"};
  for (const auto& label : labels)
    if (!prometheus::CheckLabelName(label.first))
      throw std::invalid_argument{"metric " + name + ": invalid label name " + label.first};
  std::lock_guard<std::mutex> lock{mutex_};
  auto [it, added] = families_.try_emplace(name, family_entry{type, std::string{family.help}, {}});
  auto& entry = it->second;
  if (!added && (entry.type != type || entry.help != family.help))
    throw std::invalid_argument{"metric " + name + " was added with another type or help"};
  if (!entry.series.emplace(std::move(labels), std::move(read)).second)
    throw std::invalid_argument{"metric " + name + ": these labels were added before"};
}

std::vector<prometheus::MetricFamily> source_collector::Collect() const {
  std::vector<prometheus::MetricFamily> out;
  std::lock_guard<std::mutex> lock{mutex_};
  for (const auto& [name, entry] : families_) {
    prometheus::MetricFamily family{name, entry.help, entry.type, {}};
    for (const auto& [labels, read] : entry.series)
      family.metric.push_back(value_metric(entry.type, read(), labels));
    out.push_back(std::move(family));
  }
  return out;
}

} // namespace rtd::metrics
