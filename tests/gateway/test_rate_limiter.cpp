#include "gateway/rate_limiter.hpp"

#include <doctest/doctest.h>

using rtd::rate_limiter;
using namespace std::chrono_literals;

namespace {
using verdict = rate_limiter::verdict;
} // namespace

TEST_CASE("a burst is allowed, then the rate") {
  rate_limiter limiter{10, 5, 10s};
  auto t = rate_limiter::clock::now();
  for (int i = 0; i < 5; ++i)
    CHECK(limiter.check(t) == verdict::allow);
  CHECK(limiter.check(t) == verdict::drop_and_warn);
  CHECK(limiter.check(t) == verdict::drop);
  CHECK(limiter.check(t + 100ms) == verdict::allow); // one token per 100 ms
  CHECK(limiter.check(t + 100ms) == verdict::drop);
}

TEST_CASE("the client is warned at most once per second") {
  rate_limiter limiter{1, 1, 60s};
  auto t = rate_limiter::clock::now();
  CHECK(limiter.check(t) == verdict::allow);
  CHECK(limiter.check(t) == verdict::drop_and_warn);
  int warnings = 0;
  for (int ms = 1; ms < 3000; ms += 10)
    if (limiter.check(t + std::chrono::milliseconds{ms}) == verdict::drop_and_warn)
      ++warnings;
  CHECK(warnings == 2); // at about 1 s and 2 s
}

TEST_CASE("an excess that goes on closes the connection; a pause forgives it") {
  rate_limiter limiter{1, 1, 10s};
  auto t = rate_limiter::clock::now();
  limiter.check(t);
  // The refill granted once a second may land on the last check: look for the close, not at
  // the last verdict.
  bool closed = false;
  for (int ms = 0; ms <= 10100; ms += 50)
    closed |= limiter.check(t + std::chrono::milliseconds{ms}) == verdict::close;
  CHECK(closed);

  rate_limiter patient{1, 1, 10s};
  patient.check(t);
  for (int ms = 0; ms < 5000; ms += 50)
    patient.check(t + std::chrono::milliseconds{ms});
  // A quiet spell of more than a second, then excess again: a new episode.
  CHECK(patient.check(t + 6500ms) == verdict::allow);
  CHECK(patient.check(t + 6500ms) == verdict::drop_and_warn);
  CHECK(patient.check(t + 12000ms) != verdict::close);
}
