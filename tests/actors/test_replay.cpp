// Recovery replayed from the ring and the history store: in order, no gap, no duplicate,
// while publications keep arriving; paced by the client's reading, so a recovery much larger
// than the outbound bound completes for a client that reads and stalls (without growing)
// for one that does not; across a restart of the channel.
#include "tests/actors/bounded_sink.hpp"
#include "tests/actors/history_fixture.hpp"

using namespace rtd;
using protocol::channel;
using rtd::test::bounded_sink;
using rtd::test::publication_seqs;
using rtd::test::range;

namespace {

/// Chunks of 8 frames: a replay of hundreds takes many rounds.
replay_limits small_chunks() {
  replay_limits l;
  l.chunk_frames = 8;
  l.chunk_bytes = 4096;
  return l;
}

struct replay_fixture : rtd::test::history_fixture {
  replay_fixture() { restart(channel::notifications, 16, "e1", 0, small_chunks()); }

  std::shared_ptr<bounded_sink> sink = std::make_shared<bounded_sink>(64, 1 << 20);
  session_actor client = session_on(sink);

  void subscribe(std::optional<std::uint64_t> since_seq, std::string epoch = "e1") {
    send(client, protocol::subscribe_request{channel::notifications, since_seq, std::move(epoch)});
    run();
  }

  const rapidjson::Value& ack() const {
    REQUIRE_FALSE(sink->received.empty());
    const auto& a = sink->received.front();
    REQUIRE(std::string{a["type"].GetString()} == "subscribed");
    return a;
  }

  std::uint64_t subscribers() {
    return ask<std::uint64_t>(channel_of(channels, channel::notifications), caf::get_atom::value);
  }

  /// The client reads, the channel feeds the next chunk, `publish_each` more publications
  /// arrive meanwhile; until the client is among the subscribers. Returns the rounds.
  int read_until_live(int& published, int publish_each) {
    int rounds = 0;
    while (subscribers() == 0) {
      REQUIRE(++rounds < 10'000);
      sink->read();
      run();
      notify_range(published + 1, published + publish_each);
      published += publish_each;
    }
    return rounds;
  }
};

} // namespace

TEST_CASE_FIXTURE(replay_fixture, "a recovery beyond the ring comes from the store, then the "
                                  "ring, then live, while publications keep arriving") {
  int published = 200;
  notify_range(1, published);
  subscribe(10);
  auto rounds = read_until_live(published, 3);
  CHECK(rounds > 20); // paced: many chunks
  notify_range(published + 1, published + 5);
  published += 5;
  sink->read();
  CHECK(ack()["recovered"].GetBool());
  CHECK(ack()["seq"].GetUint64() == 200);
  CHECK(publication_seqs(sink->received) == range(11, published));
  CHECK_FALSE(sink->closed);
  // At most a chunk of replay queued, besides the live ones published since the last read.
  CHECK(sink->most_frames <= 1 + small_chunks().chunk_frames + 3 + 5);
}

TEST_CASE_FIXTURE(replay_fixture, "a recovery many times the outbound bound completes for a "
                                  "client that reads") {
  int published = 3000;
  for (std::uint64_t seq = 1; seq <= 3000; ++seq) // straight to the channel: faster
    caf::anon_send(channel_of(channels, channel::notifications),
                   protocol::publication_body{protocol::notification{}});
  run();
  subscribe(0);
  read_until_live(published, 0);
  sink->read();
  CHECK(publication_seqs(sink->received) == range(1, 3000));
  CHECK_FALSE(sink->overflowed); // 3000 frames through a queue of 64
}

TEST_CASE_FIXTURE(replay_fixture, "a client that stops reading holds one chunk and is not fed") {
  notify_range(1, 100);
  subscribe(0);
  CHECK(sink->queued() == 1 + small_chunks().chunk_frames); // the ack and one chunk
  notify_range(101, 200);
  CHECK(sink->queued() == 1 + small_chunks().chunk_frames);
  CHECK_FALSE(sink->closed);
  CHECK(subscribers() == 0);
  // Reading again resumes where it stopped.
  int published = 200;
  read_until_live(published, 0);
  sink->read();
  CHECK(publication_seqs(sink->received) == range(1, 200));
}

TEST_CASE_FIXTURE(replay_fixture, "unsubscribe during a replay ends it: nothing after the ack") {
  notify_range(1, 100);
  subscribe(0);
  sink->read();
  run();
  send(client, protocol::unsubscribe_request{channel::notifications});
  run();
  sink->read();
  run();
  notify_range(101, 110);
  sink->read();
  const auto& last = sink->received.back();
  CHECK(std::string{last["type"].GetString()} == "unsubscribed");
  auto seqs = publication_seqs(sink->received);
  CHECK(seqs == range(1, seqs.size()));
  CHECK(subscribers() == 0);
}

TEST_CASE_FIXTURE(replay_fixture, "a subscriber recovers across a restart of the channel") {
  notify_range(1, 30);
  flush();
  // The node restarts: the channel continues from the store's head, with an empty ring.
  auto head = db->head("notifications");
  REQUIRE(head);
  CHECK(head->seq == 30);
  restart(channel::notifications, 16, head->epoch, head->seq, small_chunks());
  notify_range(31, 35);
  subscribe(20, head->epoch);
  int published = 35;
  read_until_live(published, 1);
  sink->read();
  CHECK(ack()["recovered"].GetBool());
  CHECK(std::string{ack()["epoch"].GetString()} == "e1");
  CHECK(publication_seqs(sink->received) == range(21, published));
}

TEST_CASE("a recovery from before what the store keeps starts afresh") {
  auto config = rtd::test::small_batches();
  config.retention[static_cast<std::size_t>(channel::notifications)] = {std::chrono::seconds(0), 20,
                                                                        0};
  rtd::test::history_fixture f{config, 4};
  f.notify_range(1, 50);
  auto sink = std::make_shared<bounded_sink>(64, 1 << 20);
  auto client = f.session_on(sink);
  f.send(client, protocol::subscribe_request{channel::notifications, 5, "e1"});
  f.run();
  sink->read();
  REQUIRE(sink->received.size() == 1);
  CHECK_FALSE(sink->received[0]["recovered"].GetBool());
  CHECK(sink->received[0]["seq"].GetUint64() == 50);
  f.notify(51);
  sink->read();
  CHECK(publication_seqs(sink->received) == std::vector<std::uint64_t>{51});
  // From what the store still holds, it recovers.
  auto again = std::make_shared<bounded_sink>(64, 1 << 20);
  auto other = f.session_on(again);
  f.send(other, protocol::subscribe_request{channel::notifications, 40, "e1"});
  f.run();
  for (int i = 0; i < 10; ++i) {
    again->read();
    f.run();
  }
  CHECK(again->received[0]["recovered"].GetBool());
  CHECK(publication_seqs(again->received) == range(41, 51));
}
