// redis_sink on a real redis::connection to the scripted server: publications become PUBLISH
// (and XADD) of their exact JSON, acks and direct replies never do; in-flight commands are
// bounded in frames and bytes; drops, refusals and drains are counted and reported.
#include "actors/redis_sink.hpp"
#include "protocol/codec.hpp"
#include "tests/redis/fake_redis.hpp"

#include <doctest/doctest.h>

using namespace rtd;
using rtd::test::fake_redis;
using rtd::test::resp;
using rtd::test::script;

namespace {

constexpr auto deadline = std::chrono::seconds(10);
const std::string pong = "+PONG\r\n";

/// A sink publishing through a connection to `server`, all on `io`.
struct egress {
  egress(boost::asio::io_context& io, std::uint16_t port, redis_egress_config limits)
      : lane(std::make_shared<redis_lane>(io)), publisher(io, config_for(port),
                                                          {[this] { up(); },
                                                           [](const std::string&) {},
                                                           [this](const redisReply* r) {
                                                             sink->on_reply(r);
                                                             replied();
                                                           },
                                                           {},
                                                           {}}),
        sink(std::make_shared<redis_sink>(lane, publisher, limits, counters)) {}

  static redis::connection_config config_for(std::uint16_t port) {
    redis::connection_config c;
    c.where = {"127.0.0.1", port, 0};
    c.role = "test";
    return c;
  }

  std::shared_ptr<redis_counters> counters = std::make_shared<redis_counters>();
  std::shared_ptr<redis_lane> lane;
  redis::connection publisher;
  std::shared_ptr<redis_sink> sink;
  std::function<void()> up = [] {};
  std::function<void()> replied = [] {};
};

outbound publication(protocol::channel c, std::uint64_t seq, std::string_view text) {
  return {make_frame(text), static_cast<std::int8_t>(c), seq, false};
}

std::uint64_t value(const std::atomic<std::uint64_t>& counter) {
  return counter.load();
}

const std::string note_json =
    R"({"type":"notification","notification_type":"info","level":"info","message":"m",)"
    R"("timestamp":"2024-01-15T10:30:00.000000Z","channel":"notifications","seq":4,"epoch":"e"})";

} // namespace

TEST_CASE("a publication is PUBLISHed byte for byte; acks and direct replies are not") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{
      {{resp({"PING"}), pong}, {resp({"PUBLISH", "rtd:notifications", note_json}), ":1\r\n"}},
      false});
  server.listen();
  egress e{io, server.port(), {}};
  auto ch = protocol::channel::notifications;
  e.up = [&] {
    auto ack = protocol::encode(protocol::subscribed{{}, ch, 3, "e", std::nullopt});
    auto bye = protocol::encode(protocol::unsubscribed{{}, ch});
    auto error = protocol::encode(
        protocol::error_reply{{}, protocol::error_code::forbidden, "no", "subscribe", {}});
    e.sink->send({publication(ch, 3, ack), outbound{make_frame(error)},
                  publication(ch, 4, note_json), publication(ch, 0, bye)});
  };
  e.replied = [&] { io.stop(); };
  e.publisher.start();
  io.run_for(deadline);
  CHECK(value(e.counters->published) == 1);
  CHECK(server.unmatched().empty()); // nothing but the one PUBLISH was sent
  CHECK(value(e.counters->failed) == 0);
}

TEST_CASE("with a stream length, each publication is also XADDed, capped") {
  boost::asio::io_context io;
  fake_redis server{io};
  const std::string json = R"({"type":"market_update","channel":"market_data","seq":9})";
  server.then(
      script{{{resp({"PING"}), pong},
              {resp({"PUBLISH", "rtd:market_data", json}), ":0\r\n"},
              {resp({"XADD", "rtd:stream:market_data", "MAXLEN", "~", "50", "*", "data", json}),
               "$3\r\n1-0\r\n"}},
             false});
  server.listen();
  egress e{io, server.port(), {4096, 1 << 20, 50}};
  e.up = [&] { e.sink->send({publication(protocol::channel::market_data, 9, json)}); };
  e.replied = [&] {
    if (value(e.counters->streamed) == 1)
      io.stop();
  };
  e.publisher.start();
  io.run_for(deadline);
  CHECK(value(e.counters->published) == 1);
  CHECK(value(e.counters->streamed) == 1);
}

TEST_CASE("beyond the frames or bytes in flight, publications are dropped and counted") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{{{resp({"PING"}), pong}}, false}); // never answers a PUBLISH
  server.listen();
  SUBCASE("frames") {
    egress e{io, server.port(), {2, 1 << 20, 0}};
    e.up = [&] {
      std::vector<outbound> five;
      for (std::uint64_t seq = 1; seq <= 5; ++seq)
        five.push_back(publication(protocol::channel::market_data, seq, note_json));
      e.sink->send(std::move(five));
      e.lane->execute([&] { io.stop(); }); // after the sink took them
    };
    e.publisher.start();
    io.run_for(deadline);
    CHECK(e.publisher.pending() == 2);
    CHECK(value(e.counters->queue_full) == 3);
  }
  SUBCASE("bytes") {
    egress e{io, server.port(), {100, note_json.size() * 2, 0}};
    e.up = [&] {
      for (std::uint64_t seq = 1; seq <= 3; ++seq)
        e.sink->send({publication(protocol::channel::notifications, seq, note_json)});
      e.lane->execute([&] { io.stop(); });
    };
    e.publisher.start();
    io.run_for(deadline);
    CHECK(e.publisher.pending() == 2);
    CHECK(value(e.counters->queue_full) == 1);
  }
}

TEST_CASE("while the connection is down, publications are dropped as disconnected") {
  boost::asio::io_context io;
  egress e{io, 1, {}}; // never started
  e.sink->send({publication(protocol::channel::notifications, 1, note_json),
                publication(protocol::channel::notifications, 2, note_json)});
  e.lane->execute([&] { io.stop(); });
  io.run_for(deadline);
  CHECK(value(e.counters->disconnected) == 2);
  CHECK(value(e.counters->published) == 0);
}

TEST_CASE("a refused command counts as failed; a drain watch fires once all are answered") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(
      script{{{resp({"PING"}), pong},
              {resp({"PUBLISH", "rtd:notifications", note_json}), ":1\r\n"},
              {resp({"PUBLISH", "rtd:notifications", note_json}), "-OOM command not allowed\r\n"}},
             false});
  server.listen();
  egress e{io, server.port(), {}};
  bool drained = false;
  e.up = [&] {
    auto ch = protocol::channel::notifications;
    e.sink->send({publication(ch, 1, note_json), publication(ch, 2, note_json)});
    e.sink->when_drained(0, [&] {
      drained = true;
      io.stop();
    });
  };
  e.publisher.start();
  io.run_for(deadline);
  CHECK(drained);
  CHECK(value(e.counters->published) == 1);
  CHECK(value(e.counters->failed) == 1);
}

TEST_CASE("an inactive sink (not the cluster's leader) publishes nothing") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{{{resp({"PING"}), pong}}, false});
  server.listen();
  egress e{io, server.port(), {}};
  e.sink->set_active(false);
  e.up = [&] {
    e.sink->send({publication(protocol::channel::notifications, 1, note_json)});
    e.lane->execute([&] { io.stop(); });
  };
  e.publisher.start();
  io.run_for(deadline);
  CHECK(e.publisher.pending() == 0);
  CHECK(value(e.counters->published) + value(e.counters->disconnected) +
            value(e.counters->queue_full) ==
        0);
}

TEST_CASE("a detached lane drops what is sent afterwards") {
  boost::asio::io_context io;
  egress e{io, 1, {}};
  e.lane->detach();
  e.sink->send({publication(protocol::channel::notifications, 1, note_json)});
  CHECK(io.poll() == 0); // nothing was posted
  CHECK(value(e.counters->disconnected) == 0);
}
