// The outbound queue: bounds, order, partial writes, conflation and the `skipped` count.
#include "gateway/outbound_queue.hpp"

#include <doctest/doctest.h>

#include <string>

using rtd::make_frame;
using rtd::outbound;
using rtd::outbound_queue;
using result = outbound_queue::push_result;

namespace {

/// Everything the queue would write, as one string (as a client would read it).
std::string drain(outbound_queue& q, std::size_t per_write = SIZE_MAX) {
  std::string out;
  iovec buffers[8];
  while (!q.empty()) {
    auto n = q.gather(buffers, 8);
    std::size_t written = 0;
    for (std::size_t i = 0; i < n && written < per_write; ++i) {
      auto take = std::min(buffers[i].iov_len, per_write - written);
      out.append(static_cast<const char*>(buffers[i].iov_base), take);
      written += take;
    }
    q.consume(written);
  }
  return out;
}

/// The JSON payloads of the text frames in `bytes` (server frames: unmasked).
std::vector<std::string> payloads(const std::string& bytes) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t len = static_cast<unsigned char>(bytes[i + 1]) & 0x7F;
    std::size_t header = 2;
    if (len == 126) {
      len = (static_cast<unsigned char>(bytes[i + 2]) << 8) |
            static_cast<unsigned char>(bytes[i + 3]);
      header = 4;
    }
    out.push_back(bytes.substr(i + header, len));
    i += header + len;
  }
  return out;
}

outbound market(std::uint64_t seq) {
  return {make_frame(R"({"seq":)" + std::to_string(seq) + "}"), 0, seq, true};
}

} // namespace

TEST_CASE("bounded in frames and in bytes; an overflow leaves the queue as it was") {
  outbound_queue frames{2, 1000};
  CHECK(frames.push({make_frame("a")}) == result::queued);
  CHECK(frames.push({make_frame("b")}) == result::queued);
  CHECK(frames.push({make_frame("c")}) == result::overflow);
  CHECK(frames.frames() == 2);
  outbound_queue bytes{100, 10};
  CHECK(bytes.push({make_frame("123")}) == result::queued); // 5 bytes with its header
  CHECK(bytes.push({make_frame("123")}) == result::queued);
  CHECK(bytes.push({make_frame("1")}) == result::overflow);
  CHECK(bytes.bytes() == 10);
}

TEST_CASE("frames come out in order, whole, however the socket splits the writes") {
  for (std::size_t per_write : {std::size_t{1}, std::size_t{3}, std::size_t{7}, SIZE_MAX}) {
    outbound_queue q{100, 1 << 20};
    for (int i = 0; i < 10; ++i)
      q.push({make_frame("msg-" + std::to_string(i))});
    auto got = payloads(drain(q, per_write));
    REQUIRE(got.size() == 10);
    for (int i = 0; i < 10; ++i)
      CHECK(got[static_cast<std::size_t>(i)] == "msg-" + std::to_string(i));
    CHECK(q.bytes() == 0);
  }
}

TEST_CASE("a queued latest-value publication gives way to a newer one, in its place") {
  outbound_queue q{100, 1 << 20};
  q.push(market(1));
  drain(q); // seq 1 written: the client has seen it
  q.push(market(2));
  q.push({make_frame("other")});
  CHECK(q.push(market(3)) == result::replaced);
  CHECK(q.push(market(4)) == result::replaced);
  CHECK(q.frames() == 2);
  auto got = payloads(drain(q));
  REQUIRE(got.size() == 2);
  CHECK(got[0] == R"({"seq":4,"skipped":2})"); // 2 and 3 were replaced
  CHECK(got[1] == "other");
}

TEST_CASE("skipped also counts what never reached the queue (a lane that caught up)") {
  outbound_queue q{100, 1 << 20};
  q.push(market(5));
  drain(q);
  q.push(market(9));
  auto got = payloads(drain(q));
  CHECK(got[0] == R"({"seq":9,"skipped":3})");
}

TEST_CASE("an ack resets what the client has seen: no skipped count across subscriptions") {
  outbound_queue q{100, 1 << 20};
  q.push(market(5));
  drain(q);
  q.push({make_frame("unsubscribed"), 0, 0});
  q.push({make_frame("subscribed"), 0, 20}); // the ack reports seq 20
  q.push(market(21));
  auto got = payloads(drain(q));
  REQUIRE(got.size() == 3);
  CHECK(got[2] == R"({"seq":21})");
}

TEST_CASE("nothing is replaced across an ack, a strict frame or a frame being written") {
  outbound_queue q{100, 1 << 20};
  q.push(market(1));
  q.push({make_frame("ack"), 0, 1});
  CHECK(q.push(market(2)) == result::queued);
  iovec buffers[8];
  q.gather(buffers, 8); // both handed to the socket: final
  CHECK(q.push(market(3)) == result::queued);
  outbound strict = market(4);
  strict.conflatable = false;
  CHECK(q.push(strict) == result::queued);
  CHECK(q.push(market(5)) == result::queued);
  CHECK(q.frames() == 6);
}

TEST_CASE("clear drops everything and frees the memory") {
  outbound_queue q{100, 1 << 20};
  for (int i = 0; i < 50; ++i)
    q.push({make_frame("x")});
  q.clear();
  CHECK(q.empty());
  CHECK(q.bytes() == 0);
  CHECK(q.push({make_frame("y")}) == result::queued);
  CHECK(payloads(drain(q)) == std::vector<std::string>{"y"});
}
