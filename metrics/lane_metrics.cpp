#include "metrics/lane_metrics.hpp"

namespace rtd::metrics {

lane_totals& lane_totals::operator+=(const lane_totals& other) {
  received += other.received;
  sent += other.sent;
  sent_bytes += other.sent_bytes;
  delivered += other.delivered;
  rate_limited += other.rate_limited;
  for (std::size_t i = 0; i < latency.size(); ++i)
    latency[i] += other.latency[i];
  latency_sum_ns += other.latency_sum_ns;
  return *this;
}

lane_totals lane_metrics::read() const {
  lane_totals totals;
  totals.received = received_.value();
  totals.sent = sent_.value();
  totals.sent_bytes = sent_bytes_.value();
  totals.delivered = delivered_.value();
  totals.rate_limited = rate_limited_.value();
  totals.latency = latency_.counts();
  totals.latency_sum_ns = latency_.sum_ns();
  return totals;
}

} // namespace rtd::metrics
