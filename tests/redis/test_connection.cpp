// redis::connection against a scripted server: the handshake (AUTH, SELECT, PING), replies in
// order, subscriptions, and every way of going down (closed, refused, silent, overdue) followed
// by a retry.
#include "redis/connection.hpp"
#include "tests/redis/fake_redis.hpp"

#include <doctest/doctest.h>
#include <hiredis/hiredis.h>

#include <string>
#include <vector>

using rtd::test::fake_redis;
using rtd::test::resp;
using rtd::test::script;

namespace {

constexpr auto deadline = std::chrono::seconds(10);

/// Everything a connection reported, as text, in order.
struct journal {
  std::vector<std::string> events;

  rtd::redis::connection_events hooks(std::function<void(journal&)> after = {}) {
    auto note = [this, after](std::string e) {
      events.push_back(std::move(e));
      if (after)
        after(*this);
    };
    return {[note] { note("up"); }, [note](const std::string& why) { note("down: " + why); },
            [note](const redisReply* r) {
              note(r ? "reply: " + std::string{r->str, r->len} : "reply: null");
            },
            [note](std::string_view channel) { note("subscribed: " + std::string{channel}); },
            [note](std::string_view channel, std::string_view payload) {
              note("message: " + std::string{channel} + " " + std::string{payload});
            }};
  }

  std::size_t count(std::string_view prefix) const {
    std::size_t n = 0;
    for (const auto& e : events)
      n += e.rfind(prefix, 0) == 0;
    return n;
  }
};

rtd::redis::connection_config config_for(std::uint16_t port) {
  rtd::redis::connection_config c;
  c.where = {"127.0.0.1", port, 0};
  c.initial_backoff = std::chrono::milliseconds(1);
  c.max_backoff = std::chrono::milliseconds(4);
  c.timeout = std::chrono::milliseconds(200);
  c.role = "test";
  return c;
}

const std::string pong = "+PONG\r\n";

} // namespace

TEST_CASE("ready after PING; replies in order; a closed connection reconnects") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{{{resp({"PING"}), pong}, {resp({"ECHO", "a"}), "$1\r\na\r\n"}}, true});
  server.then(script{{{resp({"PING"}), pong}}, false});
  server.listen();
  journal j;
  rtd::redis::connection* conn = nullptr;
  rtd::redis::connection c{io, config_for(server.port()), j.hooks([&](journal& jj) {
                             if (jj.events.back() == "up" && jj.count("up") == 1)
                               CHECK(conn->send({"ECHO", "a"}));
                             if (jj.count("up") == 2)
                               io.stop();
                           })};
  conn = &c;
  CHECK_FALSE(c.ready());
  CHECK_FALSE(c.send({"PING"})); // not before the handshake
  c.start();
  io.run_for(deadline);
  REQUIRE(j.events.size() == 4);
  CHECK(j.events[0] == "up");
  CHECK(j.events[1] == "reply: a");
  CHECK(j.events[2] == "down: Server closed the connection");
  CHECK(j.events[3] == "up");
  CHECK(c.ready());
  CHECK(c.pending() == 0);
  CHECK(server.accepted() == 2);
}

TEST_CASE("AUTH and SELECT come before PING; a refused AUTH is the reason given") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(
      script{{{resp({"AUTH", "pw"}), "-WRONGPASS invalid username-password pair\r\n"}}, false});
  server.then(script{{{resp({"AUTH", "pw"}), "+OK\r\n"},
                      {resp({"SELECT", "3"}), "+OK\r\n"},
                      {resp({"PING"}), pong}},
                     false});
  server.listen();
  auto config = config_for(server.port());
  config.password = "pw";
  config.where.db = 3;
  journal j;
  rtd::redis::connection c{io, config, j.hooks([&](journal& jj) {
                             if (jj.events.back() == "up")
                               io.stop();
                           })};
  c.start();
  io.run_for(deadline);
  REQUIRE(j.events.size() == 2);
  CHECK(j.events[0] == "down: AUTH refused: WRONGPASS invalid username-password pair");
  CHECK(j.events[1] == "up");
}

TEST_CASE("a server that never answers the handshake is lost after the timeout") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{{{"never", ""}}, false});
  server.then(script{{{resp({"PING"}), pong}}, false});
  server.listen();
  journal j;
  rtd::redis::connection c{io, config_for(server.port()), j.hooks([&](journal& jj) {
                             if (jj.events.back() == "up")
                               io.stop();
                           })};
  c.start();
  io.run_for(deadline);
  REQUIRE(j.events.size() == 2);
  CHECK(j.events[0] == "down: no answer within 200 ms");
  CHECK(j.events[1] == "up");
}

TEST_CASE("a reply overdue once ready loses the connection; the command comes back null") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{{{resp({"PING"}), pong}}, false}); // BLPOP is never answered
  server.listen();
  journal j;
  rtd::redis::connection* conn = nullptr;
  rtd::redis::connection c{io, config_for(server.port()), j.hooks([&](journal& jj) {
                             if (jj.events.back() == "up")
                               CHECK(conn->send({"BLPOP", "q", "0"}));
                             if (jj.events.back().rfind("down", 0) == 0)
                               io.stop();
                           })};
  conn = &c;
  c.start();
  io.run_for(deadline);
  REQUIRE(j.events.size() == 3);
  CHECK(j.events[0] == "up");
  CHECK(j.events[1] == "reply: null"); // lost with the connection, before it says so
  CHECK(j.events[2] == "down: no reply within 200 ms");
  CHECK(c.pending() == 0);
}

TEST_CASE("subscribe: each channel's confirmation, then its messages") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(
      script{{{resp({"PING"}), pong},
              {resp({"SUBSCRIBE", "a", "b"}), "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
                                              "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
                                              "*3\r\n$7\r\nmessage\r\n$1\r\nb\r\n$5\r\nhello\r\n"}},
             false});
  server.listen();
  journal j;
  rtd::redis::connection* conn = nullptr;
  rtd::redis::connection c{io, config_for(server.port()), j.hooks([&](journal& jj) {
                             if (jj.events.back() == "up")
                               CHECK(conn->subscribe({"a", "b"}));
                             if (jj.events.back().rfind("message", 0) == 0)
                               io.stop();
                           })};
  conn = &c;
  CHECK_FALSE(c.subscribe({"a"})); // not before the handshake
  c.start();
  io.run_for(deadline);
  CHECK(j.events ==
        std::vector<std::string>{"up", "subscribed: a", "subscribed: b", "message: b hello"});
}

TEST_CASE("a refused connection is retried, each failure reported") {
  boost::asio::io_context io;
  std::uint16_t port = 0;
  {
    fake_redis gone{io};
    port = gone.port();
  }
  journal j;
  rtd::redis::connection c{io, config_for(port), j.hooks([&](journal& jj) {
                             if (jj.count("down") == 3)
                               io.stop();
                           })};
  c.start();
  io.run_for(deadline);
  REQUIRE(j.events.size() == 3);
  for (const auto& e : j.events)
    CHECK(e == "down: Connection refused");
  CHECK_FALSE(c.ready());
}
