// The channels of three nodes in one actor system, told their cluster views by hand: the
// leader's numbers what any node publishes and relays it once to each other node's, which
// delivers it and forwards nothing; a takeover starts a new epoch that the others adopt.
#include "actors/channel_relay.hpp"
#include "tests/actors/fixture.hpp"

#include <map>

using namespace rtd;
using rtd::test::str;
using rtd::test::u64;

namespace {

session_actor::behavior_type idle_session(session_actor::pointer) {
  return {
      [](protocol::client_message&) {},
      [](auth_check_atom, std::uint64_t) {},
      [](market_step&) {},
      [](protocol::analytics_update&) {},
      [](live_calculation_event&) {},
  };
}

struct node {
  channel_actor channel;
  session_actor session;
  std::shared_ptr<rtd::test::recording_sink> sink = std::make_shared<rtd::test::recording_sink>();
  std::shared_ptr<std::atomic<std::uint64_t>> links =
      std::make_shared<std::atomic<std::uint64_t>>(0);
};

struct relay_fixture : rtd::test::fixture {
  std::map<std::string, node> nodes;

  explicit relay_fixture(bool leader_only = false) {
    for (const char* name : {"a", "b", "c"}) {
      auto& n = nodes[name];
      auto config = rtd::test::memory_channel(protocol::channel::notifications,
                                              std::string{"epoch-"} + name, 16);
      config.node = name;
      config.leader_only = leader_only;
      config.link_messages = n.links;
      n.channel = sys.spawn(channel, std::move(config));
      n.session = sys.spawn(idle_session);
      caf::anon_send(n.channel, subscription{n.session, n.sink, {}, {}, {}, false});
    }
    run();
    for (auto& [name, n] : nodes)
      n.sink->take(); // the acks
  }

  ~relay_fixture() {
    for (auto& [name, n] : nodes) {
      kill(n.channel);
      kill(n.session);
    }
  }

  /// Tells every live node the view in which `leader` leads and the nodes in `down` are down.
  void elect(const std::string& leader, const std::set<std::string>& down = {}) {
    tell_view(leader, down);
    run();
  }

  /// The views of elect(), sent but not yet handled.
  void tell_view(const std::string& leader, const std::set<std::string>& down = {}) {
    for (auto& [local, n] : nodes) {
      if (down.count(local))
        continue;
      cluster_view v{local, leader, true, {}};
      for (auto& [name, m] : nodes) {
        std::vector<caf::strong_actor_ptr> channels(protocol::all_channels.size());
        channels[static_cast<std::size_t>(protocol::channel::notifications)] =
            caf::actor_cast<caf::strong_actor_ptr>(m.channel);
        v.members.push_back({name,
                             name + ":1",
                             0,
                             down.count(name) == 0,
                             name == leader,
                             name == local,
                             0,
                             std::move(channels),
                             {},
                             0});
      }
      caf::anon_send(n.channel, v);
    }
  }

  void post(const std::string& on, const std::string& message) {
    caf::anon_send(nodes[on].channel,
                   protocol::publication_body{protocol::notification{
                       protocol::notification_category::system, protocol::notification_level::info,
                       message, std::nullopt}});
    run();
  }

  /// (seq, epoch, message) of what each node's subscriber got since the last call.
  std::map<std::string, std::vector<std::tuple<std::uint64_t, std::string, std::string>>>
  received() {
    std::map<std::string, std::vector<std::tuple<std::uint64_t, std::string, std::string>>> out;
    for (auto& [name, n] : nodes)
      for (auto& f : n.sink->take())
        out[name].emplace_back(u64(f, "seq"), str(f, "epoch"), str(f, "message"));
    return out;
  }
};

using seen = std::vector<std::tuple<std::uint64_t, std::string, std::string>>;

} // namespace

TEST_CASE_FIXTURE(relay_fixture, "the leader numbers every node's publication once") {
  elect("a");
  post("c", "from c");
  post("a", "from a");
  post("b", "from b");
  const seen expected{{1, "epoch-a", "from c"}, {2, "epoch-a", "from a"}, {3, "epoch-a", "from b"}};
  auto got = received();
  CHECK(got["a"] == expected);
  CHECK(got["b"] == expected);
  CHECK(got["c"] == expected);
  // One forward from each follower's own post, one relay per follower per publication; the
  // followers relay nothing they got.
  CHECK(nodes["a"].links->load() == 6);
  CHECK(nodes["b"].links->load() == 1);
  CHECK(nodes["c"].links->load() == 1);
}

TEST_CASE_FIXTURE(relay_fixture, "a node that starts following takes the leader's epoch and seq "
                                 "before it answers a subscription") {
  for (const char* m : {"one", "two", "three"})
    post("a", m); // a alone: epoch-a, seq 3
  received();
  tell_view("a");
  auto sink = std::make_shared<rtd::test::recording_sink>();
  caf::anon_send(nodes["b"].channel, subscription{nodes["b"].session, sink, {}, {}, {}, false});
  run(); // b holds the subscription until a has answered
  auto acks = sink->take();
  REQUIRE(acks.size() == 1);
  CHECK(str(acks[0], "epoch") == "epoch-a");
  CHECK(u64(acks[0], "seq") == 3);
  post("c", "four");
  CHECK(received()["b"] == seen{{4, "epoch-a", "four"}});
}

TEST_CASE_FIXTURE(relay_fixture, "a follower answers an operator's post once its relay is back") {
  elect("a");
  protocol::notification posted{protocol::notification_category::system,
                                protocol::notification_level::info, "posted on b", std::nullopt};
  auto pending = self->request(nodes["b"].channel, caf::infinite, caf::publish_atom::value,
                               protocol::publication_body{posted});
  run();
  frame published;
  pending.receive([&](frame& f) { published = f; }, [&](caf::error& e) { FAIL(sys.render(e)); });
  REQUIRE(published);
  rapidjson::Document reply;
  reply.Parse(published->payload().data(), published->payload().size());
  CHECK(u64(reply, "seq") == 1);
  CHECK(str(reply, "epoch") == "epoch-a");
  CHECK(received()["c"] == seen{{1, "epoch-a", "posted on b"}});
}

TEST_CASE_FIXTURE(relay_fixture, "a relay that comes twice or out of order is delivered once") {
  elect("a");
  post("a", "one");
  received();
  protocol::publication_header header{protocol::channel::notifications, 1, "epoch-a",
                                      protocol::now()};
  caf::anon_send(nodes["b"].channel, relayed_publication{header, protocol::notification{}, "a", 0});
  run();
  CHECK(received()["b"].empty());
  header.seq = 5; // this node missed 2..4: it delivers 5, its ring holds only what follows
  caf::anon_send(nodes["b"].channel,
                 relayed_publication{header,
                                     protocol::notification{protocol::notification_category::system,
                                                            protocol::notification_level::info,
                                                            "five", std::nullopt},
                                     "a", 0});
  run();
  CHECK(received()["b"] == seen{{5, "epoch-a", "five"}});
}

TEST_CASE_FIXTURE(relay_fixture, "the member that takes over starts an epoch the others adopt") {
  elect("a");
  post("a", "before");
  received();
  elect("b", {"a"});
  post("c", "after");
  auto got = received();
  REQUIRE(got["b"].size() == 1);
  const auto& [seq, epoch, message] = got["b"][0];
  CHECK(seq == 1);
  CHECK(epoch != "epoch-a");
  CHECK(epoch != "epoch-b");
  CHECK(got["c"] == got["b"]);
}

TEST_CASE_FIXTURE(relay_fixture, "a member cut off from every other numbers under a new epoch") {
  elect("a");
  post("a", "shared");
  received();
  cluster_view alone{"c", "c", true, {{"c", "c:1", 0, true, true, true, 0, {}, {}, 0}}};
  caf::anon_send(nodes["c"].channel, alone);
  run();
  post("c", "alone");
  auto got = received()["c"];
  REQUIRE(got.size() == 1);
  CHECK(std::get<0>(got[0]) == 1);
  CHECK(std::get<1>(got[0]) != "epoch-a");
}

struct leader_only_fixture : relay_fixture {
  leader_only_fixture() : relay_fixture(true) {}
};

TEST_CASE_FIXTURE(leader_only_fixture, "on a leader-only channel only the leader's own count") {
  elect("a");
  post("b", "b's own analysis");
  CHECK(received().empty());
  post("a", "the leader's");
  auto got = received();
  CHECK(got["b"] == seen{{1, "epoch-a", "the leader's"}});
  CHECK(got["c"] == got["b"]);
}
