// The node's cold-path counters and histograms by label, sources read at scrape time, and the
// text that serialize() gives.
#include "tests/metrics/sample_node.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using namespace rtd;
using namespace rtd::metrics;
using rtd::test::family_of;
using rtd::test::sample_of;
using namespace std::chrono_literals;

namespace {

double counter_value(const node_metrics& node, std::string_view name,
                     const prometheus::Labels& labels = {}) {
  return sample_of(family_of(node.collect(), name), labels).counter.value;
}

} // namespace

TEST_CASE("connections: accepted, refused by reason, closed by code with unknown codes as other") {
  node_metrics node{1};
  node.connection_accepted();
  node.connection_accepted();
  node.connection_refused(refusal_reason::shutting_down);
  node.connection_closed(1008);
  node.connection_closed(1013);
  node.connection_closed(1013);
  node.connection_closed(4001);
  node.connection_closed(0);
  CHECK(counter_value(node, "rtd_connections_total") == 2);
  CHECK(counter_value(node, "rtd_connections_refused_total", {{"reason", "shutting_down"}}) == 1);
  CHECK(counter_value(node, "rtd_connections_refused_total", {{"reason", "connection_limit"}}) ==
        0);
  CHECK(counter_value(node, "rtd_connections_refused_total", {{"reason", "unauthorized"}}) == 0);
  CHECK(counter_value(node, "rtd_connections_closed_total", {{"code", "1008"}}) == 1);
  CHECK(counter_value(node, "rtd_connections_closed_total", {{"code", "1013"}}) == 2);
  CHECK(counter_value(node, "rtd_connections_closed_total", {{"code", "1009"}}) == 0);
  CHECK(counter_value(node, "rtd_connections_closed_total", {{"code", "other"}}) == 2);
  // Every labelled code and "other", known from the start.
  CHECK(family_of(node.collect(), "rtd_connections_closed_total").metric.size() ==
        labelled_close_codes.size() + 1);
}

TEST_CASE("publications per channel, calculations by type and status, cache counters") {
  node_metrics node{1};
  node.published(protocol::channel::market_data);
  node.published(protocol::channel::market_data);
  node.published(protocol::channel::system);
  node.calculation_finished(protocol::calculation_type::irr, calculation_outcome::failed);
  node.calculation_finished(protocol::calculation_type::monte_carlo,
                            calculation_outcome::cancelled);
  node.cache_hit();
  node.cache_miss();
  node.cache_miss();
  node.cache_eviction();
  CHECK(counter_value(node, "rtd_publications_total", {{"channel", "market_data"}}) == 2);
  CHECK(counter_value(node, "rtd_publications_total", {{"channel", "system"}}) == 1);
  CHECK(counter_value(node, "rtd_publications_total", {{"channel", "notifications"}}) == 0);
  CHECK(counter_value(node, "rtd_calculations_total", {{"type", "irr"}, {"status", "failed"}}) ==
        1);
  CHECK(counter_value(node, "rtd_calculations_total",
                      {{"type", "monte_carlo"}, {"status", "cancelled"}}) == 1);
  CHECK(counter_value(node, "rtd_calculations_total", {{"type", "npv"}, {"status", "completed"}}) ==
        0);
  CHECK(family_of(node.collect(), "rtd_calculations_total").metric.size() ==
        protocol::all_calculation_types.size() * calculation_outcome_count);
  CHECK(counter_value(node, "rtd_cache_hits_total") == 1);
  CHECK(counter_value(node, "rtd_cache_misses_total") == 2);
  CHECK(counter_value(node, "rtd_cache_evictions_total") == 1);
}

TEST_CASE("calculation durations: per type, in seconds, on the documented buckets") {
  node_metrics node{1};
  node.observe_calculation_duration(protocol::calculation_type::npv, 3ms);
  node.observe_calculation_duration(protocol::calculation_type::npv, 2min);
  auto families = node.collect();
  const auto& h =
      sample_of(family_of(families, "rtd_calculation_duration_seconds"), {{"type", "npv"}})
          .histogram;
  REQUIRE(h.bucket.size() == node_metrics::calculation_buckets.size() + 1);
  CHECK(h.bucket[1].upper_bound == 0.0025);
  CHECK(h.bucket[1].cumulative_count == 0);
  CHECK(h.bucket[2].upper_bound == 0.005);
  CHECK(h.bucket[2].cumulative_count == 1);
  CHECK(h.bucket[h.bucket.size() - 2].cumulative_count == 1); // 60 s
  CHECK(h.bucket.back().cumulative_count == 2);
  CHECK(h.sample_count == 2);
  CHECK(h.sample_sum == doctest::Approx(120.003));
}

TEST_CASE("cold counters take increments from many threads at once") {
  node_metrics node{1};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        node.connection_accepted();
        node.published(protocol::channel::notifications);
      }
    });
  for (auto& t : threads)
    t.join();
  CHECK(counter_value(node, "rtd_connections_total") == 40'000);
  CHECK(counter_value(node, "rtd_publications_total", {{"channel", "notifications"}}) == 40'000);
}

TEST_CASE("a source is read at every scrape, not when it was registered") {
  node_metrics node{1};
  auto open = std::make_shared<std::atomic<int>>(2);
  node.add_gauge_source(sources::connections_active, {}, [open] { return open->load(); });
  auto gauge = [&] {
    return sample_of(family_of(node.collect(), "rtd_connections_active")).gauge.value;
  };
  CHECK(gauge() == 2);
  *open = 7;
  CHECK(gauge() == 7);
}

TEST_CASE("serialize() writes the text format with labels, histogram series and process figures") {
  node_metrics node{2};
  test::fill_sample(node);
  auto text = node.serialize();
  auto has = [&](std::string_view line) { return text.find(line) != std::string::npos; };
  CHECK(has("# TYPE rtd_connections_refused_total counter\n"));
  CHECK(has("rtd_connections_refused_total{reason=\"connection_limit\"} 1\n"));
  CHECK(has("rtd_connections_closed_total{code=\"1008\"} 1\n"));
  CHECK(has("rtd_connections_closed_total{code=\"other\"} 1\n"));
  CHECK(has("rtd_subscriptions{channel=\"market_data\"} 1\n"));
  CHECK(has("rtd_subscriptions{channel=\"system\"} 4\n"));
  CHECK(has("rtd_messages_received_total 4\n"));
  CHECK(has("rtd_sent_bytes_total 600\n"));
  CHECK(has("# TYPE rtd_publish_latency_seconds histogram\n"));
  CHECK(has("rtd_publish_latency_seconds_bucket{le=\"+Inf\"} 6\n"));
  CHECK(has("rtd_publish_latency_seconds_count 6\n"));
  CHECK(has("rtd_calculation_duration_seconds_count{type=\"monte_carlo\"} 1\n"));
  CHECK(has("# TYPE process_cpu_seconds_total counter\n"));
  CHECK(has("# TYPE process_resident_memory_bytes gauge\n"));
  CHECK(content_type == "text/plain; version=0.0.4; charset=utf-8");
  // The same figures as the text, for system_status.
  auto traffic = node.traffic();
  CHECK(traffic.received == 4);
  CHECK(traffic.sent_bytes == 600);
  CHECK(traffic.latency.back() == 2);
}
