// Alerts: the firing rule (once when the condition starts to hold, again only after it
// stopped), per-session alerts through real sessions (replies, limit, order after the
// market_update, removal), and the server's alerts published for everyone.
#include "actors/alert_watcher.hpp"
#include "tests/actors/node_fixture.hpp"

using namespace rtd;
using protocol::alert_condition;
using protocol::market_indicator;
using rtd::test::str;

namespace {

protocol::market_snapshot rate(double r) {
  protocol::market_snapshot m;
  m[market_indicator::discount_rate] = r;
  return m;
}

std::vector<std::string> fired_ids(alert_book& book, double r) {
  std::vector<std::string> ids;
  for (const auto& f : book.observe(rate(r)))
    ids.push_back(f.alert_id);
  return ids;
}

using ids = std::vector<std::string>;

struct alert_fixture : rtd::test::node_fixture {
  void publish_rate(double r) {
    caf::anon_send(channel_of(channels, protocol::channel::market_data),
                   protocol::publication_body{rate(r)});
    run();
  }

  void set(const client& c, const std::string& id, alert_condition cond, double threshold) {
    send(c, protocol::set_alert_request{id, market_indicator::discount_rate, cond, threshold},
         protocol::correlation_id{"set-" + id});
    run();
  }

  /// The alert notifications among `frames`: (alert_id, value).
  static std::vector<std::pair<std::string, double>>
  alerts_in(const std::vector<rapidjson::Document>& frames) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& f : frames)
      if (std::string{f["type"].GetString()} == "notification" &&
          std::string{f["notification_type"].GetString()} == "alert")
        out.emplace_back(f["alert_id"].GetString(), f["value"].GetDouble());
    return out;
  }
};

} // namespace

TEST_CASE("an alert fires when its condition starts to hold, and again only after it stopped") {
  alert_book book{4};
  CHECK(book.set({"up", market_indicator::discount_rate, alert_condition::above, 0.05}) ==
        alert_book::set_result::added);
  CHECK(book.set({"down", market_indicator::discount_rate, alert_condition::below, 0.02}) ==
        alert_book::set_result::added);
  CHECK(fired_ids(book, 0.03).empty());
  CHECK(fired_ids(book, 0.06) == ids{"up"});
  CHECK(fired_ids(book, 0.07).empty()); // still above: silent
  CHECK(fired_ids(book, 0.05).empty()); // equal is not above: re-armed
  CHECK(fired_ids(book, 0.051) == ids{"up"});
  CHECK(fired_ids(book, 0.01) == ids{"down"});
  CHECK(fired_ids(book, 0.02).empty()); // equal is not below
  CHECK(fired_ids(book, 0.019) == ids{"down"});
}

TEST_CASE("a new alert fires on the first values where it holds; replacing one re-arms it") {
  alert_book book{1};
  book.set({"a", market_indicator::discount_rate, alert_condition::above, 0.05});
  CHECK(fired_ids(book, 0.06) == ids{"a"});
  CHECK(book.set({"a", market_indicator::discount_rate, alert_condition::above, 0.055}) ==
        alert_book::set_result::replaced);
  auto fired = book.observe(rate(0.06));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].threshold == 0.055);
  CHECK(fired[0].value == 0.06);
  CHECK(fired[0].condition == alert_condition::above);
}

TEST_CASE("the book holds at most its maximum; a removed alert is silent") {
  alert_book book{2};
  book.set({"a", market_indicator::discount_rate, alert_condition::above, 0.0});
  book.set({"b", market_indicator::tech_index, alert_condition::above, 0.0});
  CHECK(book.set({"c", market_indicator::discount_rate, alert_condition::above, 0.0}) ==
        alert_book::set_result::full);
  CHECK(book.size() == 2);
  CHECK(book.remove("a"));
  CHECK_FALSE(book.remove("a"));
  auto values = rate(0.1);
  values[market_indicator::tech_index] = 100;
  auto fired = book.observe(values);
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].alert_id == "b");
  CHECK(fired[0].value == 100);
}

TEST_CASE("configured alerts are read from text") {
  auto a = parse_alert("rate-high discount_rate above 0.12");
  REQUIRE(a);
  CHECK(a->id == "rate-high");
  CHECK(a->metric == protocol::alert_metric{market_indicator::discount_rate});
  CHECK(a->condition == alert_condition::above);
  CHECK(a->threshold == 0.12);
  CHECK(parse_alert("  low  tech_index   below  -5e1 ")->threshold == -50.0);
  for (const char* bad :
       {"", "x discount_rate above", "x gold above 1", "x discount_rate at 1",
        "x discount_rate above 1y", "x discount_rate above nan", "x discount_rate above 1 extra"})
    CHECK_FALSE(parse_alert(bad));
}

TEST_CASE_FIXTURE(alert_fixture, "a session's alert: set, fires once after its market_update, "
                                 "re-arms, removed") {
  auto c = connect();
  send(c, protocol::subscribe_request{protocol::channel::market_data, {}, {}});
  publish_rate(0.03);
  c.sink->take();
  set(c, "a1", alert_condition::above, 0.05);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1); // the latest value does not hold
  CHECK(str(frames[0], "type") == "alert_set");
  CHECK(str(frames[0], "id") == "set-a1");
  CHECK(str(frames[0], "alert_id") == "a1");
  CHECK(str(frames[0], "metric") == "discount_rate");
  CHECK(str(frames[0], "condition") == "above");
  CHECK(frames[0]["threshold"].GetDouble() == 0.05);

  publish_rate(0.06);
  frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK(str(frames[0], "type") == "market_update"); // the update first, then the alert
  CHECK(str(frames[1], "type") == "notification");
  CHECK(str(frames[1], "notification_type") == "alert");
  CHECK(str(frames[1], "level") == "warning");
  CHECK(str(frames[1], "alert_id") == "a1");
  CHECK(str(frames[1], "metric") == "discount_rate");
  CHECK(str(frames[1], "condition") == "above");
  CHECK(frames[1]["value"].GetDouble() == 0.06);
  CHECK(frames[1]["threshold"].GetDouble() == 0.05);
  CHECK_FALSE(frames[1].HasMember("seq")); // to this session only, not a publication

  publish_rate(0.07);
  publish_rate(0.04);
  publish_rate(0.08);
  CHECK(alerts_in(c.sink->take()) == std::vector<std::pair<std::string, double>>{{"a1", 0.08}});

  send(c, protocol::remove_alert_request{"a1"}, protocol::correlation_id{std::int64_t{9}});
  run();
  frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "alert_removed");
  CHECK(frames[0]["id"].GetInt64() == 9);
  publish_rate(0.01);
  publish_rate(0.09);
  CHECK(alerts_in(c.sink->take()).empty());
}

TEST_CASE_FIXTURE(alert_fixture, "an alert that holds when set fires at once") {
  publish_rate(0.06);
  auto c = connect();
  set(c, "now", alert_condition::above, 0.05);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK(str(frames[0], "type") == "alert_set");
  CHECK(alerts_in(frames) == std::vector<std::pair<std::string, double>>{{"now", 0.06}});
  // A second one, set while the session already follows the market, too; the first is quiet.
  set(c, "also", alert_condition::above, 0.01);
  CHECK(alerts_in(c.sink->take()) == std::vector<std::pair<std::string, double>>{{"also", 0.06}});
}

TEST_CASE_FIXTURE(alert_fixture, "alerts are per session, bounded, and end with the session") {
  context->max_alerts = 2;
  auto a = connect();
  auto b = connect();
  set(a, "x", alert_condition::above, 0.05);
  set(a, "y", alert_condition::below, 0.01);
  set(a, "z", alert_condition::below, 0.01);
  auto frames = a.sink->take();
  REQUIRE(frames.size() == 3);
  CHECK(str(frames[2], "type") == "error");
  CHECK(str(frames[2], "code") == "invalid_parameters");
  CHECK(str(frames[2], "id") == "set-z");
  CHECK(str(frames[2], "message").find("at most 2 alerts per session") != std::string::npos);
  set(a, "y", alert_condition::below, 0.02); // replacing is not adding
  CHECK(str(a.sink->take()[0], "type") == "alert_set");

  send(b, protocol::remove_alert_request{"x"});
  run();
  frames = b.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "code") == "not_found");

  publish_rate(0.06);
  CHECK(alerts_in(a.sink->take()).size() == 1);
  CHECK(b.sink->take().empty()); // b set nothing: it sees nothing
  // a's alerts end with it; the channel drops it from its listeners and serves the others.
  kill(a.actor);
  set(b, "w", alert_condition::below, 0.01);
  b.sink->take();
  publish_rate(0.001);
  CHECK(a.sink->take().empty());
  CHECK(alerts_in(b.sink->take()) == std::vector<std::pair<std::string, double>>{{"w", 0.001}});
}

TEST_CASE_FIXTURE(alert_fixture, "the server's alerts are published on notifications") {
  auto watcher = sys.spawn(
      alert_watcher,
      std::vector<alert>{{"srv", market_indicator::discount_rate, alert_condition::above, 0.05}},
      channel_of(channels, protocol::channel::market_data),
      channel_of(channels, protocol::channel::notifications));
  run();
  auto c = subscriber(protocol::channel::notifications);
  publish_rate(0.06);
  publish_rate(0.07);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "alert_id") == "srv");
  CHECK(rtd::test::u64(frames[0], "seq") == 1); // a publication, for every subscriber
  CHECK(str(frames[0], "channel") == "notifications");
  kill(watcher);
}

TEST_CASE_FIXTURE(alert_fixture, "a cluster member's watcher publishes only while it leads") {
  auto watcher = sys.spawn(
      alert_watcher,
      std::vector<alert>{{"srv", market_indicator::discount_rate, alert_condition::above, 0.05}},
      channel_of(channels, protocol::channel::market_data),
      channel_of(channels, protocol::channel::notifications));
  caf::anon_send(watcher, cluster_view{"b", "a", true, {}});
  run();
  auto c = subscriber(protocol::channel::notifications);
  publish_rate(0.06); // fires on the leader, which publishes it for the cluster
  CHECK(c.sink->take().empty());
  publish_rate(0.04);
  caf::anon_send(watcher, cluster_view{"b", "b", true, {}});
  run();
  publish_rate(0.06);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "alert_id") == "srv");
  kill(watcher);
}
