// Alerts on computed values: analytics figures (z-score, volatility, trend strength, trend
// reversal) and a number of one of the session's own live calculations. The firing rule of the
// book, then real sessions with the analytics actor and the calculation service.
#include "actors/analytics.hpp"
#include "tests/actors/calc_fixture.hpp"

using namespace rtd;
using namespace rtd::test;
using protocol::alert_condition;
using protocol::analytics_measure;
using protocol::analytics_metric;
using protocol::calculation_metric;
using protocol::market_indicator;

namespace {

using ids = std::vector<std::string>;

protocol::analytics_update analytics_of(double zscore, protocol::trend t = protocol::trend::flat) {
  protocol::analytics_update u;
  auto& r = u.indicators[static_cast<std::size_t>(market_indicator::discount_rate)];
  r.zscore = zscore;
  r.trend = t;
  r.trend_strength = 0.5;
  return u;
}

template <class... Args> ids fired_ids(alert_book& book, Args&&... args) {
  ids out;
  for (const auto& f : book.observe(std::forward<Args>(args)...))
    out.push_back(f.alert_id);
  return out;
}

const analytics_metric rate_zscore{market_indicator::discount_rate, analytics_measure::zscore};
const analytics_metric rate_reversal{market_indicator::discount_rate,
                                     analytics_measure::trend_reversal};

struct computed_fixture : calc_fixture {
  analytics_actor trends;

  computed_fixture() {
    trends = sys.spawn(analytics, analytics_config{},
                       channel_of(channels, protocol::channel::analytics), service);
    caf::anon_send(channel_of(channels, protocol::channel::market_data), caf::join_atom::value,
                   market_listener_actor{trends});
    context->analytics = trends;
    run();
  }

  ~computed_fixture() { kill(trends); }

  void step(double rate) {
    market(rate);
    run();
  }

  void set(const client& c, const std::string& id, protocol::alert_metric metric,
           alert_condition cond, double threshold = 0) {
    send(c, protocol::set_alert_request{id, std::move(metric), cond, threshold},
         protocol::correlation_id{"set-" + id});
    run();
  }

  static bool is_alert(const rapidjson::Document& f) {
    return str(f, "type") == "notification" && str(f, "notification_type") == "alert";
  }
};

/// Rates that wander, then jump, fall back and jump again: z-scores cross 1.5 several times.
const std::vector<double> rates{0.050, 0.051, 0.050, 0.052, 0.051, 0.050, 0.051, 0.090,
                                0.091, 0.050, 0.049, 0.050, 0.051, 0.120, 0.050, 0.049,
                                0.048, 0.047, 0.046, 0.047, 0.048, 0.049, 0.050, 0.049};

} // namespace

TEST_CASE("analytics alerts fire once when crossed, re-arm, and reversals fire on a turn") {
  alert_book book{4};
  book.set({"z", rate_zscore, alert_condition::above, 2.0});
  book.set({"turn", rate_reversal, alert_condition::reversal, 0});
  book.set({"m", market_indicator::discount_rate, alert_condition::above, 0.0});
  using protocol::trend;
  CHECK(fired_ids(book, analytics_of(1.0, trend::up)).empty()); // the first trend is no turn
  CHECK(fired_ids(book, analytics_of(2.5, trend::up)) == ids{"z"});
  CHECK(fired_ids(book, analytics_of(3.0, trend::flat)).empty()); // still above; flat: no turn
  CHECK(fired_ids(book, analytics_of(1.0, trend::down)) == ids{"turn"}); // up, flat, down
  CHECK(fired_ids(book, analytics_of(2.1, trend::down)) == ids{"z"});
  auto fired = book.observe(analytics_of(0.0, trend::up));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].direction == trend::up);
  CHECK(fired[0].value == 0.5); // a reversal's value is the trend's strength
  CHECK(book.watches<analytics_metric>());
  CHECK_FALSE(book.watches<calculation_metric>());
}

TEST_CASE("calculation alerts read their result's number and end with their calculation") {
  alert_book book{4};
  book.set({"neg", calculation_metric{"n", "npv"}, alert_condition::below, 0.0});
  book.set({"other", calculation_metric{"m", "npv"}, alert_condition::below, 0.0});
  book.set({"pay", calculation_metric{"n", "payback_period"}, alert_condition::above, 2.0});
  CHECK(fired_ids(book, "n", R"({"npv":5,"payback_period":null})").empty()); // null: no hold
  CHECK(fired_ids(book, "n", R"({"npv":-1,"payback_period":3})") == ids{"neg", "pay"});
  CHECK(fired_ids(book, "n", R"({"npv":-2,"payback_period":3})").empty());
  CHECK(fired_ids(book, "n", R"({"npv":1,"payback_period":null})").empty()); // re-armed
  CHECK(fired_ids(book, "n", R"({"npv":-1,"payback_period":3})") == ids{"neg", "pay"});
  CHECK(book.remove_calculation("n") == ids{"neg", "pay"});
  CHECK(book.size() == 1);
  CHECK(book.remove_calculation("n").empty());
}

TEST_CASE("a server's configured alert watches market fields only") {
  CHECK_FALSE(parse_alert("z analytics.discount_rate.zscore above 2"));
  CHECK_FALSE(parse_alert("c calculation:x.npv below 0"));
  CHECK_FALSE(parse_alert("r discount_rate reversal 0"));
}

TEST_CASE_FIXTURE(computed_fixture, "a session's z-score alert fires after the analytics_update "
                                    "where it starts to hold, once, and is silent once removed") {
  auto c = subscriber(protocol::channel::analytics);
  set(c, "z", rate_zscore, alert_condition::above, 1.5);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "alert_set");
  CHECK(str(frames[0], "metric") == "analytics.discount_rate.zscore");
  for (double r : rates)
    step(r);
  // What should fire, from the z-scores the client received, and what did.
  std::vector<double> expected, got;
  bool holding = false;
  bool first = true;
  for (const auto& f : c.sink->take()) {
    if (is_alert(f)) {
      got.push_back(f["value"].GetDouble());
      continue;
    }
    REQUIRE(str(f, "type") == "analytics_update");
    CHECK(got.size() == expected.size()); // each alert right after its update
    auto z = f["data"]["discount_rate"]["zscore"].GetDouble();
    bool now = z > 1.5;
    if (now && !holding)
      expected.push_back(z);
    holding = now;
    first = false;
  }
  CHECK_FALSE(first);
  CHECK(expected.size() >= 2); // the series crosses, falls back and crosses again
  CHECK(got == expected);

  send(c, protocol::remove_alert_request{"z"});
  run();
  CHECK(str(c.sink->take()[0], "type") == "alert_removed");
  for (double r : rates)
    step(r * 2);
  for (const auto& f : c.sink->take())
    CHECK_FALSE(is_alert(f));
}

TEST_CASE_FIXTURE(computed_fixture, "a trend reversal alert fires whenever the trend turns") {
  auto watcher = connect(); // not subscribed to analytics: alerts only
  auto c = subscriber(protocol::channel::analytics);
  set(watcher, "turn", rate_reversal, alert_condition::reversal);
  CHECK(watcher.sink->take().size() == 1);
  // Up, down, up again: steady moves, so that the trend turns twice.
  double r = 0.05;
  for (int i = 0; i < 90; ++i)
    step(r += (i / 30 == 1 ? -0.002 : 0.002));
  std::vector<std::string> expected;
  std::optional<std::string> last;
  for (const auto& f : c.sink->take()) {
    auto t = str(f["data"]["discount_rate"], "trend");
    if (t == "flat")
      continue;
    if (last && *last != t)
      expected.push_back(t);
    last = t;
  }
  std::vector<std::string> got;
  for (const auto& f : watcher.sink->take()) {
    REQUIRE(is_alert(f));
    CHECK(str(f, "condition") == "reversal");
    CHECK_FALSE(f.HasMember("threshold"));
    got.push_back(str(f, "trend"));
  }
  CHECK(expected == std::vector<std::string>{"down", "up"});
  CHECK(got == expected);
}

TEST_CASE_FIXTURE(computed_fixture, "an alert on a live NPV fires when it goes below 0, re-arms, "
                                    "and ends with the calculation") {
  auto c = connect();
  step(0.05);
  // Not a live calculation of this session (yet): refused.
  set(c, "neg", calculation_metric{"n", "npv"}, alert_condition::below);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "code") == "invalid_parameters");
  CHECK(str(frames[0], "message") == "metric: calculation 'n' is not a live calculation of "
                                     "this session");
  auto live = npv_request("n", {true, 0});
  live.live = true;
  send(c, live);
  send(c, npv_request("once"));
  run();
  c.sink->take();
  set(c, "neg", calculation_metric{"once", "npv"}, alert_condition::below);
  CHECK(str(c.sink->take()[0], "code") == "invalid_parameters"); // not live: never again
  set(c, "bad", calculation_metric{"n", "irr"}, alert_condition::below);
  frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "message") ==
        "metric: a npv result has no number 'irr' (it has npv, discount_rate)");

  set(c, "neg", calculation_metric{"n", "npv"}, alert_condition::below);
  frames = c.sink->take();
  REQUIRE(frames.size() == 1); // the npv at 5% is positive
  CHECK(str(frames[0], "type") == "alert_set");
  CHECK(str(frames[0], "metric") == "calculation:n.npv");

  auto alerts_after = [&](double rate) {
    step(rate);
    std::vector<double> values;
    for (const auto& f : c.sink->take())
      if (is_alert(f))
        values.push_back(f["value"].GetDouble());
    return values;
  };
  auto fired = alerts_after(0.10); // npv about -4,733
  REQUIRE(fired.size() == 1);
  CHECK(fired[0] == doctest::Approx(-4733.283));
  CHECK(alerts_after(0.11).empty());
  CHECK(alerts_after(0.05).empty());
  CHECK(alerts_after(0.12).size() == 1);

  send(c, protocol::cancel_request{"n"});
  run();
  frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK(str(frames[0], "status") == "cancelled");
  CHECK(str(frames[1], "type") == "alert_removed");
  CHECK(str(frames[1], "alert_id") == "neg");
  CHECK(str(frames[1], "reason") == "calculation_ended");
  CHECK_FALSE(frames[1].HasMember("id"));
  CHECK(alerts_after(0.05).empty());
  CHECK(alerts_after(0.12).empty());
  send(c, protocol::remove_alert_request{"neg"});
  run();
  CHECK(str(c.sink->take()[0], "code") == "not_found");
  kill(c.actor); // its requests' timers are pending
}
