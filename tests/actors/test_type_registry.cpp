// Messages that cross nodes, through CAF's binary serialisation as the middleman does it: each
// registered type comes back whole, std::optional and std::variant members included, and a
// type that is not registered cannot be sent.
#include "actors/type_registry.hpp"
#include "protocol/codec.hpp"
#include "tests/actors/fixture.hpp"

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

using namespace rtd;
using namespace std::chrono_literals;

namespace {

struct registry_fixture : test::fixture {
  /// `x` as a message, serialised and read back by name, as a remote node would.
  template <class T> T round_trip(T x) {
    std::vector<char> buffer;
    caf::binary_serializer sink{sys, buffer};
    auto out = caf::make_message(std::move(x));
    REQUIRE_FALSE(inspect(sink, out));
    caf::binary_deserializer source{sys, buffer};
    caf::message in;
    REQUIRE_FALSE(inspect(source, in));
    REQUIRE(in.match_elements<T>());
    return in.get_as<T>(0);
  }
};

const protocol::timestamp t0{std::chrono::microseconds{1705314600123456}};
const protocol::publication_header header{protocol::channel::notifications, 7, "ep", t0};

std::string encoded(const protocol::publication_body& body) {
  return protocol::encode_publication(header, body);
}

protocol::calculation_update full_update() {
  protocol::calculation_update u;
  u.calculation_id = "calc-1";
  u.type = protocol::calculation_type::monte_carlo;
  u.status = protocol::calculation_status::cancelled;
  u.time = t0;
  u.progress = 40;
  u.message = "halfway";
  u.result_json = R"({"npv":1.5})";
  u.cached = true;
  u.live = true;
  u.market_seq = 12;
  u.duration_ms = 3.25;
  u.error = protocol::error_code::internal;
  u.error_message = "node b lost";
  u.id = std::int64_t{-9};
  return u;
}

} // namespace

TEST_CASE_FIXTURE(registry_fixture, "every publication body comes back as it went") {
  protocol::market_snapshot snapshot;
  snapshot.values = {0.05, 0.02, 0.03, 1234.5, 0.4};
  protocol::notification alert{protocol::notification_category::alert,
                               protocol::notification_level::warning, "rate above",
                               protocol::alert_details{"a1", protocol::market_indicator::tech_index,
                                                       protocol::alert_condition::below, 1.0, 2.0}};
  protocol::notification plain{protocol::notification_category::cluster,
                               protocol::notification_level::info, "node b is up", std::nullopt};
  protocol::system_status status;
  status.node = "a";
  status.uptime_s = 2.5;
  status.subscribers = {1, 2, 3, 4};
  status.rss_bytes = 99;
  status.nodes = {{"a", "up", true, 3}, {"b", "down", false, 0}};
  status.closed_by_code = {{"1008", 2}};
  protocol::calculation_update bare;
  bare.calculation_id = "calc-2"; // every optional absent, the id a monostate
  protocol::analytics_update trends;
  trends.market_seq = 41;
  trends.indicators[2] = {0.5, 0.4, 0.3, protocol::trend::down, 0.7, 0.01, -1.5};
  for (const protocol::publication_body& body :
       {protocol::publication_body{snapshot}, protocol::publication_body{alert},
        protocol::publication_body{plain}, protocol::publication_body{status},
        protocol::publication_body{full_update()}, protocol::publication_body{bare},
        protocol::publication_body{trends}}) {
    auto back = round_trip(body);
    CHECK(back.index() == body.index());
    CHECK(encoded(back) == encoded(body));
  }
}

TEST_CASE_FIXTURE(registry_fixture, "optional and variant members keep presence and alternative") {
  auto u = round_trip(full_update());
  CHECK(u.progress == 40);
  CHECK(u.message == "halfway");
  CHECK(u.live == true);
  CHECK(u.market_seq == 12u);
  CHECK(u.duration_ms == 3.25);
  CHECK(u.error == protocol::error_code::internal);
  CHECK(std::get<std::int64_t>(u.id) == -9);
  CHECK(u.time == t0);
  protocol::calculation_update bare;
  bare.id = std::string{"cancel-7"};
  auto b = round_trip(bare);
  CHECK_FALSE(b.progress);
  CHECK_FALSE(b.market_seq);
  CHECK_FALSE(b.error);
  CHECK(std::get<std::string>(b.id) == "cancel-7");
  bare.id = std::monostate{};
  CHECK(std::holds_alternative<std::monostate>(round_trip(bare).id));
}

TEST_CASE_FIXTURE(registry_fixture, "client messages and calculation requests come back whole") {
  protocol::calculate_request calc;
  calc.type = protocol::calculation_type::npv;
  calc.parameters.cash_flows = {-100, 60, 70};
  calc.parameters.discount_rate = protocol::rate_input{true, 0.0};
  calc.parameters.iterations = 5000;
  calc.calculation_id = "mine";
  calc.live = true;
  auto c = round_trip(protocol::client_message{std::string{"req-1"}, calc});
  CHECK(std::get<std::string>(c.id) == "req-1");
  const auto& back = std::get<protocol::calculate_request>(c.body);
  CHECK(back.type == protocol::calculation_type::npv);
  CHECK(back.parameters.cash_flows == std::vector<double>{-100, 60, 70});
  REQUIRE(back.parameters.discount_rate);
  CHECK(back.parameters.discount_rate->market);
  CHECK(back.parameters.iterations == 5000u);
  CHECK_FALSE(back.parameters.seed);
  CHECK(back.calculation_id == "mine");
  CHECK(back.live);
  protocol::subscribe_request sub{protocol::channel::system, 41, std::string{"ep"}, false};
  auto s =
      std::get<protocol::subscribe_request>(round_trip(protocol::client_message{{}, sub}).body);
  CHECK(s.target == protocol::channel::system);
  CHECK(s.since_seq == 41u);
  CHECK(s.epoch == "ep");
  CHECK_FALSE(s.conflate);
  CHECK(std::holds_alternative<protocol::ping_request>(
      round_trip(protocol::client_message{std::int64_t{3}, protocol::ping_request{}}).body));
}

TEST_CASE_FIXTURE(registry_fixture, "the cluster's messages come back whole") {
  member_hello hello{1, 2, "b", "127.0.0.1:7002", 123456789, 5, {"127.0.0.1:7001"}, {}, {}, 6};
  auto h = round_trip(join_answer{true, "", hello}).peer;
  CHECK(h.protocol_version == 1);
  CHECK(h.cluster_version == 2);
  CHECK(h.name == "b");
  CHECK(h.address == "127.0.0.1:7002");
  CHECK(h.started == 123456789);
  CHECK(h.connections == 5);
  CHECK(h.members == std::vector<std::string>{"127.0.0.1:7001"});
  CHECK(h.calculations_running == 6);
  auto load = round_trip(member_load{"127.0.0.1:7003", 8, {"x:1", "y:2"}, 3});
  CHECK(load.connections == 8);
  CHECK(load.members.size() == 2);
  CHECK(load.calculations_running == 3);
  protocol::notification posted{protocol::notification_category::system,
                                protocol::notification_level::info, "hello", std::nullopt};
  auto relayed = round_trip(relayed_publication{header, posted, "a", 3});
  CHECK(relayed.header.source == protocol::channel::notifications);
  CHECK(relayed.header.seq == 7);
  CHECK(relayed.header.epoch == "ep");
  CHECK(relayed.header.time == t0);
  CHECK(std::get<protocol::notification>(relayed.body).message == "hello");
  CHECK(relayed.origin == "a");
  CHECK(relayed.ticket == 3);
  auto forwarded = round_trip(forwarded_publication{posted, "c", 0});
  CHECK(forwarded.origin == "c");
  CHECK(std::get<protocol::notification>(forwarded.body).message == "hello");
  cluster_view view{"a", "a", true, {{"a", "127.0.0.1:7001", 1, true, true, true, 4, {}, {}, 2}}};
  auto v = round_trip(view);
  REQUIRE(v.members.size() == 1);
  CHECK(v.members[0].leader);
  CHECK(v.members[0].connections == 4);
  CHECK(v.members[0].calculations_running == 2);
  calculation_stats figures;
  figures.failed = 7;
  figures.avg_ms = 8.5;
  figures.refused = 2;
  auto stats = round_trip(figures);
  CHECK(stats.avg_ms == 8.5);
  CHECK(stats.failed == 7);
  CHECK(stats.refused == 2);
  auto outcome = round_trip(
      job_outcome{4, protocol::calculation_status::failed, 1.5, std::string{"{}"}, true});
  CHECK(outcome.job == 4);
  CHECK(outcome.status == protocol::calculation_status::failed);
  CHECK(outcome.result_json == "{}");
  CHECK(outcome.lost);
  auto step = round_trip(market_step{9, {}});
  CHECK(step.seq == 9);
}

TEST_CASE_FIXTURE(registry_fixture, "what a calculation handed to another member needs comes back "
                                    "whole") {
  offloaded_calculation c;
  c.job = 12;
  c.calculation_id = "mc";
  c.request.type = protocol::calculation_type::forecast;
  c.inputs = {{0.05, 0.2, {1.0, 2.0}}, 30};
  auto taken = round_trip(c);
  CHECK(taken.job == 12);
  CHECK(taken.calculation_id == "mc");
  CHECK(taken.request.type == protocol::calculation_type::forecast);
  CHECK(taken.inputs.inputs == c.inputs.inputs);
  CHECK(taken.inputs.market_seq == 30);
  CHECK(round_trip(offload_answer{nullptr, "full"}).refusal == "full");
  auto updates = round_trip(offloaded_updates{12, {full_update()}});
  REQUIRE(updates.updates.size() == 1);
  CHECK(updates.updates[0].error_message == "node b lost");
  auto cancel = round_trip(offloaded_cancel{std::string{"x"}});
  CHECK(std::get<std::string>(cancel.id) == "x");
  auto event = round_trip(live_calculation_event{live_calculation_event::kind::completed, 12, "mc",
                                                 protocol::calculation_type::npv, "{}"});
  CHECK(event.what == live_calculation_event::kind::completed);
  CHECK(event.result_json == "{}");
}

TEST_CASE("a type that is not registered cannot be serialised") {
  caf::actor_system_config cfg; // no register_types
  cfg.set("logger.verbosity", caf::atom("quiet"));
  caf::actor_system sys{cfg};
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  auto msg = caf::make_message(member_load{"127.0.0.1:7003", 1, {}});
  CHECK(inspect(sink, msg) == caf::sec::unknown_type);
}
