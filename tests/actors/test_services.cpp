// The notifier's throttling and the system monitor's figures, in virtual time.
#include "actors/calculation_service.hpp"
#include "actors/cluster.hpp"
#include "actors/notifier.hpp"
#include "actors/system_monitor.hpp"
#include "tests/actors/node_fixture.hpp"

using namespace rtd;
using rtd::test::str;
using rtd::test::u64;

namespace {

struct node_fixture : rtd::test::node_fixture {
  static protocol::notification event(std::string text) {
    protocol::notification n;
    n.category = protocol::notification_category::system;
    n.level = protocol::notification_level::warning;
    n.message = std::move(text);
    return n;
  }
};

} // namespace

TEST_CASE_FIXTURE(node_fixture, "notifier publishes events and throttles a storm of them") {
  auto [sink, client] = subscriber(protocol::channel::notifications);
  auto n = sys.spawn(notifier, notifier_config{3, std::chrono::milliseconds{1000}},
                     channel_of(channels, protocol::channel::notifications));
  run();
  for (int i = 0; i < 10; ++i)
    caf::anon_send(n, event("event " + std::to_string(i)));
  run();
  auto frames = sink->take();
  REQUIRE(frames.size() == 3);
  CHECK(str(frames[0], "message") == "event 0");
  CHECK(str(frames[0], "level") == "warning");
  CHECK(str(frames[0], "notification_type") == "system");
  advance(std::chrono::milliseconds{1000});
  frames = sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "message").find("7 more") == 0);
  caf::anon_send(n, event("after the window"));
  run();
  frames = sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "message") == "after the window");
  kill(n);
  kill(client);
}

TEST_CASE_FIXTURE(node_fixture, "an operator's notification is published and returned") {
  auto [sink, client] = subscriber(protocol::channel::notifications);
  auto n = sys.spawn(notifier, notifier_config{},
                     channel_of(channels, protocol::channel::notifications));
  run();
  protocol::notification posted;
  posted.level = protocol::notification_level::success;
  posted.message = "System update completed";
  // Not ask(): the reply comes through a delegation, which needs the scheduler to run.
  auto pending = self->request(n, caf::infinite, caf::publish_atom::value, posted);
  run();
  frame published;
  pending.receive([&](frame& f) { published = f; }, [&](caf::error& e) { FAIL(sys.render(e)); });
  REQUIRE(published);
  auto frames = sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "message") == "System update completed");
  CHECK(u64(frames[0], "seq") == 1);
  rapidjson::Document reply;
  reply.Parse(published->payload().data(), published->payload().size());
  CHECK(u64(reply, "seq") == 1);
  kill(n);
  kill(client);
}

TEST_CASE_FIXTURE(node_fixture, "system monitor publishes real figures every interval") {
  auto [sink, client] = subscriber(protocol::channel::system);
  auto [other_sink, other] = subscriber(protocol::channel::market_data);
  auto traffic = std::make_shared<traffic_counters>();
  traffic->connections_active = 2;
  traffic->connections_total = 5;
  auto calculations =
      sys.spawn(calculation_service, calculation_service_config{},
                channel_of(channels, protocol::channel::calculations), nullptr, nullptr);
  auto counts = std::make_shared<metrics::node_metrics>(1);
  auto health = std::make_shared<health_board>();
  cluster_config alone;
  alone.node = "n1";
  auto members = sys.spawn(
      cluster, alone,
      cluster_links{{}, {}, std::shared_ptr<const traffic_counters>(traffic), {}, {}, {}, {}});
  auto monitor =
      sys.spawn(system_monitor, system_monitor_config{std::chrono::milliseconds{1000}, "n1"},
                channels, calculations, members, history_store_actor{},
                std::shared_ptr<const traffic_counters>(traffic),
                std::shared_ptr<const metrics::node_metrics>(counts),
                std::shared_ptr<const health_board>(health));
  run();
  auto frames = sink->take();
  REQUIRE(frames.size() == 1);
  const auto& data = frames[0]["data"];
  CHECK(str(frames[0], "type") == "system_status");
  CHECK(str(data, "status") == "healthy");
  CHECK_FALSE(data.HasMember("reasons"));
  CHECK(str(data, "node") == "n1");
  CHECK(data["connections"]["active"].GetUint64() == 2);
  CHECK(data["connections"]["total"].GetUint64() == 5);
  CHECK(data["subscribers"]["system"].GetUint64() == 1);
  CHECK(data["subscribers"]["market_data"].GetUint64() == 1);
  CHECK(data["subscribers"]["calculations"].GetUint64() == 0);
  CHECK(data["memory"]["rss_bytes"].GetUint64() > 0);
  REQUIRE(data["cluster"]["nodes"].Size() == 1);
  const auto& me = data["cluster"]["nodes"][0];
  CHECK(str(me, "node") == "n1");
  CHECK(str(me, "status") == "up");
  CHECK(me["leader"].GetBool());
  CHECK(me["connections"].GetUint64() == 2);

  kill(other);
  traffic->connections_active = 1;
  counts->lane(0).received(100);
  advance(std::chrono::milliseconds{1000});
  frames = sink->take();
  REQUIRE(frames.size() == 1);
  const auto& next = frames[0]["data"];
  CHECK(u64(frames[0], "seq") == 2);
  CHECK(next["connections"]["active"].GetUint64() == 1);
  CHECK(next["subscribers"]["market_data"].GetUint64() == 0);
  CHECK(next["messages"]["in_per_s"].GetDouble() > 0.0);

  // Each component's reason, in the order of their names, while it is degraded.
  health->set("redis-subscribe", "redis subscribe connection down");
  health->set("history", "history disk full");
  advance(std::chrono::milliseconds{1000});
  frames = sink->take();
  REQUIRE(frames.size() == 1);
  const auto& degraded = frames[0]["data"];
  CHECK(str(degraded, "status") == "degraded");
  REQUIRE(degraded["reasons"].Size() == 2);
  CHECK(std::string{degraded["reasons"][0].GetString()} == "history disk full");
  CHECK(std::string{degraded["reasons"][1].GetString()} == "redis subscribe connection down");
  health->clear("history");
  health->clear("redis-subscribe");
  advance(std::chrono::milliseconds{1000});
  frames = sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0]["data"], "status") == "healthy");
  kill(monitor);
  kill(members);
  kill(calculations);
  kill(client);
}
