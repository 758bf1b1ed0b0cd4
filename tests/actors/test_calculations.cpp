// The calculation service and its jobs, driven through real sessions on the test coordinator:
// the status sequence, cancel, cancel on disconnect, the cache, the limits, failures and live
// recalculation on a market step.
#include "tests/actors/calc_fixture.hpp"

#include <cmath>

using namespace rtd;
using namespace rtd::test;

TEST_CASE_FIXTURE(calc_fixture, "npv goes started then completed with the right value") {
  auto c = connect();
  send(c, npv_request("a"));
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  const auto& done = frames[1];
  CHECK(str(done, "calculation_id") == "a");
  CHECK_FALSE(done.HasMember("seq")); // a direct update, not a publication
  CHECK_FALSE(done["cached"].GetBool());
  CHECK(done["result"]["npv"].GetDouble() == doctest::Approx(-4733.283245679981));
  CHECK(stats().completed == 1);
}

TEST_CASE_FIXTURE(calc_fixture, "Monte Carlo reports rising progress and one terminal update") {
  auto c = connect();
  send(c, monte_carlo_request("mc", 200000));
  run();
  auto frames = c.sink->take();
  auto s = statuses(frames);
  REQUIRE(s.size() >= 3);
  CHECK(s.front() == "started");
  CHECK(s.back() == "completed");
  int last = -1;
  for (std::size_t i = 1; i + 1 < frames.size(); ++i) {
    CHECK(s[i] == "processing");
    auto p = frames[i]["progress"].GetInt();
    CHECK(p >= last);
    CHECK(p <= 100);
    CHECK(str(frames[i], "message").find("Processing monte_carlo...") == 0);
    last = p;
  }
  const auto& result = frames.back()["result"];
  CHECK(result["iterations"].GetUint64() == 200000);
  CHECK(result["histogram"]["counts"].Size() == 20);
}

TEST_CASE_FIXTURE(calc_fixture, "cancel mid-run ends the job with cancelled, echoing the id") {
  auto c = connect();
  send(c, monte_carlo_request("mc", 10'000'000));
  std::vector<rapidjson::Document> seen;
  run_until_status(*c.sink, "processing", seen);
  send(c, protocol::cancel_request{"mc"}, protocol::correlation_id{std::string{"stop"}});
  run();
  for (auto& d : c.sink->take())
    seen.push_back(std::move(d));
  auto s = statuses(seen);
  CHECK(s.back() == "cancelled");
  CHECK(std::count(s.begin(), s.end(), "completed") == 0);
  CHECK(str(seen.back(), "id") == "stop");
  CHECK(stats().running == 0);
}

TEST_CASE_FIXTURE(calc_fixture, "a requester's disconnect cancels its jobs") {
  auto watcher = connect();
  send(watcher, protocol::subscribe_request{protocol::channel::calculations, {}, {}});
  run();
  watcher.sink->take();
  auto c = connect();
  send(c, monte_carlo_request("mc", 10'000'000));
  std::vector<rapidjson::Document> seen;
  run_until_status(*c.sink, "processing", seen);
  kill(c.actor);
  auto frames = watcher.sink->take();
  REQUIRE_FALSE(frames.empty());
  CHECK(str(frames.back(), "status") == "cancelled");
  CHECK(u64(frames.back(), "seq") > 0);
  CHECK(stats().running == 0);
}

TEST_CASE_FIXTURE(calc_fixture, "a repeated request is served from the cache") {
  auto c = connect();
  send(c, npv_request("a"));
  run();
  c.sink->take();
  send(c, npv_request("b"));
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(frames[1]["cached"].GetBool());
  CHECK(str(frames[1], "calculation_id") == "b");
  CHECK(frames[1]["result"]["npv"].GetDouble() == doctest::Approx(-4733.283245679981));
  auto s = stats();
  CHECK(s.cache_hits == 1);
  CHECK(s.cache_misses == 1);
  CHECK(s.cache_entries == 1);
  // The same, as /metrics shows it.
  auto text = counts->serialize();
  CHECK(text.find("rtd_cache_hits_total 1") != std::string::npos);
  CHECK(text.find("rtd_cache_misses_total 1") != std::string::npos);
  CHECK(text.find("rtd_cache_entries 1") != std::string::npos);
  CHECK(text.find(R"(rtd_calculations_total{status="completed",type="npv"} 2)") !=
        std::string::npos);
  CHECK(text.find(R"(rtd_calculation_duration_seconds_count{type="npv"} 1)") != std::string::npos);
}

TEST_CASE_FIXTURE(calc_fixture, "duplicate ids and too many jobs are refused without a job") {
  auto c = connect();
  for (int i = 0; i < 4; ++i)
    send(c, monte_carlo_request("mc" + std::to_string(i), 10'000'000));
  send(c, monte_carlo_request("mc0", 1000), protocol::correlation_id{std::int64_t{1}});
  send(c, monte_carlo_request("mc9", 1000), protocol::correlation_id{std::int64_t{2}});
  std::vector<rapidjson::Document> errors;
  for (int i = 0; i < 200 && errors.size() < 2; ++i) {
    sched.try_run_once();
    for (auto& d : c.sink->take())
      if (str(d, "type") == "error")
        errors.push_back(std::move(d));
  }
  REQUIRE(errors.size() == 2);
  CHECK(str(errors[0], "code") == "duplicate_calculation_id");
  CHECK(str(errors[0], "calculation_id") == "mc0");
  CHECK(errors[0]["id"].GetInt64() == 1);
  CHECK(str(errors[1], "code") == "too_many_calculations");
  CHECK(stats().running == 4);
  for (int i = 0; i < 4; ++i)
    send(c, protocol::cancel_request{"mc" + std::to_string(i)});
  run();
  CHECK(stats().running == 0);
  send(c, npv_request("mc0")); // free again once its final update went out
  run();
  CHECK(statuses(c.sink->take()).back() == "completed");
}

TEST_CASE_FIXTURE(calc_fixture, "invalid parameters and unknown cancels get errors") {
  auto c = connect();
  auto bad = npv_request("bad", {false, -1.5});
  send(c, bad, protocol::correlation_id{std::string{"r"}});
  send(c, protocol::cancel_request{"nothing"});
  run();
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK(str(frames[0], "code") == "invalid_parameters");
  CHECK(str(frames[0], "message").find("discount_rate") != std::string::npos);
  CHECK(str(frames[0], "calculation_id") == "bad");
  CHECK(str(frames[1], "code") == "not_found");
  CHECK(stats().running == 0);
}

TEST_CASE_FIXTURE(calc_fixture, "Monte Carlo refused by its kernel fails instead of hanging") {
  auto c = connect();
  auto r = monte_carlo_request("huge", 1000);
  r.parameters.cash_flows = {1e308, 1e308};
  r.parameters.volatility = protocol::rate_input{false, 1.0};
  send(c, r);
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "failed"});
  CHECK(str(frames[1]["error"], "code") == "invalid_parameters");
}

TEST_CASE_FIXTURE(calc_fixture, "a kernel's refusal ends the job with failed") {
  auto c = connect();
  protocol::calculate_request r;
  r.type = protocol::calculation_type::roi;
  r.calculation_id = "loss";
  r.parameters.cash_flows = {-100};
  r.parameters.initial_investment = 100;
  send(c, r);
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "failed"});
  CHECK(str(frames[1]["error"], "code") == "invalid_parameters");
  CHECK(stats().failed == 1);
}

TEST_CASE_FIXTURE(calc_fixture, "a live calculation re-runs when the market rate moves") {
  auto c = connect();
  market(0.10);
  auto r = npv_request("live", {true, 0});
  r.live = true;
  send(c, r);
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(frames[1]["live"].GetBool());
  CHECK(frames[1]["result"]["npv"].GetDouble() == doctest::Approx(-4733.283245679981));
  market(0.10); // unchanged: no new result
  run();
  CHECK(c.sink->pending() == 0);
  market(0.05);
  run();
  frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"completed"});
  CHECK(frames[0]["result"]["discount_rate"].GetDouble() == doctest::Approx(0.05));
  auto expected = -300000 + 100000 / 1.05 + 120000 / std::pow(1.05, 2) + 140000 / std::pow(1.05, 3);
  CHECK(frames[0]["result"]["npv"].GetDouble() == doctest::Approx(expected));
  CHECK(stats().running == 1);
  send(c, protocol::cancel_request{"live"});
  run();
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"cancelled"});
  CHECK(stats().running == 0);
}

TEST_CASE_FIXTURE(calc_fixture, "a live result follows the market_update it was computed from") {
  auto c = connect();
  send(c, protocol::subscribe_request{protocol::channel::market_data, {}, {}});
  market(0.10);
  run();
  c.sink->take();
  auto r = npv_request("live", {true, 0});
  r.live = true;
  send(c, r);
  run();
  auto first = c.sink->take();
  REQUIRE(statuses(first) == std::vector<std::string>{"started", "completed"});
  CHECK(u64(first[1], "market_seq") == 1);
  for (int step = 2; step <= 4; ++step) {
    market(0.10 + 0.01 * step);
    run();
    auto frames = c.sink->take();
    REQUIRE(frames.size() == 2);
    CHECK(str(frames[0], "type") == "market_update");
    CHECK(str(frames[1], "status") == "completed");
    CHECK(u64(frames[1], "market_seq") == u64(frames[0], "seq"));
    CHECK(frames[1]["result"]["discount_rate"].GetDouble() ==
          doctest::Approx(frames[0]["data"]["discount_rate"].GetDouble()));
  }
  send(c, protocol::cancel_request{"live"});
  run();
}

TEST_CASE_FIXTURE(calc_fixture, "a subscribed requester gets each update once, as a publication") {
  auto c = connect();
  send(c, protocol::subscribe_request{protocol::channel::calculations, {}, {}});
  run();
  c.sink->take();
  send(c, npv_request("a"));
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(u64(frames[0], "seq") == 1);
  CHECK(u64(frames[1], "seq") == 2);
}

TEST_CASE_FIXTURE(calc_fixture, "updates nobody subscribes to are not numbered") {
  auto c = connect();
  send(c, npv_request("a"));
  run();
  c.sink->take();
  auto watcher = subscriber(protocol::channel::calculations);
  send(c, npv_request("b", {false, 0.2}));
  run();
  auto frames = watcher.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(u64(frames[0], "seq") == 1); // a's updates were never published: no gap
  kill(watcher.actor);
}
