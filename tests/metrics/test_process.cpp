// Process CPU and memory from /proc text, the command name's parentheses included.
#include "metrics/process_metrics.hpp"
#include "tests/metrics/sample_node.hpp"

#include <doctest/doctest.h>

using namespace rtd::metrics;

TEST_CASE("CPU seconds are utime plus stime over the clock tick, after the last parenthesis") {
  // A command name with a space and a ") (" of its own; utime 250, stime 50.
  std::string_view stat =
      "4242 (rtd) (x y) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0 12345 1000 10\n";
  CHECK(cpu_seconds_from_stat(stat, 100) == doctest::Approx(3.0));
  CHECK(cpu_seconds_from_stat(stat, 1000) == doctest::Approx(0.3));
  CHECK_FALSE(cpu_seconds_from_stat(stat, 0));
  CHECK_FALSE(cpu_seconds_from_stat("4242 rtd S 1 2 3", 100));                  // no parenthesis
  CHECK_FALSE(cpu_seconds_from_stat("4242 (rtd) S 1 4242 4242 0 -1 0 9", 100)); // too short
  CHECK_FALSE(cpu_seconds_from_stat("4242 (rtd) S 1 2 3 4 5 6 7 8 9 10 x y", 100));
}

TEST_CASE("resident bytes come from the VmRSS line, in kB") {
  std::string_view status = "Name:\trtd\nVmPeak:\t  900 kB\nVmRSS:\t   20480 kB\nThreads:\t9\n";
  CHECK(resident_bytes_from_status(status) == doctest::Approx(20480.0 * 1024));
  CHECK(resident_bytes_from_status("VmRSS:\t 1 kB") == doctest::Approx(1024.0));
  CHECK_FALSE(resident_bytes_from_status("Name:\trtd\nThreads:\t9\n"));
  CHECK_FALSE(resident_bytes_from_status("VmRSS:\t kB\n"));
}

TEST_CASE("this process's figures are read from /proc and collected under the standard names") {
  auto cpu = read_cpu_seconds();
  auto rss = read_resident_bytes();
  REQUIRE(cpu);
  REQUIRE(rss);
  CHECK(*cpu >= 0);
  CHECK(*rss > 1024 * 1024); // a test binary holds more than a megabyte
  auto families = process_collector{}.Collect();
  const auto& cpu_family = rtd::test::family_of(families, "process_cpu_seconds_total");
  CHECK(cpu_family.type == prometheus::MetricType::Counter);
  CHECK(rtd::test::sample_of(cpu_family).counter.value >= *cpu);
  const auto& rss_family = rtd::test::family_of(families, "process_resident_memory_bytes");
  CHECK(rss_family.type == prometheus::MetricType::Gauge);
  CHECK(rtd::test::sample_of(rss_family).gauge.value > 0);
}
