// delivery_lane::publish: a lane that falls behind skips stale publications for conflating
// subscribers only, serves large audiences in slices, and keeps every job in order.
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
  lane.run_one(); // the first slice
  sinks.back()->send({{make_frame("{}"), 0, 99}});
  lane.publish(publication(2), 2, to);
  lane.run_all();
  // Once begun, a round completes for every subscriber even when a newer one is queued, and
  // the work queued meanwhile runs between its slices.
  for (std::size_t i = 0; i + 1 < sinks.size(); ++i)
    CHECK(sinks[i]->seqs == std::vector<std::uint64_t>{1, 2});
  CHECK(sinks.back()->seqs == std::vector<std::uint64_t>{99, 1, 2});
}
