#include "metrics/lane_collector.hpp"

#include "metrics/families.hpp"

namespace rtd::metrics {

lane_collector::lane_collector(std::size_t lanes) : lanes_(lanes) {}

lane_totals lane_collector::totals() const {
  lane_totals sum;
  for (const auto& lane : lanes_)
    sum += lane.read();
  return sum;
}

std::vector<prometheus::MetricFamily> lane_collector::Collect() const {
  auto sum = totals();
  auto counter = [](const char* name, const char* help, std::uint64_t value) {
    return single_family(name, help, prometheus::MetricType::Counter, static_cast<double>(value));
  };
  std::vector<double> bounds;
  for (auto ns : latency_bounds_ns)
    bounds.push_back(static_cast<double>(ns) / 1e9);
  prometheus::MetricFamily latency{
      "rtd_publish_latency_seconds",
      "Time from a publication to its frame being handed to a client connection, per connection",
      prometheus::MetricType::Histogram,
      {histogram_metric(bounds, {sum.latency.begin(), sum.latency.end()},
                        static_cast<double>(sum.latency_sum_ns) / 1e9)}};
  return {
      counter("rtd_messages_received_total", "WebSocket frames received from clients",
              sum.received),
      counter("rtd_messages_sent_total", "WebSocket frames written to clients", sum.sent),
      counter("rtd_sent_bytes_total", "Payload bytes of the frames written to clients",
              sum.sent_bytes),
      counter("rtd_deliveries_total",
              "Publication frames handed to client connections (one per subscriber)",
              sum.delivered),
      counter("rtd_rate_limited_messages_total",
              "Client frames dropped because their connection was over the rate limit",
              sum.rate_limited),
      std::move(latency),
  };
}

} // namespace rtd::metrics
