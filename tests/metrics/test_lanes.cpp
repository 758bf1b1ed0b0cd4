// Per-lane hot-path figures: bucket edges, and lanes written by their own threads folding into
// exact totals while scrapes run alongside.
#include "metrics/lane_collector.hpp"
#include "tests/metrics/sample_node.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <thread>

using namespace rtd::metrics;
using namespace std::chrono_literals;

TEST_CASE("a latency on a bucket's bound counts in that bucket, one nanosecond more in the next") {
  lane_histogram h;
  h.observe(50us);
  h.observe(50us + 1ns, 2);
  h.observe(5s);
  h.observe(5s + 1ns);
  h.observe(-3ms); // counted as zero
  auto counts = h.counts();
  CHECK(counts[0] == 2);
  CHECK(counts[1] == 2);
  CHECK(counts[latency_bounds_ns.size() - 1] == 1);
  CHECK(counts[latency_bounds_ns.size()] == 1); // +Inf
  std::uint64_t total = 0;
  for (auto c : counts)
    total += c;
  CHECK(total == 6);
  CHECK(h.sum_ns() == 50'000 + 2 * 50'001 + 5'000'000'000 + 5'000'000'001);
}

TEST_CASE("lanes written from their own threads fold exactly; scrapes meanwhile never go down") {
  constexpr std::size_t lanes = 4;
  constexpr std::uint64_t rounds = 200'000;
  lane_collector collector{lanes};
  std::atomic<std::size_t> writing{lanes};
  bool monotonic = true;
  std::size_t scrapes = 0;
  std::thread scraper{[&] {
    lane_totals before;
    // Reads until every writer is done, then once more.
    for (bool last = false; !last; ++scrapes) {
      last = writing.load() == 0;
      auto now = collector.totals();
      std::uint64_t in_buckets = 0;
      for (auto c : now.latency)
        in_buckets += c;
      monotonic = monotonic && now.received >= before.received && now.sent >= before.sent &&
                  now.sent_bytes >= before.sent_bytes && now.delivered >= before.delivered &&
                  now.rate_limited >= before.rate_limited && in_buckets <= rounds * lanes;
      before = now;
    }
  }};
  std::vector<std::thread> writers;
  for (std::size_t i = 0; i < lanes; ++i)
    writers.emplace_back([&, i] {
      auto& lane = collector.lane(i);
      for (std::uint64_t r = 0; r < rounds; ++r) {
        lane.received();
        lane.sent(1, 100);
        lane.delivered(2);
        if (r % 10 == 0)
          lane.rate_limited();
        lane.observe_publish_latency(std::chrono::microseconds{100 * (i + 1)});
      }
      --writing;
    });
  for (auto& w : writers)
    w.join();
  scraper.join();
  CHECK(monotonic);
  CHECK(scrapes >= 1);

  auto t = collector.totals();
  CHECK(t.received == lanes * rounds);
  CHECK(t.sent == lanes * rounds);
  CHECK(t.sent_bytes == 100 * lanes * rounds);
  CHECK(t.delivered == 2 * lanes * rounds);
  CHECK(t.rate_limited == lanes * rounds / 10);
  // Lane i observed 100 us * (i + 1): 100 us, 200 us, 300 us, 400 us, in buckets 100 us,
  // 250 us, 500 us and 500 us.
  CHECK(t.latency[1] == rounds);
  CHECK(t.latency[2] == rounds);
  CHECK(t.latency[3] == 2 * rounds);
  CHECK(t.latency_sum_ns == rounds * (100'000 + 200'000 + 300'000 + 400'000));
}

TEST_CASE("the folded latency histogram is cumulative, +Inf equals the count, the sum in seconds") {
  lane_collector collector{2};
  collector.lane(0).observe_publish_latency(40us, 3);
  collector.lane(1).observe_publish_latency(2ms);
  collector.lane(1).observe_publish_latency(9s);
  auto families = collector.Collect();
  const auto& h =
      rtd::test::sample_of(rtd::test::family_of(families, "rtd_publish_latency_seconds")).histogram;
  REQUIRE(h.bucket.size() == latency_bounds_ns.size() + 1);
  CHECK(h.bucket.front().upper_bound == doctest::Approx(50e-6));
  CHECK(h.bucket.front().cumulative_count == 3);
  CHECK(h.bucket[5].upper_bound == doctest::Approx(2.5e-3));
  CHECK(h.bucket[5].cumulative_count == 4);
  CHECK(h.bucket[latency_bounds_ns.size() - 1].upper_bound == 5.0);
  CHECK(h.bucket[latency_bounds_ns.size() - 1].cumulative_count == 4);
  CHECK(std::isinf(h.bucket.back().upper_bound));
  CHECK(h.bucket.back().cumulative_count == 5);
  CHECK(h.sample_count == 5);
  CHECK(h.sample_sum == doctest::Approx(3 * 40e-6 + 2e-3 + 9));
  for (std::size_t i = 1; i < h.bucket.size(); ++i)
    CHECK(h.bucket[i].cumulative_count >= h.bucket[i - 1].cumulative_count);
}

TEST_CASE("a lane past the last is refused") {
  lane_collector collector{2};
  CHECK(collector.size() == 2);
  CHECK_THROWS_AS(collector.lane(2), std::out_of_range);
}
