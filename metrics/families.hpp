// Building blocks for the metric families that rtd's own collectors make at scrape time.
#pragma once

#include <prometheus/labels.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rtd::metrics {

/// One sample of a counter or a gauge.
prometheus::ClientMetric value_metric(prometheus::MetricType type, double value,
                                      const prometheus::Labels& labels = {});

/// A family of one unlabelled counter or gauge.
prometheus::MetricFamily single_family(std::string name, std::string help,
                                       prometheus::MetricType type, double value);

/// A histogram sample from counts per bucket (not cumulative; one more than `bounds`, the
/// last being +Inf) and the sum of the samples.
prometheus::ClientMetric histogram_metric(const std::vector<double>& bounds,
                                          const std::vector<std::uint64_t>& counts, double sum);

} // namespace rtd::metrics
