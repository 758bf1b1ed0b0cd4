// hiredis's async API on Asio through asio_adapter, against a scripted server: replies reach
// their callbacks, a write larger than the socket's buffer goes out in parts, a server that
// closes ends the context, and freeing a context with a command in flight ends every wait (the
// io_context runs out of work: nothing of the adapter is left behind).
#include "redis/asio_adapter.hpp"
#include "tests/redis/fake_redis.hpp"

#include <doctest/doctest.h>
#include <hiredis/async.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using rtd::test::fake_redis;
using rtd::test::resp;
using rtd::test::script;

namespace {

constexpr auto deadline = std::chrono::seconds(10);

/// What the callbacks saw.
struct record {
  std::optional<int> connected; ///< the connect callback's status
  std::optional<int> disconnected;
  std::string disconnect_reason;
  std::vector<std::string> replies; ///< "null" for a callback without reply
};

record* of(const redisAsyncContext* ac) {
  return static_cast<record*>(ac->data);
}

void on_connect(const redisAsyncContext* ac, int status) {
  of(ac)->connected = status;
}

void on_disconnect(const redisAsyncContext* ac, int status) {
  of(ac)->disconnected = status;
  of(ac)->disconnect_reason = ac->c.errstr;
}

void on_reply(redisAsyncContext* ac, void* reply, void*) {
  auto* r = static_cast<redisReply*>(reply);
  of(ac)->replies.push_back(r ? std::string{r->str, r->len} : "null");
}

redisAsyncContext* connect(boost::asio::io_context& io, std::uint16_t port, record& rec) {
  auto* ac = redisAsyncConnect("127.0.0.1", port);
  REQUIRE(ac != nullptr);
  REQUIRE(ac->err == 0);
  ac->data = &rec;
  REQUIRE(rtd::redis::attach(ac, io));
  CHECK_FALSE(rtd::redis::attach(ac, io)); // once only
  redisAsyncSetConnectCallback(ac, on_connect);
  redisAsyncSetDisconnectCallback(ac, on_disconnect);
  return ac;
}

} // namespace

TEST_CASE("replies reach their callbacks in order; a closing server ends the context") {
  boost::asio::io_context io;
  fake_redis server{io};
  std::string big(8 << 20, 'x'); // far more than a loopback socket buffer holds
  server.then(script{{{resp({"PING"}), "+PONG\r\n"},
                      {resp({"SET", "k", big}), "+OK\r\n"},
                      {resp({"GET", "k"}), "$5\r\nvalue\r\n"}},
                     true});
  record rec;
  auto* ac = connect(io, server.port(), rec);
  redisAsyncCommand(ac, on_reply, nullptr, "PING");
  redisAsyncCommand(ac, on_reply, nullptr, "SET k %b", big.data(), big.size());
  redisAsyncCommand(ac, on_reply, nullptr, "GET k");
  server.listen();
  io.run_for(deadline);
  CHECK(io.stopped()); // ran out of work: no wait of the adapter outlived the context
  CHECK(rec.connected == REDIS_OK);
  CHECK(rec.replies == std::vector<std::string>{"PONG", "OK", "value"});
  REQUIRE(rec.disconnected);
  CHECK(*rec.disconnected == REDIS_ERR);
  CHECK(rec.disconnect_reason.find("closed") != std::string::npos);
}

TEST_CASE("a refused connection reports REDIS_ERR to the connect callback") {
  boost::asio::io_context io;
  std::uint16_t port = 0;
  {
    fake_redis gone{io}; // a port nobody listens on any more
    port = gone.port();
  }
  record rec;
  auto* ac = redisAsyncConnect("127.0.0.1", port);
  REQUIRE(ac != nullptr);
  if (ac->err) { // refused at once by the kernel: hiredis says so before any event
    CHECK(std::string{ac->errstr}.find("refused") != std::string::npos);
    redisAsyncFree(ac);
    return;
  }
  ac->data = &rec;
  REQUIRE(rtd::redis::attach(ac, io));
  redisAsyncSetConnectCallback(ac, on_connect);
  redisAsyncSetDisconnectCallback(ac, on_disconnect);
  io.run_for(deadline);
  CHECK(io.stopped());
  CHECK(rec.connected == REDIS_ERR);
  CHECK_FALSE(rec.disconnected); // never connected: hiredis frees it without a disconnect
}

TEST_CASE("freeing a context in a callback, with a command in flight, calls back with no reply") {
  boost::asio::io_context io;
  fake_redis server{io};
  server.then(script{{{resp({"PING"}), "+PONG\r\n"}}, false}); // BLPOP is never answered
  server.listen();
  record rec;
  auto* ac = connect(io, server.port(), rec);
  // hiredis frees it once this callback returns.
  auto free_after = [](redisAsyncContext* c, void* reply, void* privdata) {
    on_reply(c, reply, privdata);
    redisAsyncFree(c);
  };
  redisAsyncCommand(ac, free_after, nullptr, "PING");
  redisAsyncCommand(ac, on_reply, nullptr, "BLPOP q 0");
  io.run_for(deadline);
  CHECK(io.stopped());
  CHECK(rec.replies == std::vector<std::string>{"PONG", "null"});
  CHECK(rec.disconnected == REDIS_OK); // freed by its owner
}
