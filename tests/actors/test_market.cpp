// The market model's ranges and reproducibility; the simulator's ticks in virtual time.
#include "actors/channel.hpp"
#include "actors/market_simulator.hpp"
#include "actors/session.hpp"
#include "tests/actors/fixture.hpp"

#include <cmath>

using namespace rtd;
using protocol::market_indicator;

TEST_CASE("market model stays within its ranges, to six decimal places, over a long walk") {
  market_model model{42};
  for (int i = 0; i < 200000; ++i) {
    model.step();
    const auto& m = model.current();
    for (std::size_t k = 0; k < protocol::market_indicator_count; ++k) {
      auto indicator = static_cast<market_indicator>(k);
      const auto& d = market_model::dynamics_of(indicator);
      REQUIRE(std::isfinite(m[indicator]));
      REQUIRE(m[indicator] >= d.low);
      REQUIRE(m[indicator] <= d.high);
      REQUIRE(std::round(m[indicator] * 1e6) / 1e6 == m[indicator]); // six decimal places
    }
    REQUIRE(m[market_indicator::tech_index] > 0.0);
  }
}

TEST_CASE("market model reverts towards its means") {
  market_model model{7};
  std::array<double, protocol::market_indicator_count> sums{};
  const int steps = 100000;
  for (int i = 0; i < steps; ++i) {
    model.step();
    for (std::size_t k = 0; k < sums.size(); ++k)
      sums[k] += model.current().values[k];
  }
  for (std::size_t k = 0; k < sums.size(); ++k) {
    const auto& d = market_model::dynamics_of(static_cast<market_indicator>(k));
    CHECK(sums[k] / steps == doctest::Approx(d.mean).epsilon(0.1));
  }
}

TEST_CASE("market model moves and is reproducible with a seed") {
  market_model a{123};
  market_model b{123};
  market_model c{124};
  auto start = a.current().values;
  for (int i = 0; i < 10; ++i) {
    a.step();
    b.step();
    c.step();
  }
  CHECK(a.current().values == b.current().values);
  CHECK(a.current().values != c.current().values);
  CHECK(a.current().values != start);
}

namespace {

/// A client subscribed to market_data, and a simulator stepping every 250 ms (virtual time).
struct market_watch : rtd::test::fixture {
  market_watch() {
    for (auto c : protocol::all_channels)
      channels[static_cast<std::size_t>(c)] =
          sys.spawn(channel, rtd::test::memory_channel(c, "e", 8));
    auto context = std::make_shared<session_context>();
    context->channels = channels;
    context->node = "n";
    client = sys.spawn(session, std::shared_ptr<const session_context>(context), sink,
                       auth::verification{auth::rejection{"no token"}});
    run();
    caf::anon_send(client,
                   protocol::client_message{
                       {}, protocol::subscribe_request{protocol::channel::market_data, {}, {}}});
    run();
    market_simulator_config config;
    config.interval = std::chrono::milliseconds{250};
    config.seed = 99;
    sim = sys.spawn(market_simulator, config, channel_of(channels, protocol::channel::market_data));
    run();
  }
  ~market_watch() {
    kill(sim);
    kill(client);
    for (auto& c : channels)
      kill(c);
  }
  channel_set channels;
  std::shared_ptr<rtd::test::recording_sink> sink = std::make_shared<rtd::test::recording_sink>();
  session_actor client;
  market_simulator_actor sim;
};

} // namespace

TEST_CASE_FIXTURE(market_watch, "simulator publishes at once and then once per interval") {
  auto frames = sink->take();
  REQUIRE(frames.size() == 2); // subscribed, initial values
  CHECK(rtd::test::u64(frames[1], "seq") == 1);

  advance(std::chrono::milliseconds{249});
  CHECK(sink->pending() == 0);
  advance(std::chrono::milliseconds{1});
  frames = sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(rtd::test::str(frames[0], "type") == "market_update");
  CHECK(rtd::test::u64(frames[0], "seq") == 2);
  for (const char* field :
       {"discount_rate", "inflation_rate", "market_growth", "tech_index", "ai_adoption_rate"})
    CHECK(frames[0]["data"][field].IsNumber());

  for (int i = 0; i < 5; ++i)
    advance(std::chrono::milliseconds{250});
  frames = sink->take();
  REQUIRE(frames.size() == 5);
  CHECK(rtd::test::u64(frames[4], "seq") == 7);

  auto now = ask<protocol::market_snapshot>(sim, caf::get_atom::value);
  CHECK(now[market_indicator::discount_rate] ==
        doctest::Approx(frames[4]["data"]["discount_rate"].GetDouble()));
}

TEST_CASE_FIXTURE(market_watch, "simulator keeps its schedule when a step runs late") {
  REQUIRE(sink->take().size() == 2);       // subscribed, initial values at 0 ms
  advance(std::chrono::milliseconds{260}); // the step due at 250 runs at 260
  REQUIRE(sink->take().size() == 1);
  advance(std::chrono::milliseconds{240}); // the next is due at 500, not 510
  REQUIRE(sink->take().size() == 1);
  // A stall longer than an interval: one step when it ends, then the schedule starts afresh.
  advance(std::chrono::milliseconds{800}); // 1300: the step due at 750
  REQUIRE(sink->take().size() == 1);
  advance(std::chrono::milliseconds{249});
  CHECK(sink->pending() == 0);
  advance(std::chrono::milliseconds{1}); // 1550
  CHECK(sink->take().size() == 1);
}
