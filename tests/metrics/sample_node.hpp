// Shared by the metrics tests and print_sample: a node with every family filled in, and
// look-ups into collected families.
#pragma once

#include "metrics/node_metrics.hpp"

#include <string_view>
#include <vector>

namespace rtd::test {

/// Registers a source for every family of metrics::sources and records something in every
/// cold metric and in each lane (which must be called from one thread, the writers' rule).
void fill_sample(metrics::node_metrics& node);

/// The family named `name`; throws std::out_of_range when there is none.
const prometheus::MetricFamily& family_of(const std::vector<prometheus::MetricFamily>& families,
                                          std::string_view name);

/// The sample of `family` with exactly `labels`; throws std::out_of_range when there is none.
const prometheus::ClientMetric& sample_of(const prometheus::MetricFamily& family,
                                          const prometheus::Labels& labels = {});

} // namespace rtd::test
