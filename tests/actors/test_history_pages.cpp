// History pages answer the same from the store and from a channel's ring: since_seq pages
// forward, no since_seq gives the newest, from/to are inclusive, has_more is exact, and a
// page is cut at its byte bound. And a `history` request through a session gets that page.
#include "actors/history_pages.hpp"
#include "tests/actors/history_fixture.hpp"

using namespace rtd;
using rtd::test::range;

namespace {

constexpr std::int64_t step_us = 1000; // publication n is stamped n ms after 1970

struct pages_fixture {
  store::test::temp_dir dir;
  store::history_db db = std::move(store::history_db::open(dir.str())).value();
  publication_ring ring{1000};

  pages_fixture() {
    auto batch = store::test::make_batch("notifications", "e1", 1, 50, step_us, 100);
    REQUIRE(db.write_batch(batch));
    for (const auto& p : batch)
      ring.push({p.seq, protocol::timestamp{std::chrono::microseconds{p.time_us}},
                 make_frame(p.frame.view())});
  }

  /// Both answers, checked equal; returns the seqs and has_more.
  std::pair<std::vector<std::uint64_t>, bool> page(const history_query& q) {
    auto stored = store_page(db, q);
    REQUIRE(stored);
    auto held = ring_page(ring, q);
    REQUIRE(stored->items.size() == held.items.size());
    std::vector<std::uint64_t> seqs;
    for (std::size_t i = 0; i < held.items.size(); ++i) {
      CHECK(stored->items[i].seq == held.items[i].seq);
      CHECK(stored->items[i].data->payload() == held.items[i].data->payload());
      seqs.push_back(held.items[i].seq);
    }
    CHECK(stored->has_more == held.has_more);
    return {seqs, held.has_more};
  }
};

history_query query(std::optional<std::uint64_t> since, std::uint32_t limit,
                    std::optional<std::int64_t> from = {}, std::optional<std::int64_t> to = {}) {
  history_query q;
  q.channel = protocol::channel::notifications;
  q.epoch = "e1";
  q.since_seq = since;
  q.limit = limit;
  q.from_us = from;
  q.to_us = to;
  return q;
}

std::pair<std::vector<std::uint64_t>, bool> expect(std::vector<std::uint64_t> seqs, bool more) {
  return {std::move(seqs), more};
}

} // namespace

TEST_CASE_FIXTURE(pages_fixture, "without since_seq: the newest, has_more exact") {
  CHECK(page(query({}, 10)) == expect(range(41, 50), true));
  CHECK(page(query({}, 49)) == expect(range(2, 50), true));
  CHECK(page(query({}, 50)) == expect(range(1, 50), false));
  CHECK(page(query({}, 1000)) == expect(range(1, 50), false));
}

TEST_CASE_FIXTURE(pages_fixture, "with since_seq: the oldest after it, has_more exact") {
  CHECK(page(query(0, 10)) == expect(range(1, 10), true));
  CHECK(page(query(39, 10)) == expect(range(40, 49), true));
  CHECK(page(query(40, 10)) == expect(range(41, 50), false));
  CHECK(page(query(49, 1)) == expect({50}, false));
  CHECK(page(query(50, 10)) == expect({}, false));
  CHECK(page(query(500, 10)) == expect({}, false));
}

TEST_CASE_FIXTURE(pages_fixture, "from and to are inclusive, alone or together") {
  CHECK(page(query({}, 100, 10 * step_us, 20 * step_us)) == expect(range(10, 20), false));
  CHECK(page(query({}, 5, 10 * step_us, 20 * step_us)) == expect(range(16, 20), true));
  CHECK(page(query(12, 5, 10 * step_us, 20 * step_us)) == expect(range(13, 17), true));
  CHECK(page(query(15, 5, 10 * step_us, 20 * step_us)) == expect(range(16, 20), false));
  CHECK(page(query({}, 100, 45 * step_us)) == expect(range(45, 50), false));
  CHECK(page(query({}, 100, {}, 3 * step_us)) == expect(range(1, 3), false));
  CHECK(page(query({}, 100, 10 * step_us + 1, 11 * step_us - 1)) == expect({}, false));
  CHECK(page(query({}, 100, 11 * step_us, 11 * step_us)) == expect({11}, false));
}

TEST_CASE_FIXTURE(pages_fixture, "a page is cut at its byte bound, keeping at least one item") {
  auto q = query(0, 100);
  q.max_bytes = 350; // three frames of 100 bytes fit
  CHECK(page(q) == expect(range(1, 3), true));
  q = query({}, 100);
  q.max_bytes = 350;
  CHECK(page(q) == expect(range(48, 50), true));
  q = query(49, 100);
  q.max_bytes = 10;
  CHECK(page(q) == expect({50}, false)); // one item over the bound is still served
  q = query(40, 100);
  q.max_bytes = 10;
  CHECK(page(q) == expect({41}, true));
}

TEST_CASE_FIXTURE(rtd::test::history_fixture, "a history request gets the channel's page") {
  notify_range(1, 30);
  auto c = connect();
  send(c, protocol::history_request{protocol::channel::notifications, 20, {}, {}, 5},
       protocol::correlation_id{std::string{"h"}});
  run();
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  const auto& reply = frames[0];
  CHECK(rtd::test::str(reply, "type") == "history");
  CHECK(rtd::test::str(reply, "id") == "h");
  CHECK(rtd::test::str(reply, "channel") == "notifications");
  CHECK(reply["has_more"].GetBool());
  const auto& items = reply["items"];
  REQUIRE(items.Size() == 5);
  for (rapidjson::SizeType i = 0; i < items.Size(); ++i) {
    CHECK(items[i]["seq"].GetUint64() == 21 + i);
    CHECK(rtd::test::str(items[i], "message") == "n" + std::to_string(21 + i));
  }
  kill(c.actor); // its request's timeout is still pending
}

TEST_CASE_FIXTURE(rtd::test::node_fixture, "without history on disk the ring answers") {
  for (int n = 1; n <= 5; ++n)
    caf::anon_send(channel_of(channels, protocol::channel::notifications),
                   protocol::publication_body{protocol::notification{}});
  run();
  auto c = connect();
  send(c, protocol::history_request{protocol::channel::notifications, {}, {}, {}, 3});
  run();
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0]["items"].Size() == 3);
  CHECK(frames[0]["items"][0]["seq"].GetUint64() == 3);
  CHECK(frames[0]["has_more"].GetBool());
  kill(c.actor);
}
