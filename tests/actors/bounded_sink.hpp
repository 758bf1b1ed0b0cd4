// A client connection for replay tests: a queue bounded in frames and bytes, as the
// gateway's, that overflows (a 1013 close) rather than grow, and a client that reads from it
// when the test says so. Drain callbacks run as reading empties the queue.
#pragma once

#include "tests/actors/fixture.hpp"

#include <deque>

namespace rtd::test {

class bounded_sink : public frame_sink {
public:
  bounded_sink(std::size_t max_frames, std::size_t max_bytes)
      : frame_sink(immediate_lane::instance()), max_frames_(max_frames), max_bytes_(max_bytes) {}

  /// The client reads everything queued; returns how many frames.
  std::size_t read() {
    auto n = queue_.size();
    while (!queue_.empty()) {
      auto f = std::move(queue_.front());
      queue_.pop_front();
      bytes_ -= f->size();
      received.emplace_back();
      auto text = f->payload();
      received.back().Parse(text.data(), text.size());
    }
    if (waiting_ && bytes_ <= low_water_) {
      auto f = std::move(waiting_);
      waiting_ = nullptr;
      f();
    }
    return n;
  }

  std::vector<rapidjson::Document> received; ///< what the client read, in order
  bool overflowed = false;                   ///< closed with 1013
  bool closed = false;                       ///< closed for any reason
  std::size_t most_frames = 0;               ///< the most frames queued at once
  std::size_t queued() const { return queue_.size(); }

private:
  void accept(const outbound* items, std::size_t count) override {
    if (closed)
      return;
    for (std::size_t i = 0; i < count; ++i) {
      queue_.push_back(items[i].data);
      bytes_ += items[i].data->size();
    }
    most_frames = std::max(most_frames, queue_.size());
    if (queue_.size() > max_frames_ || bytes_ > max_bytes_) {
      overflowed = closed = true;
      queue_.clear();
      bytes_ = 0;
    }
  }

  void close_on_lane(close_code, std::string) override { closed = true; }

  void when_drained_on_lane(std::size_t low_water, std::function<void()> f) override {
    if (bytes_ <= low_water)
      return f();
    low_water_ = low_water;
    waiting_ = std::move(f);
  }

  std::size_t max_frames_;
  std::size_t max_bytes_;
  std::deque<frame> queue_;
  std::size_t bytes_ = 0;
  std::size_t low_water_ = 0;
  std::function<void()> waiting_;
};

} // namespace rtd::test
