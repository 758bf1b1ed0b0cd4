// Every family of a filled-in node follows the Prometheus naming conventions: a prefix, _total
// on counters and only on them, base units, valid names, and help text.
#include "tests/metrics/sample_node.hpp"

#include <prometheus/check_names.h>

#include <doctest/doctest.h>

#include <set>

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Name parts of units that are not base units, or spelt otherwise than Prometheus spells them.
constexpr std::string_view non_base_units[] = {
    "_ms",     "_millis", "milliseconds", "microseconds", "_us_", "nanoseconds", "_ns",  "_sec_",
    "minutes", "hours",   "_kb",          "kilobytes",    "_mb",  "megabytes",   "bits", "percent"};

} // namespace

TEST_CASE("every family: rtd_ or process_, _total exactly on counters, base units, valid names") {
  rtd::metrics::node_metrics node{2};
  rtd::test::fill_sample(node);
  auto families = node.collect();
  CHECK(families.size() == 26);
  std::set<std::string> names;
  for (const auto& family : families) {
    const auto& name = family.name;
    CAPTURE(name);
    CHECK(names.insert(name).second);
    CHECK(prometheus::CheckMetricName(name));
    CHECK((starts_with(name, "rtd_") || starts_with(name, "process_")));
    CHECK((family.type == prometheus::MetricType::Counter) == ends_with(name, "_total"));
    CHECK(family.type != prometheus::MetricType::Untyped);
    CHECK_FALSE(family.help.empty());
    CHECK_FALSE(family.metric.empty());
    for (auto unit : non_base_units)
      CHECK(name.find(unit) == std::string::npos);
    // Our histograms are all of durations, so they are in seconds.
    if (family.type == prometheus::MetricType::Histogram)
      CHECK(ends_with(name, "_seconds"));
    for (const auto& m : family.metric)
      for (const auto& label : m.label)
        CHECK(prometheus::CheckLabelName(label.name));
  }
  // Time and size figures say their unit last (before _total).
  for (auto name : {"rtd_sent_bytes_total", "rtd_cache_size_bytes", "process_cpu_seconds_total",
                    "process_resident_memory_bytes", "rtd_publish_latency_seconds",
                    "rtd_calculation_duration_seconds"})
    CHECK(names.count(name) == 1);
}
