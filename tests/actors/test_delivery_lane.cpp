// delivery_lane::publish: a lane that falls behind skips stale publications for conflating
// subscribers only, serves large audiences in slices, each subscriber the newest publication at
// its turn, and keeps every job in order.
#include "tests/actors/fixture.hpp"

#include <deque>

using namespace rtd;

namespace {

/// A lane whose jobs wait until the test runs them: a lane that has fallen behind.
class deferred_lane : public delivery_lane {
public:
  void execute(std::function<void()> job) override { jobs_.push_back(std::move(job)); }

  void run_one() {
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    job();
  }

  void run_all() {
    while (!jobs_.empty())
      run_one();
  }

private:
  std::deque<std::function<void()>> jobs_;
};

/// Records the seqs it is handed.
class seq_sink : public frame_sink {
public:
  explicit seq_sink(delivery_lane& lane) : frame_sink(lane) {}
  std::vector<std::uint64_t> seqs;

private:
  void accept(const outbound* items, std::size_t count) override {
    for (std::size_t i = 0; i < count; ++i)
      seqs.push_back(items[i].seq);
  }
  void close_on_lane(close_code, std::string) override {}
  void when_drained_on_lane(std::size_t, std::function<void()>) override {}
};

outbound publication(std::uint64_t seq) {
  return {make_frame("{}"), 0, seq, true};
}

} // namespace

TEST_CASE("a lane behind skips stale publications for conflating subscribers only") {
  deferred_lane lane;
  auto conflating = std::make_shared<seq_sink>(lane);
  auto strict = std::make_shared<seq_sink>(lane);
  auto to = std::make_shared<audience>(audience{{conflating}, {strict}});
  for (std::uint64_t seq = 1; seq <= 5; ++seq)
    lane.publish(publication(seq), seq, to);
  lane.run_all();
  CHECK(conflating->seqs == std::vector<std::uint64_t>{5});
  CHECK(strict->seqs == std::vector<std::uint64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("a lane that keeps up delivers everything to everyone") {
  deferred_lane lane;
  auto conflating = std::make_shared<seq_sink>(lane);
  auto to = std::make_shared<audience>(audience{{conflating}, {}});
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    lane.publish(publication(seq), seq, to);
    lane.run_all();
  }
  CHECK(conflating->seqs == std::vector<std::uint64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("a large audience is served in slices, each subscriber once, in order with sends") {
  deferred_lane lane;
  std::vector<std::shared_ptr<seq_sink>> sinks;
  auto to = std::make_shared<audience>();
  for (std::size_t i = 0; i < 3 * delivery_lane::slice + 7; ++i) {
    sinks.push_back(std::make_shared<seq_sink>(lane));
    to->conflating.push_back(sinks.back());
  }
  lane.publish(publication(1), 1, to);
  lane.run_one(); // the handover, which serves the first slice at once
  lane.run_one(); // the second slice
  sinks.back()->send({{make_frame("{}"), 0, 99}});
  lane.publish(publication(2), 2, to);
  lane.run_all();
  // The third slice was queued before 2 came: it serves 1. Then the round goes on with 2, so
  // who got 1 gets 2 after it and the rest get only 2; the send runs between the slices.
  const auto served_1 = 3 * delivery_lane::slice;
  for (std::size_t i = 0; i < served_1; ++i)
    CHECK(sinks[i]->seqs == std::vector<std::uint64_t>{1, 2});
  for (std::size_t i = served_1; i + 1 < sinks.size(); ++i)
    CHECK(sinks[i]->seqs == std::vector<std::uint64_t>{2});
  CHECK(sinks.back()->seqs == std::vector<std::uint64_t>{99, 2});
}

TEST_CASE("a round keeps going with each newer publication until all have the newest") {
  deferred_lane lane;
  std::vector<std::shared_ptr<seq_sink>> sinks;
  auto to = std::make_shared<audience>();
  for (std::size_t i = 0; i < 3 * delivery_lane::slice; ++i) {
    sinks.push_back(std::make_shared<seq_sink>(lane));
    to->conflating.push_back(sinks.back());
  }
  lane.publish(publication(1), 1, to);
  lane.run_one(); // the handover, which serves the first slice at once
  // A publication after every slice: faster than the lane serves the whole audience.
  for (std::uint64_t seq = 2; seq <= 6; ++seq) {
    lane.publish(publication(seq), seq, to);
    lane.run_one(); // a slice, still of the one before
    lane.run_one(); // the handover: the round goes on with this one
  }
  lane.run_all();
  // Each turn of a slice served the newest at that moment: 3 of the 6, ending with 6.
  for (const auto& sink : sinks) {
    REQUIRE(sink->seqs.size() == 3);
    CHECK(sink->seqs.back() == 6);
    CHECK(sink->seqs[0] < sink->seqs[1]);
    CHECK(sink->seqs[1] < sink->seqs[2]);
  }
  CHECK(sinks.front()->seqs == std::vector<std::uint64_t>{1, 3, 6});
  CHECK(sinks.back()->seqs == std::vector<std::uint64_t>{2, 5, 6});
}

TEST_CASE("a finished round holds no connection") {
  deferred_lane lane;
  auto sink = std::make_shared<seq_sink>(lane);
  std::weak_ptr<seq_sink> watched = sink;
  lane.publish(publication(1), 1, std::make_shared<audience>(audience{{sink}, {}}));
  lane.run_all();
  CHECK(sink->seqs == std::vector<std::uint64_t>{1});
  sink.reset(); // the connection closes; no publication follows
  CHECK(watched.expired());
}

TEST_CASE("nothing made for an older audience follows the ack of a subscriber's change") {
  deferred_lane lane;
  std::vector<std::shared_ptr<seq_sink>> strict, conflating;
  auto to = std::make_shared<audience>();
  to->generation = 1;
  for (std::size_t i = 0; i < 2 * delivery_lane::slice; ++i) {
    strict.push_back(std::make_shared<seq_sink>(lane));
    conflating.push_back(std::make_shared<seq_sink>(lane));
    to->strict.push_back(strict.back());
    to->conflating.push_back(conflating.back());
  }
  lane.publish(publication(1), 1, to);
  // The last of each leaves (or subscribes anew): its ack, with the set's next generation,
  // comes after the handover but before the second slices, which the handover queues.
  for (auto* leaving : {strict.back().get(), conflating.back().get()})
    leaving->send({{make_frame("{}"), 0, 0, false, 2}});
  lane.run_all();
  CHECK(strict.back()->seqs == std::vector<std::uint64_t>{0}); // the ack alone
  CHECK(conflating.back()->seqs == std::vector<std::uint64_t>{0});
  CHECK(strict[2 * delivery_lane::slice - 2]->seqs == std::vector<std::uint64_t>{1});
  CHECK(conflating[2 * delivery_lane::slice - 2]->seqs == std::vector<std::uint64_t>{1});
}
