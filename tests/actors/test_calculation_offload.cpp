// Calculations handed to another member of the cluster (actors/calculation_offload.hpp): two
// calculation services on one test coordinator stand for two nodes' services, the view the
// cluster actor would send names them. The requester sees the job as if it ran locally; a
// lost worker ends it `failed`; a cancel reaches it there; a lost origin ends it there.
#include "actors/calculation_offload.hpp"
#include "tests/actors/calc_fixture.hpp"

using namespace rtd;
using namespace rtd::test;

namespace {

calculation_service_config hands_over_above(std::size_t running) {
  auto config = calc_fixture::small_chunks();
  config.offload_above = running;
  return config;
}

struct offload_fixture : calc_fixture {
  calculation_service_actor worker;
  std::shared_ptr<metrics::node_metrics> worker_counts = std::make_shared<metrics::node_metrics>(1);

  offload_fixture() : calc_fixture(hands_over_above(1)) {
    worker = sys.spawn(calculation_service, calc_fixture::small_chunks(),
                       channel_of(channels, protocol::channel::calculations),
                       std::shared_ptr<calculation_executor>{executor}, worker_counts);
    members(true);
  }

  ~offload_fixture() { kill(worker); }

  /// The view this node's cluster actor would send: itself, and member "b" up or down.
  void members(bool b_up, std::uint64_t b_running = 0) {
    member_view a{"a", "127.0.0.1:1", 1, true, true, true, 0, {}, {}, 0};
    a.calculations = caf::actor_cast<caf::strong_actor_ptr>(service);
    member_view b{"b", "127.0.0.1:2", 2, b_up, false, false, 0, {}, {}, 0};
    if (b_up) {
      b.calculations = caf::actor_cast<caf::strong_actor_ptr>(worker);
      b.calculations_running = b_running;
    }
    caf::anon_send(service, cluster_view{"a", "a", true, {a, b}});
    sched.run();
  }

  calculation_stats worker_stats() { return ask<calculation_stats>(worker, caf::get_atom::value); }

  /// A client running one long calculation here: the node is at its threshold of one.
  client busy_client() {
    auto c = connect();
    send(c, monte_carlo_request("here", 10'000'000));
    sched.run();
    REQUIRE(stats().running == 1);
    c.sink->take();
    return c;
  }

  /// busy_client(), with a long calculation "there" handed to b.
  client handing_client() {
    auto c = busy_client();
    send(c, monte_carlo_request("there", 10'000'000));
    sched.run();
    REQUIRE(worker_stats().running == 1);
    return c;
  }
};

std::vector<const rapidjson::Document*> of(const std::vector<rapidjson::Document>& frames,
                                           const std::string& id) {
  std::vector<const rapidjson::Document*> out;
  for (const auto& f : frames)
    if (f.HasMember("calculation_id") && str(f, "calculation_id") == id)
      out.push_back(&f);
  return out;
}

} // namespace

TEST_CASE("the least-loaded member takes a job, only when it runs fewer than this node") {
  member_view b{"b", "b:1", 1, true, false, false, 0, {}, {}, 3};
  member_view c{"c", "c:1", 2, true, false, false, 0, {}, {}, 1};
  std::vector<member_view> members{b, c};
  CHECK(least_loaded(members, 4, {})->name == "c");
  CHECK(least_loaded(members, 1, {}) == nullptr);           // nobody runs fewer than 1
  CHECK(least_loaded(members, 4, {{"c", 3}})->name == "b"); // c has 3 from this node since
  CHECK(least_loaded({}, 4, {}) == nullptr);
}

TEST_CASE_FIXTURE(offload_fixture, "over its threshold a node hands a job over; the requester "
                                   "sees it as if it ran here") {
  auto c = busy_client();
  send(c, monte_carlo_request("there", 200'000));
  sched.run();
  CHECK(stats().running == 1); // the first only
  CHECK(worker_stats().running == 1);
  std::vector<rapidjson::Document> seen;
  run_until_status(*c.sink, "completed", seen);
  auto updates = of(seen, "there");
  REQUIRE(updates.size() >= 2);
  CHECK(str(*updates.front(), "status") == "started");
  CHECK(str(*updates.back(), "status") == "completed");
  CHECK((*updates.back())["result"].HasMember("mean_npv"));
  sched.run();
  CHECK(worker_stats().running == 0);
  CHECK(worker_stats().completed == 1);
  CHECK(stats().completed == 1); // and the id is free again here
  send(c, monte_carlo_request("there", 200'000));
  sched.run();
  CHECK(statuses(c.sink->take()).back() == "completed"); // the cached result, at once
}

TEST_CASE_FIXTURE(offload_fixture, "below its threshold, or with no member running fewer, a "
                                   "node runs the job itself") {
  auto c = connect();
  send(c, monte_carlo_request("first", 10'000'000));
  sched.run();
  CHECK(worker_stats().running == 0);
  members(true, 5); // b runs more than this node
  send(c, monte_carlo_request("second", 10'000'000));
  sched.run();
  CHECK(stats().running == 2);
  CHECK(worker_stats().running == 0);
}

TEST_CASE_FIXTURE(offload_fixture, "a lost worker's job ends failed, internal, naming it") {
  auto c = handing_client();
  c.sink->take();
  members(false);
  auto updates = c.sink->take();
  auto there = of(updates, "there");
  REQUIRE(there.size() == 1);
  CHECK(str(*there[0], "status") == "failed");
  CHECK(str((*there[0])["error"], "code") == "internal");
  CHECK(str((*there[0])["error"], "message").find("node b") != std::string::npos);
  CHECK(stats().running == 1);
}

TEST_CASE_FIXTURE(offload_fixture, "a cancel reaches the job on its member, answered once") {
  auto c = handing_client();
  send(c, protocol::cancel_request{"there"}, protocol::correlation_id{std::string{"stop"}});
  sched.run();
  auto frames = c.sink->take();
  auto there = of(frames, "there");
  REQUIRE(!there.empty());
  CHECK(str(*there.back(), "status") == "cancelled");
  CHECK(str(*there.back(), "id") == "stop");
  CHECK(worker_stats().running == 0);
}

TEST_CASE_FIXTURE(offload_fixture, "the origin gone, its member cancels the job it took") {
  auto c = handing_client();
  kill(service); // the origin's node stopped
  service = nullptr;
  CHECK(worker_stats().running == 0);
}
