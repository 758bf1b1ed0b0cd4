// The I/O lanes' hot-path figures as Prometheus families: summed over the lanes each time the
// node is scraped, so no Prometheus object is touched on the hot path.
#pragma once

#include "metrics/lane_metrics.hpp"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <cstddef>
#include <vector>

namespace rtd::metrics {

class lane_collector : public prometheus::Collectable {
public:
  explicit lane_collector(std::size_t lanes);

  /// Lane `index` (< size()); throws std::out_of_range past the last.
  lane_metrics& lane(std::size_t index) { return lanes_.at(index); }
  std::size_t size() const { return lanes_.size(); }

  /// The sum over every lane so far.
  lane_totals totals() const;

  /// rtd_messages_received_total, rtd_messages_sent_total, rtd_sent_bytes_total,
  /// rtd_deliveries_total, rtd_rate_limited_messages_total, rtd_publish_latency_seconds.
  std::vector<prometheus::MetricFamily> Collect() const override;

private:
  std::vector<lane_metrics> lanes_; ///< never resized: lanes hold references into it
};

} // namespace rtd::metrics
