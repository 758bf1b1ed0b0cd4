#include "tests/metrics/sample_node.hpp"

#include <stdexcept>
#include <string>

namespace rtd::test {

void fill_sample(metrics::node_metrics& node) {
  using namespace std::chrono_literals;
  namespace sources = metrics::sources;
  node.add_gauge_source(sources::connections_active, {}, [] { return 3; });
  for (auto c : protocol::all_channels)
    node.add_gauge_source(sources::subscriptions, {{"channel", std::string{to_string(c)}}},
                          [c] { return static_cast<double>(c) + 1; });
  node.add_gauge_source(sources::calculations_running, {}, [] { return 1; });
  node.add_gauge_source(sources::cache_entries, {}, [] { return 12; });
  node.add_gauge_source(sources::cache_size, {}, [] { return 4096; });
  node.add_counter_source(sources::history_writes, {}, [] { return 250; });
  node.add_gauge_source(sources::history_backlog, {}, [] { return 5; });
  node.add_gauge_source(sources::cluster_members, {}, [] { return 3; });
  node.add_gauge_source(sources::cluster_leader, {}, [] { return 1; });

  node.connection_accepted();
  node.connection_refused(metrics::refusal_reason::connection_limit);
  node.connection_closed(1008);
  node.connection_closed(4000);
  node.published(protocol::channel::market_data);
  node.calculation_finished(protocol::calculation_type::npv,
                            metrics::calculation_outcome::completed);
  node.observe_calculation_duration(protocol::calculation_type::monte_carlo, 1.5s);
  node.cache_hit();
  node.cache_miss();
  node.cache_eviction();

  for (std::size_t i = 0; i < node.lane_count(); ++i) {
    auto& lane = node.lane(i);
    lane.received(2);
    lane.sent(3, 300);
    lane.delivered(3);
    lane.rate_limited();
    lane.observe_publish_latency(200us, 2);
    lane.observe_publish_latency(7s);
  }
}

const prometheus::MetricFamily& family_of(const std::vector<prometheus::MetricFamily>& families,
                                          std::string_view name) {
  for (const auto& f : families)
    if (f.name == name)
      return f;
  throw std::out_of_range{"no family " + std::string{name}};
}

const prometheus::ClientMetric& sample_of(const prometheus::MetricFamily& family,
                                          const prometheus::Labels& labels) {
  for (const auto& m : family.metric) {
    prometheus::Labels have;
    for (const auto& l : m.label)
      have.emplace(l.name, l.value);
    if (have == labels)
      return m;
  }
  throw std::out_of_range{"no such sample of " + family.name};
}

} // namespace rtd::test
