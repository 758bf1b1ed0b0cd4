// The calculation service's recorded market series: bounded, newest last, stored steps added in
// front without duplicates.
#include "actors/market_series.hpp"

#include <doctest/doctest.h>

using namespace rtd;
using protocol::market_indicator;

namespace {

market_step step(std::uint64_t seq) {
  market_step s;
  s.seq = seq;
  s.values[market_indicator::tech_index] = static_cast<double>(seq) * 10;
  return s;
}

std::vector<market_step> steps(std::uint64_t first, std::uint64_t last) {
  std::vector<market_step> out;
  for (auto seq = first; seq <= last; ++seq)
    out.push_back(step(seq));
  return out;
}

} // namespace

TEST_CASE("the series keeps the newest steps up to its capacity") {
  market_series s(3);
  CHECK(s.empty());
  for (std::uint64_t seq = 1; seq <= 5; ++seq)
    s.append(step(seq));
  CHECK(s.size() == 3);
  CHECK(s.capacity() == 3);
  CHECK(s.latest().seq == 5);
  CHECK(s.last(market_indicator::tech_index, 3) == std::vector<double>{30, 40, 50});
  CHECK(s.last(market_indicator::tech_index, 2) == std::vector<double>{40, 50});
  CHECK(s.last(market_indicator::tech_index, 9) == std::vector<double>{30, 40, 50});
  CHECK(s.last(market_indicator::discount_rate, 1) == std::vector<double>{0});
}

TEST_CASE("stored steps go in front of the recorded ones, newest first while there is room") {
  market_series s(5);
  s.append(step(8));
  s.append(step(9));
  s.prepend(steps(3, 9)); // 8 and 9 are held already
  CHECK(s.size() == 5);
  CHECK(s.last(market_indicator::tech_index, 5) == std::vector<double>{50, 60, 70, 80, 90});
  s.prepend(steps(1, 2)); // full: nothing more
  CHECK(s.last(market_indicator::tech_index, 5).front() == 50);

  market_series fresh(10);
  fresh.prepend(steps(1, 4));
  CHECK(fresh.size() == 4);
  CHECK(fresh.latest().seq == 4);
  fresh.append(step(5));
  CHECK(fresh.last(market_indicator::tech_index, 10) == std::vector<double>{10, 20, 30, 40, 50});
}

TEST_CASE("a capacity of 0 is one step") {
  market_series s(0);
  s.append(step(1));
  s.append(step(2));
  CHECK(s.size() == 1);
  CHECK(s.latest().seq == 2);
}
