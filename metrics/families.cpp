#include "metrics/families.hpp"

#include <limits>
#include <stdexcept>

namespace rtd::metrics {

prometheus::ClientMetric value_metric(prometheus::MetricType type, double value,
                                      const prometheus::Labels& labels) {
  prometheus::ClientMetric metric;
  for (const auto& [name, label_value] : labels)
    metric.label.push_back({name, label_value});
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  return metric;
}

prometheus::MetricFamily single_family(std::string name, std::string help,
                                       prometheus::MetricType type, double value) {
  return {std::move(name), std::move(help), type, {value_metric(type, value)}};
}

prometheus::ClientMetric histogram_metric(const std::vector<double>& bounds,
                                          const std::vector<std::uint64_t>& counts, double sum) {
  if (counts.size() != bounds.size() + 1)
    throw std::invalid_argument{"a histogram needs one count per bound and one for +Inf"};
  prometheus::ClientMetric metric;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    auto bound = i < bounds.size() ? bounds[i] : std::numeric_limits<double>::infinity();
    metric.histogram.bucket.push_back({cumulative, bound});
  }
  metric.histogram.sample_count = cumulative;
  metric.histogram.sample_sum = sum;
  return metric;
}

} // namespace rtd::metrics
