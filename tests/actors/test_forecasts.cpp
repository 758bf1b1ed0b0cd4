// forecast and forecast_npv through the calculation service: fitted on the series it records
// from the market steps, refused when too few points are recorded, live re-runs on each step
// with its market_seq, cached by their inputs, progress while forecast_npv simulates, and
// stored steps added in front of the series.
#include "actors/calculation_task.hpp"
#include "finance/forecast.hpp"
#include "finance/forecast_npv.hpp"
#include "tests/actors/forecast_fixture.hpp"

using namespace rtd;
using namespace rtd::test;
using protocol::market_indicator;

namespace {

const finance::model_spec holt{finance::forecast_method::holt, std::nullopt, std::nullopt};

/// `points` as the kernel computes them from `history` (the values the service should use).
void check_points(const rapidjson::Value& result, const std::vector<double>& history,
                  std::size_t horizon) {
  auto expected = finance::forecast({history, horizon, holt});
  REQUIRE(expected.has_value());
  const auto& points = result["points"];
  REQUIRE(points.Size() == horizon);
  for (rapidjson::SizeType k = 0; k < points.Size(); ++k) {
    const auto& e = expected->points[k];
    CHECK(points[k]["step"].GetUint64() == k + 1);
    CHECK(points[k]["value"].GetDouble() == doctest::Approx(e.value).epsilon(1e-12));
    CHECK(points[k]["lower_95"].GetDouble() == doctest::Approx(e.lower_95).epsilon(1e-12));
    CHECK(points[k]["upper_80"].GetDouble() == doctest::Approx(e.upper_80).epsilon(1e-12));
  }
}

} // namespace

TEST_CASE_FIXTURE(forecast_fixture, "a forecast fits the last recorded points of its indicator") {
  advance_market(40);
  auto c = connect();
  auto r = forecast_request("f", 8);
  r.parameters.window = 25;
  send(c, r);
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  const auto& result = result_of(frames[1]);
  CHECK(str(result, "method") == "holt");
  CHECK(result["parameters"].HasMember("alpha"));
  check_points(result, series_at(market_indicator::tech_index, 16, 40), 8);
  // The intervals widen with the step.
  const auto& points = result["points"];
  for (rapidjson::SizeType k = 1; k < points.Size(); ++k) {
    auto width = [&](rapidjson::SizeType i, const char* lo, const char* hi) {
      return points[i][hi].GetDouble() - points[i][lo].GetDouble();
    };
    CHECK(width(k, "lower_95", "upper_95") > width(k - 1, "lower_95", "upper_95"));
    CHECK(width(k, "lower_80", "upper_80") < width(k, "lower_95", "upper_95"));
  }
}

TEST_CASE_FIXTURE(forecast_fixture, "without a window a forecast takes all it has, up to 500") {
  advance_market(30);
  auto c = connect();
  send(c, forecast_request("f"));
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  check_points(result_of(frames[1]), series_at(market_indicator::tech_index, 1, 30), 5);
}

TEST_CASE_FIXTURE(forecast_fixture, "a forecast of more points than are recorded is refused") {
  advance_market(30);
  auto c = connect();
  auto r = forecast_request("f");
  r.parameters.window = 31;
  send(c, r, protocol::correlation_id{std::string{"w"}});
  run();
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "code") == "invalid_parameters");
  CHECK(str(frames[0], "message") ==
        "parameters.window asks for 31 points of tech_index but 30 are recorded (the server "
        "keeps at most 10000)");
  CHECK(str(frames[0], "id") == "w");
  r.parameters.window = 30; // exactly what there is
  send(c, r);
  run();
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"started", "completed"});
  CHECK(stats().running == 0);
}

TEST_CASE_FIXTURE(forecast_fixture, "too few recorded points for the method are refused") {
  advance_market(9);
  auto c = connect();
  send(c, forecast_request("holt"));
  run();
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "code") == "invalid_parameters");
  CHECK(str(frames[0], "message") ==
        "parameters.window: holt needs at least 10 recorded points of tech_index but 9 are "
        "recorded (the server keeps at most 10000)");
  auto ar1 = forecast_request("ar1");
  ar1.parameters.method = protocol::forecast_method::ar1; // 4 points are enough
  send(c, ar1);
  run();
  frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(str(result_of(frames[1]), "method") == "ar1");
  CHECK(result_of(frames[1])["parameters"].HasMember("phi"));
}

TEST_CASE_FIXTURE(forecast_fixture, "a live forecast re-runs on each market step, with its seq") {
  auto c = connect();
  send(c, protocol::subscribe_request{protocol::channel::market_data, {}, {}});
  advance_market(20);
  c.sink->take();
  auto r = forecast_request("live", 3);
  r.live = true;
  send(c, r);
  run();
  auto first = c.sink->take();
  REQUIRE(statuses(first) == std::vector<std::string>{"started", "completed"});
  CHECK(first[1]["live"].GetBool());
  CHECK(u64(first[1], "market_seq") == 20);
  check_points(result_of(first[1]), series_at(market_indicator::tech_index, 1, 20), 3);
  for (int step = 21; step <= 23; ++step) {
    advance_market(1);
    auto frames = c.sink->take();
    REQUIRE(statuses(frames) == std::vector<std::string>{"market_update", "completed"});
    CHECK(u64(frames[1], "market_seq") == u64(frames[0], "seq"));
    CHECK(u64(frames[1], "market_seq") == static_cast<std::uint64_t>(step));
    check_points(result_of(frames[1]), series_at(market_indicator::tech_index, 1, step), 3);
  }
  send(c, protocol::cancel_request{"live"});
  run();
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"cancelled"});
}

TEST_CASE_FIXTURE(forecast_fixture, "a forecast is cached until the next market step") {
  advance_market(30);
  auto c = connect();
  send(c, forecast_request("a"));
  run();
  auto first = c.sink->take();
  REQUIRE(statuses(first) == std::vector<std::string>{"started", "completed"});
  CHECK_FALSE(first[1]["cached"].GetBool());
  send(c, forecast_request("b")); // the same points: a hit
  run();
  auto second = c.sink->take();
  REQUIRE(statuses(second) == std::vector<std::string>{"started", "completed"});
  CHECK(second[1]["cached"].GetBool());
  CHECK(result_of(second[1])["points"][0]["value"].GetDouble() ==
        result_of(first[1])["points"][0]["value"].GetDouble());
  advance_market(1);
  send(c, forecast_request("c")); // one more point: a miss
  run();
  auto third = c.sink->take();
  REQUIRE(statuses(third) == std::vector<std::string>{"started", "completed"});
  CHECK_FALSE(third[1]["cached"].GetBool());
  auto s = stats();
  CHECK(s.cache_hits == 1);
  CHECK(s.cache_misses == 2);
}

TEST_CASE_FIXTURE(forecast_fixture, "forecast_npv reports progress and brackets its npv") {
  advance_market(30);
  auto c = connect();
  auto r = forecast_npv_request("fn");
  r.parameters.paths = 20000; // 100,000 units of simulation: chunks of 12,288
  r.parameters.seed = 4;
  send(c, r);
  run();
  auto frames = c.sink->take();
  auto s = statuses(frames);
  REQUIRE(s.size() >= 4);
  CHECK(s.front() == "started");
  CHECK(std::count(s.begin(), s.end(), "processing") == static_cast<long>(s.size()) - 2);
  int last = -1;
  for (std::size_t i = 1; i + 1 < frames.size(); ++i) {
    CHECK(frames[i]["progress"].GetInt() >= last);
    last = frames[i]["progress"].GetInt();
  }
  const auto& result = result_of(frames.back());
  auto expected =
      finance::forecast_npv({r.parameters.cash_flows, 150000,
                             series_at(market_indicator::discount_rate, 1, 30), holt, 20000, 4});
  REQUIRE(expected.has_value());
  CHECK(result["npv"].GetDouble() == doctest::Approx(expected->npv).epsilon(1e-12));
  CHECK(result["npv_lower_95"].GetDouble() ==
        doctest::Approx(expected->npv_lower_95).epsilon(1e-12));
  CHECK(result["npv_upper_95"].GetDouble() ==
        doctest::Approx(expected->npv_upper_95).epsilon(1e-12));
  CHECK(result["npv_lower_95"].GetDouble() < result["npv"].GetDouble());
  CHECK(result["npv"].GetDouble() < result["npv_upper_95"].GetDouble());
  CHECK(result["rates"].Size() == 5);
}

TEST_CASE_FIXTURE(forecast_fixture, "a small forecast_npv fits and simulates in one step") {
  advance_market(30);
  auto c = connect();
  send(c, forecast_npv_request("small")); // 2,000 paths: 33,000 units, at once
  run();
  CHECK(executor->ran() == 0);
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  auto expected = finance::forecast_npv({forecast_npv_request("x").parameters.cash_flows, 150000,
                                         series_at(market_indicator::discount_rate, 1, 30), holt,
                                         protocol::default_paths, protocol::default_forecast_seed});
  REQUIRE(expected.has_value());
  const auto& result = result_of(frames[1]);
  CHECK(result["npv"].GetDouble() == doctest::Approx(expected->npv).epsilon(1e-12));
  CHECK(result["npv_upper_95"].GetDouble() ==
        doctest::Approx(expected->npv_upper_95).epsilon(1e-12));
}

TEST_CASE_FIXTURE(forecast_fixture, "stored steps go in front of the recorded series") {
  std::vector<market_step> stored;
  for (int t = 1; t <= 20; ++t)
    stored.push_back({static_cast<std::uint64_t>(t), market_at(t)});
  caf::anon_send(service, market_history{stored});
  run();
  auto c = connect();
  auto r = forecast_request("f");
  r.parameters.window = 20;
  send(c, r);
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  check_points(result_of(frames[1]), series_at(market_indicator::tech_index, 1, 20), 5);
}

TEST_CASE("a forecast's work is its fit's passes over the window, then its steps or paths") {
  auto r = forecast_request("f", 7);
  CHECK(cost_of(r, 500, finance::monte_carlo_mode::stored).work == 433 * 500 + 7);
  r.parameters.method = protocol::forecast_method::ar1;
  CHECK(cost_of(r, 500, finance::monte_carlo_mode::stored).work == 3 * 500 + 7);
  auto n = forecast_npv_request("n");
  n.parameters.paths = 1000;
  CHECK(cost_of(n, 100, finance::monte_carlo_mode::stored).work == 433 * 100 + 2 * 1000 * 5);
  CHECK(cost_of(n, 100, finance::monte_carlo_mode::stored).bytes >
        cost_of(n, 10, finance::monte_carlo_mode::stored).bytes + 90 * 8);
}

TEST_CASE_FIXTURE(forecast_fixture, "a forecast on a long window runs on the executor") {
  advance_market(300); // the default window takes all 300: 129,900 units of fit
  auto c = connect();
  send(c, forecast_request("f"));
  sched.run();
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"started"});
  CHECK(executor->queued() == 1);
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"completed"});
  check_points(result_of(frames[0]), series_at(market_indicator::tech_index, 1, 300), 5);
}
