// Sources: grouped into one family per name, and every misuse refused when registered rather
// than served as a broken exposition.
#include "tests/metrics/sample_node.hpp"

#include <doctest/doctest.h>

using namespace rtd::metrics;
using rtd::test::family_of;
using rtd::test::sample_of;

TEST_CASE("series of one name make one family, each with its labels") {
  source_collector sources;
  source_family members{"rtd_peers", "Peers by state"};
  sources.add(prometheus::MetricType::Gauge, members, {{"state", "up"}}, [] { return 2; });
  sources.add(prometheus::MetricType::Gauge, members, {{"state", "down"}}, [] { return 1; });
  sources.add(prometheus::MetricType::Counter, {"rtd_peer_losses_total", "Peers lost"}, {},
              [] { return 4; });
  auto families = sources.Collect();
  REQUIRE(families.size() == 2);
  const auto& peers = family_of(families, "rtd_peers");
  CHECK(peers.type == prometheus::MetricType::Gauge);
  CHECK(peers.help == "Peers by state");
  CHECK(sample_of(peers, {{"state", "up"}}).gauge.value == 2);
  CHECK(sample_of(peers, {{"state", "down"}}).gauge.value == 1);
  const auto& losses = family_of(families, "rtd_peer_losses_total");
  CHECK(losses.type == prometheus::MetricType::Counter);
  CHECK(sample_of(losses).counter.value == 4);
}

TEST_CASE("sources that would break the exposition or its conventions are refused") {
  rtd::metrics::node_metrics node{1};
  auto one = [] { return 1.0; };
  auto refused = [&](source_family f, prometheus::Labels labels, bool counter) {
    auto add = [&] {
      if (counter)
        node.add_counter_source(f, labels, one);
      else
        node.add_gauge_source(f, labels, one);
    };
    CHECK_THROWS_AS(add(), std::invalid_argument);
  };
  node.add_gauge_source({"rtd_widgets", "Widgets"}, {{"kind", "a"}}, one);
  refused({"widgets", "no prefix"}, {}, false);
  refused({"rtd_bad-name", "not a metric name"}, {}, false);
  refused({"rtd_widgets_made", "a counter without _total"}, {}, true);
  refused({"rtd_widgets_total", "a gauge with _total"}, {}, false);
  refused({"rtd_connections_total", "a built-in family"}, {}, true);
  refused({"process_resident_memory_bytes", "a built-in family"}, {}, false);
  refused({"rtd_widgets", "Widgets"}, {{"kind", "a"}}, false);       // the same series
  refused({"rtd_widgets", "Other help"}, {{"kind", "b"}}, false);    // help differs
  refused({"rtd_gadgets", "Gadgets"}, {{"__reserved", "x"}}, false); // label name
  CHECK_THROWS_AS(node.add_gauge_source({"rtd_gizmos", "Gizmos"}, {}, nullptr),
                  std::invalid_argument);
  // What was refused left nothing behind.
  auto families = node.collect();
  CHECK_THROWS_AS(family_of(families, "rtd_gadgets"), std::out_of_range);
  CHECK(family_of(families, "rtd_widgets").metric.size() == 1);
}
