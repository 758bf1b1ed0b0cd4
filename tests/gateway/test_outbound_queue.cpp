#include "gateway/outbound_queue.hpp"

#include <doctest/doctest.h>

using rtd::make_frame;
using rtd::outbound_queue;

TEST_CASE("outbound queue is bounded in frames") {
  outbound_queue q{2, 1000};
  CHECK(q.push(make_frame("a")));
  CHECK(q.push(make_frame("b")));
  CHECK_FALSE(q.push(make_frame("c")));
  CHECK(q.frames() == 2);
}

TEST_CASE("outbound queue is bounded in bytes") {
  outbound_queue q{100, 10};
  CHECK(q.push(make_frame("12345")));
  CHECK(q.push(make_frame("12345")));
  CHECK_FALSE(q.push(make_frame("1")));
  CHECK(q.bytes() == 10);
}

TEST_CASE("taken frames stay counted until released, in order") {
  outbound_queue q{3, 1000};
  q.push(make_frame("a"));
  q.push(make_frame("bb"));
  std::vector<rtd::frame> batch;
  q.take(batch);
  REQUIRE(batch.size() == 2);
  CHECK(*batch[0] == "a");
  CHECK(*batch[1] == "bb");
  CHECK(q.empty());
  CHECK(q.frames() == 2);
  CHECK(q.push(make_frame("c")));
  CHECK_FALSE(q.push(make_frame("d"))); // two still in flight
  q.release(2, 3);
  CHECK(q.frames() == 1);
  CHECK(q.bytes() == 1);
  CHECK(q.push(make_frame("d")));
}

TEST_CASE("clear drops queued frames only") {
  outbound_queue q{10, 1000};
  q.push(make_frame("a"));
  std::vector<rtd::frame> batch;
  q.take(batch);
  q.push(make_frame("bb"));
  q.clear();
  CHECK(q.empty());
  CHECK(q.frames() == 1);
  CHECK(q.bytes() == 1);
}
