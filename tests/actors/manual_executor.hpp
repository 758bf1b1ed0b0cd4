// A calculation executor that runs chunks only when the test says so, on the test's thread:
// with the test coordinator, heavy jobs advance one deterministic step at a time.
#pragma once

#include "actors/calculation_pool.hpp"

#include <deque>
#include <functional>

namespace rtd::test {

class manual_executor : public calculation_executor {
public:
  void submit(std::function<void()> chunk) override { queue_.push_back(std::move(chunk)); }

  /// Runs the oldest chunk; false when there is none.
  bool run_one() {
    if (queue_.empty())
      return false;
    auto chunk = std::move(queue_.front());
    queue_.pop_front();
    chunk();
    ++ran_;
    return true;
  }

  /// Runs the chunks queued now (not those they lead to); returns how many.
  std::size_t run_queued() {
    auto n = queue_.size();
    for (std::size_t i = 0; i < n; ++i)
      run_one();
    return n;
  }

  /// Drops the queued chunks, as a stopped pool does.
  void drop() { queue_.clear(); }

  std::size_t queued() const { return queue_.size(); }
  std::size_t ran() const { return ran_; }

private:
  std::deque<std::function<void()>> queue_;
  std::size_t ran_ = 0;
};

} // namespace rtd::test
