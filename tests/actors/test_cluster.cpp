// Membership and leader choice of cluster actors in one actor system, in virtual time: a fake
// middleman hands out the cluster actor published at an address, and killing an actor is a
// node lost (its monitors fire as a remote link's would).
#include "actors/cluster.hpp"
#include "tests/actors/fixture.hpp"

#include <map>

using namespace rtd;
using namespace std::chrono_literals;

namespace {

/// Addresses and the cluster actors published at them.
using directory = std::map<std::string, caf::strong_actor_ptr>;

connector_actor::behavior_type fake_middleman(connector_actor::pointer self,
                                              std::shared_ptr<directory> published) {
  return {
      [self, published](caf::connect_atom, const std::string& host, std::uint16_t port)
          -> caf::result<caf::node_id, caf::strong_actor_ptr, std::set<std::string>> {
        auto i = published->find(format_address(host, port));
        if (i == published->end())
          return caf::make_error(caf::sec::cannot_connect_to_node);
        return {caf::node_id{}, i->second, self->home_system().message_types<cluster_peer_actor>()};
      },
  };
}

/// Records every view it is told.
cluster_listener_actor::behavior_type recorder(cluster_listener_actor::pointer,
                                               std::shared_ptr<std::vector<cluster_view>> views) {
  return {[views](cluster_view& v) { views->push_back(std::move(v)); }};
}

std::string address_of(std::uint16_t port) {
  return format_address("127.0.0.1", port);
}

struct cluster_fixture : test::fixture {
  std::shared_ptr<directory> published = std::make_shared<directory>();
  connector_actor middleman = sys.spawn(fake_middleman, published);
  std::vector<caf::actor> spawned;

  struct member {
    cluster_actor actor;
    std::shared_ptr<std::atomic<bool>> ready;
  };

  /// A node named `name` published on `port` that joins `join`; started 0 means now.
  member start(const std::string& name, std::uint16_t port, std::int64_t started,
               std::vector<std::string> join = {}) {
    cluster_config c;
    c.node = name;
    c.port = port;
    c.started = started;
    c.join = std::move(join);
    auto ready = std::make_shared<std::atomic<bool>>(false);
    auto actor = sys.spawn(cluster, c, cluster_links{middleman, {}, {}, ready, {}, {}, {}});
    spawned.push_back(caf::actor_cast<caf::actor>(actor));
    (*published)[address_of(port)] = caf::actor_cast<caf::strong_actor_ptr>(actor);
    caf::anon_send(actor, caf::publish_atom::value, port);
    run();
    return {actor, ready};
  }

  /// A node lost: its actor gone, nothing published at its address.
  void lose(const member& m, std::uint16_t port) {
    published->erase(address_of(port));
    kill(m.actor);
  }

  cluster_view view_of(const member& m) { return ask<cluster_view>(m.actor, caf::get_atom::value); }

  /// name -> "up"/"down" (+ "*" for the leader), as one node sees it.
  std::map<std::string, std::string> summary(const member& m) {
    std::map<std::string, std::string> out;
    for (const auto& v : view_of(m).members)
      out[v.name] = std::string{v.up ? "up" : "down"} + (v.leader ? "*" : "");
    return out;
  }

  ~cluster_fixture() {
    for (auto& a : spawned)
      kill(a);
    kill(middleman);
  }
};

using summary_map = std::map<std::string, std::string>;

} // namespace

TEST_CASE("the leader is the oldest live member, by start time, then name") {
  cluster_view v{"c",
                 "",
                 true,
                 {{"c", "c:3", 300, true, false, true, 0, {}, {}, 0},
                  {"b", "b:2", 100, true, false, false, 0, {}, {}, 0},
                  {"a", "a:1", 100, true, false, false, 0, {}, {}, 0},
                  {"z", "z:9", 50, false, false, false, 0, {}, {}, 0}}};
  choose_leader(v);
  CHECK(v.leader == "a"); // z is older but down; a and b tie on time, a's name is first
  CHECK(v.members[0].name == "z");
  CHECK(v.members[1].name == "a");
  CHECK(v.members[1].leader);
  CHECK_FALSE(v.members[0].leader);
  CHECK_FALSE(v.members[2].leader);
}

TEST_CASE("member addresses are host:port") {
  auto plain = parse_address("10.0.0.2:7001");
  REQUIRE(plain);
  CHECK(plain->host == "10.0.0.2");
  CHECK(plain->port == 7001);
  auto v6 = parse_address("[::1]:7002");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(format_address("::1", 7002) == "[::1]:7002");
  for (auto bad : {"", "host", ":7000", "h:0", "h:65536", "h:70x", "::1:7000", "[]:1"})
    CHECK_FALSE(parse_address(bad));
}

TEST_CASE_FIXTURE(cluster_fixture, "a node alone is ready at once and leads itself") {
  auto a = start("a", 7001, 100);
  CHECK(a.ready->load());
  auto v = view_of(a);
  CHECK(v.joined);
  CHECK(v.leader == "a");
  REQUIRE(v.members.size() == 1);
  CHECK(v.members[0].local);
  CHECK(v.members[0].address == "127.0.0.1:7001");
}

TEST_CASE_FIXTURE(cluster_fixture, "joiners learn every member, and all agree on the leader") {
  auto a = start("a", 7001, 100);
  auto b = start("b", 7002, 200, {address_of(7001)});
  auto c = start("c", 7003, 300, {address_of(7001)}); // learns b from a
  const summary_map all_up{{"a", "up*"}, {"b", "up"}, {"c", "up"}};
  CHECK(summary(a) == all_up);
  CHECK(summary(b) == all_up);
  CHECK(summary(c) == all_up);
  CHECK(b.ready->load());
  CHECK(c.ready->load());
}

TEST_CASE_FIXTURE(cluster_fixture,
                  "a lost leader is succeeded by the next oldest; it rejoins young") {
  auto a = start("a", 7001, 100);
  auto b = start("b", 7002, 200, {address_of(7001)});
  auto c = start("c", 7003, 300, {address_of(7001)});
  auto listened = std::make_shared<std::vector<cluster_view>>();
  auto listener = sys.spawn(recorder, listened);
  caf::anon_send(c.actor, caf::join_atom::value, listener);
  run();
  REQUIRE(listened->size() == 1);
  CHECK(listened->back().leader == "a");

  lose(a, 7001);
  const summary_map a_down{{"a", "down"}, {"b", "up*"}, {"c", "up"}};
  CHECK(summary(b) == a_down);
  CHECK(summary(c) == a_down);
  REQUIRE(listened->size() == 2);
  CHECK(listened->back().leader == "b");

  auto again = start("a", 7001, 0, {address_of(7002)}); // restarted: it started last
  const summary_map back{{"a", "up"}, {"b", "up*"}, {"c", "up"}};
  CHECK(summary(again) == back);
  CHECK(summary(b) == back);
  CHECK(summary(c) == back);
  CHECK(listened->back().leader == "b");
  kill(listener);
}

TEST_CASE_FIXTURE(cluster_fixture, "a lost member is retried with backoff until it returns") {
  auto a = start("a", 7001, 100);
  auto b = start("b", 7002, 200, {address_of(7001)});
  lose(b, 7002);
  CHECK(summary(a) == summary_map{{"a", "up*"}, {"b", "down"}});
  advance(10s); // several failed retries, backing off
  CHECK(summary(a) == summary_map{{"a", "up*"}, {"b", "down"}});
  // b returns, joining nobody: a's retries find it (within the longest backoff).
  auto again = start("b", 7002, 0);
  advance(cluster_config{}.retry_max);
  CHECK(summary(a) == summary_map{{"a", "up*"}, {"b", "up"}});
  CHECK(summary(again) == summary_map{{"a", "up*"}, {"b", "up"}});
}

TEST_CASE_FIXTURE(cluster_fixture, "a node with --join is not ready until it meets a member") {
  auto d = start("d", 7004, 400, {address_of(7001)});
  CHECK_FALSE(d.ready->load());
  CHECK_FALSE(view_of(d).joined);
  advance(3s);
  CHECK_FALSE(d.ready->load());
  auto a = start("a", 7001, 100);
  advance(cluster_config{}.retry_max);
  CHECK(d.ready->load());
  CHECK(view_of(d).leader == "a");
}

TEST_CASE_FIXTURE(cluster_fixture, "a node whose --join names only itself is ready") {
  cluster_config c;
  c.node = "a";
  c.started = 100;
  c.join = {address_of(7001), "localhost:7001"};
  auto ready = std::make_shared<std::atomic<bool>>(false);
  auto a = sys.spawn(cluster, c, cluster_links{middleman, {}, {}, ready, {}, {}, {}});
  spawned.push_back(caf::actor_cast<caf::actor>(a));
  (*published)[address_of(7001)] = (*published)["localhost:7001"] =
      caf::actor_cast<caf::strong_actor_ptr>(a);
  caf::anon_send(a, caf::publish_atom::value, std::uint16_t{7001});
  run();
  CHECK(ready->load());
  CHECK(ask<cluster_view>(a, caf::get_atom::value).members.size() == 1);
}

TEST_CASE_FIXTURE(cluster_fixture, "a member that loses every other one counts as new") {
  auto a = start("a", 7001, 100);
  auto b = start("b", 7002, 200, {address_of(7001)});
  lose(a, 7001); // as if b were hung or cut off: to b, the cluster is gone
  auto b_alone = view_of(b);
  CHECK(b_alone.leader == "b");
  CHECK(b_alone.members[1].started > 200);
  // a ran on all along and comes back into reach with its seniority: it leads, b does not
  // take the leadership from it.
  auto still = start("a", 7001, 100, {address_of(7002)});
  CHECK(view_of(b).leader == "a");
  CHECK(view_of(still).leader == "a");
}

TEST_CASE_FIXTURE(cluster_fixture, "incompatible versions and taken names are refused") {
  auto a = start("a", 7001, 100);
  auto b = start("b", 7002, 200, {address_of(7001)});
  member_hello newer{
      protocol::version, cluster_protocol_version + 1, "x", "127.0.0.1:7009", 1, 0, {}, {}, {}, 0};
  auto refused = ask<join_answer>(a.actor, caf::join_atom::value, newer);
  CHECK_FALSE(refused.accepted);
  CHECK(refused.reason.find("cluster protocol " + std::to_string(cluster_protocol_version + 1)) !=
        std::string::npos);
  member_hello twin{
      protocol::version, cluster_protocol_version, "b", "127.0.0.1:7008", 1, 0, {}, {}, {}, 0};
  auto taken = ask<join_answer>(a.actor, caf::join_atom::value, twin);
  CHECK_FALSE(taken.accepted);
  CHECK(taken.reason == "its name b is taken by the member at 127.0.0.1:7002");
  CHECK(summary(a) == summary_map{{"a", "up*"}, {"b", "up"}});
}

TEST_CASE_FIXTURE(cluster_fixture, "members report their connections to each other") {
  auto traffic = std::make_shared<traffic_counters>();
  traffic->connections_active = 7;
  cluster_config c;
  c.node = "a";
  c.port = 7001;
  c.started = 100;
  auto a = sys.spawn(
      cluster, c,
      cluster_links{
          middleman, {}, std::shared_ptr<const traffic_counters>(traffic), nullptr, {}, {}, {}});
  spawned.push_back(caf::actor_cast<caf::actor>(a));
  (*published)[address_of(7001)] = caf::actor_cast<caf::strong_actor_ptr>(a);
  caf::anon_send(a, caf::publish_atom::value, std::uint16_t{7001});
  run();
  auto b = start("b", 7002, 200, {address_of(7001)});
  CHECK(view_of(b).members[0].connections == 7); // from a's hello
  traffic->connections_active = 9;
  advance(c.report_interval);
  CHECK(view_of(b).members[0].connections == 9);
}
