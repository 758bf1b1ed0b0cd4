// The channel actor driven through real session actors: subscribe, fan-out, unsubscribe,
// cleanup on session death, recovery from the ring.
#include "tests/actors/node_fixture.hpp"

using namespace rtd;
using rtd::test::str;
using rtd::test::u64;

namespace {

struct channel_fixture : rtd::test::node_fixture {
  explicit channel_fixture(std::size_t history_size = 16) : node_fixture(history_size, "epoch-1") {}

  const channel_actor& market() const {
    return channel_of(channels, protocol::channel::market_data);
  }

  void request(const client& c, protocol::client_body body, protocol::correlation_id id = {}) {
    send(c, std::move(body), std::move(id));
    run();
  }

  void subscribe(const client& c, std::optional<std::uint64_t> since_seq = std::nullopt,
                 std::optional<std::string> epoch = std::nullopt) {
    request(c, protocol::subscribe_request{protocol::channel::market_data, since_seq, epoch});
  }

  void publish_market(double discount_rate) {
    protocol::market_snapshot m;
    m[protocol::market_indicator::discount_rate] = discount_rate;
    caf::anon_send(market(), protocol::publication_body{m});
    run();
  }

  std::uint64_t subscribers() { return ask<std::uint64_t>(market(), caf::get_atom::value); }
};

double discount_rate(const rapidjson::Value& update) {
  return update["data"]["discount_rate"].GetDouble();
}

} // namespace

TEST_CASE_FIXTURE(channel_fixture, "subscribe acks with seq 0 and epoch, then delivers live") {
  auto c = connect();
  request(c, protocol::subscribe_request{protocol::channel::market_data, {}, {}},
          protocol::correlation_id{std::string{"req-1"}});
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "subscribed");
  CHECK(str(frames[0], "id") == "req-1");
  CHECK(u64(frames[0], "seq") == 0);
  CHECK(str(frames[0], "epoch") == "epoch-1");
  CHECK_FALSE(frames[0].HasMember("recovered"));
  CHECK(subscribers() == 1);

  publish_market(0.05);
  frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "market_update");
  CHECK(u64(frames[0], "seq") == 1);
  CHECK(discount_rate(frames[0]) == doctest::Approx(0.05));
}

TEST_CASE_FIXTURE(channel_fixture, "a plain subscribe to market_data gets the latest at once") {
  publish_market(0.01);
  publish_market(0.02);
  auto c = connect();
  subscribe(c);
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK(u64(frames[0], "seq") == 2);
  CHECK(u64(frames[1], "seq") == 2);
  CHECK(discount_rate(frames[1]) == doctest::Approx(0.02));
}

TEST_CASE_FIXTURE(channel_fixture, "one publication reaches every subscriber as the same frame") {
  std::vector<client> clients;
  for (int i = 0; i < 200; ++i) {
    clients.push_back(connect());
    subscribe(clients.back());
    clients.back().sink->take();
  }
  CHECK(subscribers() == 200);
  publish_market(0.07);
  for (auto& c : clients) {
    auto frames = c.sink->take();
    REQUIRE(frames.size() == 1);
    CHECK(u64(frames[0], "seq") == 1);
  }
}

TEST_CASE_FIXTURE(channel_fixture, "unsubscribe acks and stops delivery") {
  auto c = connect();
  subscribe(c);
  c.sink->take();
  request(c, protocol::unsubscribe_request{protocol::channel::market_data},
          protocol::correlation_id{std::int64_t{7}});
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "unsubscribed");
  CHECK(frames[0]["id"].GetInt64() == 7);
  CHECK(subscribers() == 0);
  publish_market(0.03);
  CHECK(c.sink->pending() == 0);
}

TEST_CASE_FIXTURE(channel_fixture, "subscribing twice keeps one subscription") {
  auto c = connect();
  subscribe(c);
  subscribe(c);
  c.sink->take();
  CHECK(subscribers() == 1);
  publish_market(0.04);
  CHECK(c.sink->take().size() == 1);
}

TEST_CASE_FIXTURE(channel_fixture, "a session's death removes its subscriptions") {
  auto a = connect();
  auto b = connect();
  subscribe(a);
  subscribe(b);
  request(a, protocol::subscribe_request{protocol::channel::notifications, {}, {}});
  CHECK(subscribers() == 2);
  kill(a.actor);
  CHECK(subscribers() == 1);
  CHECK(ask<std::uint64_t>(channel_of(channels, protocol::channel::notifications),
                           caf::get_atom::value) == 0);
  b.sink->take();
  publish_market(0.06);
  CHECK(b.sink->take().size() == 1);
}

TEST_CASE_FIXTURE(channel_fixture, "recovery replays exactly the missed publications in order") {
  for (int i = 1; i <= 10; ++i)
    publish_market(i / 100.0);
  auto c = connect();
  subscribe(c, 4, std::string{"epoch-1"});
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 7);
  CHECK(str(frames[0], "type") == "subscribed");
  CHECK(frames[0]["recovered"].GetBool());
  CHECK(u64(frames[0], "seq") == 10);
  for (std::uint64_t i = 1; i < frames.size(); ++i)
    CHECK(u64(frames[i], "seq") == 4 + i);
  publish_market(0.11);
  frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(u64(frames[0], "seq") == 11);
}

TEST_CASE_FIXTURE(channel_fixture, "recovery when nothing was missed sends only the ack") {
  for (int i = 1; i <= 3; ++i)
    publish_market(i / 100.0);
  auto c = connect();
  subscribe(c, 3, std::string{"epoch-1"});
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0]["recovered"].GetBool());
}

TEST_CASE("recovery beyond the ring is refused and the latest value follows") {
  channel_fixture f{4};
  for (int i = 1; i <= 10; ++i)
    f.publish_market(i / 100.0);
  auto c = f.connect();
  f.subscribe(c, 5, std::string{"epoch-1"}); // 6 is gone: the ring holds 7..10
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK_FALSE(frames[0]["recovered"].GetBool());
  CHECK(str(frames[0], "epoch") == "epoch-1");
  CHECK(u64(frames[1], "seq") == 10);

  f.subscribe(c, 6, std::string{"epoch-1"}); // 7..10 all held
  frames = c.sink->take();
  REQUIRE(frames.size() == 5);
  CHECK(frames[0]["recovered"].GetBool());
  CHECK(u64(frames[1], "seq") == 7);
  CHECK(u64(frames[4], "seq") == 10);
}

TEST_CASE_FIXTURE(channel_fixture, "recovery from another epoch starts afresh") {
  for (int i = 1; i <= 3; ++i)
    publish_market(i / 100.0);
  auto c = connect();
  subscribe(c, 1, std::string{"older-epoch"});
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 2);
  CHECK_FALSE(frames[0]["recovered"].GetBool());
  CHECK(str(frames[0], "epoch") == "epoch-1");
  CHECK(u64(frames[1], "seq") == 3);
}

TEST_CASE_FIXTURE(channel_fixture, "a since_seq ahead of the channel is not recovered") {
  publish_market(0.01);
  auto c = connect();
  subscribe(c, 50, std::string{"epoch-1"});
  auto frames = c.sink->take();
  REQUIRE_FALSE(frames.empty());
  CHECK_FALSE(frames[0]["recovered"].GetBool());
}

TEST_CASE_FIXTURE(channel_fixture, "ping is answered with pong echoing the id") {
  auto c = connect();
  request(c, protocol::ping_request{}, protocol::correlation_id{std::string{"p"}});
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "pong");
  CHECK(str(frames[0], "id") == "p");
  CHECK(frames[0].HasMember("timestamp"));
}
